from django.db import migrations


def fill(apps, schema_editor):
    # A deployment that already holds placements and projects gets its presence tables filled here; otherwise every
    # diagnosis would read empty tables until someone ran rebuild_chain_presence. The SQL names only tables that
    # exist at this point (chains 0003, projects, investors).
    from zhaoshang.chains.presence import presence_fill

    presence_fill()


class Migration(migrations.Migration):
    dependencies = [("chains", "0003_presence_tables")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
