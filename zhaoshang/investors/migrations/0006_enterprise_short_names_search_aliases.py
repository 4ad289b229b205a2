"""Short names (简称) and the other names an enterprise is searched by.

``search_aliases`` holds the normalised Chinese, English, short and former names (``names.normalised_aliases``);
the search compares a fragment with the normalised name or with it. Existing rows get theirs here; on PostgreSQL
it gets a trigram GIN index like the normalised name's (0003).
"""

from django.db import migrations, models
from django.db.models import Q

from zhaoshang.investors.names import name_lines, normalised_aliases

INDEX = "investors_enterprise_search_aliases_trgm"


def fill_aliases(apps, schema_editor):
    Enterprise = apps.get_model("investors", "Enterprise")
    rows = Enterprise.objects.using(schema_editor.connection.alias).exclude(
        Q(chinese_name="") & Q(english_name="") & Q(former_names="")
    )
    changed = []
    for enterprise in rows.only("id", "normalised_name", "chinese_name", "english_name", "former_names"):
        names = [enterprise.chinese_name, enterprise.english_name, *name_lines(enterprise.former_names)]
        enterprise.search_aliases = normalised_aliases(enterprise.normalised_name, names)
        if enterprise.search_aliases:
            changed.append(enterprise)
    Enterprise.objects.using(schema_editor.connection.alias).bulk_update(changed, ["search_aliases"], batch_size=1000)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON investors_enterprise USING gin (search_aliases gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("investors", "0005_enterprise_indexes_for_imports")]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="short_names",
            field=models.TextField(blank=True, help_text="每行一个，如 中国石化、中石化", verbose_name="简称"),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="search_aliases",
            field=models.TextField(
                blank=True, db_default="", default="", editable=False, verbose_name="其他名称（检索用）"
            ),
        ),
        migrations.RunPython(fill_aliases, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(add_index, drop_index, elidable=False),
    ]
