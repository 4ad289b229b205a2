from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="external_code",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="导入文件中的项目编号，县市区内唯一：再次导入同一文件不会重复创建",
                max_length=50,
                verbose_name="项目编号",
            ),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_code", ""), _negated=True),
                fields=("county", "external_code"),
                name="project_external_code_unique_per_county",
            ),
        ),
    ]
