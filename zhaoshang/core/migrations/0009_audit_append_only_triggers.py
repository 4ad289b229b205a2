# Triggers refusing UPDATE and DELETE of audit rows (and TRUNCATE on PostgreSQL) and the deletion of the chain's
# head, per database vendor; the SQL is in zhaoshang/core/audit_triggers.py, which flush and the tests use too.

from django.db import migrations


def install(apps, schema_editor):
    from zhaoshang.core import audit_triggers

    audit_triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zhaoshang.core import audit_triggers

    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_audit_key_ids_for_hmac_sm3"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
