from django.db import migrations

from zhaoshang.risk.reference import rule_rows


def add_rules(apps, schema_editor):
    # Only the missing rules: a rule already there keeps what administrators set.
    RiskRule = apps.get_model("risk", "RiskRule")
    for code, defaults in rule_rows():
        RiskRule.objects.get_or_create(code=str(code), defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_warnings_and_rules")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
