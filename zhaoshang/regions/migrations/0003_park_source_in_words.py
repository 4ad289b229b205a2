"""Parks loaded before issue 11 carry the prepare script's rule code in their 来源 ("归属：所在地简称即州市名：归州市");
rewrite it as the sentence the loader now writes. Rows an officer has edited since (no "；归属：") are left alone."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "yunnan_development_zones_2018.csv"
PARK_SOURCE = "《中国开发区审核公告目录（2018年版）》"


def rewrite_sources(apps, schema_editor):
    from zhaoshang.regions.placement import placement_note

    Park = apps.get_model("regions", "Park")
    Region = apps.get_model("regions", "Region")
    parks = Park.objects.filter(source__contains="；归属：")
    if not parks.exists():
        return
    with open(DATA, encoding="utf-8") as fh:
        rows = {row["code"]: row for row in csv.DictReader(fh)}
    names = dict(Region.objects.values_list("code", "name"))
    for park in parks:
        row = rows.get(park.code)
        if row is None:
            continue
        note = placement_note(
            rule=row["region_rule"],
            location=row["location_short"],
            prefecture=row["prefecture_name"],
            region=names.get(row["region_code"], ""),
        )
        park.source = f"{PARK_SOURCE}序号{row['catalog_seq']}。{note}"
        park.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_recorded_by_without_constraint")]

    operations = [migrations.RunPython(rewrite_sources, migrations.RunPython.noop)]
