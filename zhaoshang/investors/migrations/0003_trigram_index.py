"""A trigram GIN index on the normalised enterprise name, for search by name fragment (PostgreSQL only).

SQLite has no pg_trgm; there the plain b-tree index of 0001 stays and fragment search scans, which is fine at the
sizes SQLite serves.
"""

from django.db import migrations

INDEX = "investors_enterprise_normalised_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON investors_enterprise USING gin (normalised_name gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("investors", "0002_library_activities")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
