"""Loading the shipped enterprise lists (Fortune Global 500 2024, A-share listed companies) idempotently.

Keyed by ``Enterprise.source_key``; a new key is first matched to an existing enterprise by normalised name
(an investor entered with a project before the list was loaded), so loading never makes a second record.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from zhaoshang.investors.choices import TAG_FLAGS, TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import PROVINCE_CHOICES

DATA = Path(__file__).resolve().parent / "data"
GLOBAL500_FILE = DATA / "fortune_global_500_2024.csv"
ASHARE_FILE = DATA / "a_share_listed_companies.csv"
PROVINCES = {value for value, _ in PROVINCE_CHOICES}
AREA_TO_PROVINCE = {"深圳": "广东", "内蒙": "内蒙古"}
ABROAD = "境外"


@dataclass
class Row:
    source_key: str
    name: str
    values: dict
    tags: list[tuple] = field(default_factory=list)  # (kind, year, rank, code, source)


def global500_rows(path: Path = GLOBAL500_FILE) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            company = line["company"].strip()
            country = line["country"].strip()
            year = int(line["year"])
            values = {"english_name": company, "country": country, "industry_text": line["industry"].strip()[:100]}
            if country and country != "China":
                values["hq_province"] = ABROAD
            source = f"Fortune Global 500 {year}"
            rows.append(
                Row(
                    source_key=f"fg500:{normalise_enterprise_name(company)}",
                    name=company,
                    values=values,
                    tags=[(TagKind.GLOBAL500, year, int(line["rank"]), "", source)],
                )
            )
    return rows


def ashare_rows(path: Path = ASHARE_FILE) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            area = AREA_TO_PROVINCE.get(line["area"], line["area"])
            values = {"industry_text": line["industry"].strip()[:100]}
            if area in PROVINCES:
                values["hq_province"] = area
            listed = line["list_date"][:4]
            tags = [(TagKind.LISTED, int(listed) if listed.isdigit() else None, None, line["ts_code"], "A股上市公司")]
            if line["act_ent_type"] == "中央企业":
                tags.append((TagKind.CENTRAL_SOE, None, None, "", "A股实际控制人类型"))
            elif line["act_ent_type"] == "外资":
                tags.append((TagKind.FOREIGN, None, None, "", "A股实际控制人类型"))
            rows.append(
                Row(source_key=f"ashare:{line['ts_code']}", name=line["name"].strip(), values=values, tags=tags)
            )
    return rows


@transaction.atomic
def load_rows(rows: list[Row], *, actor=None) -> tuple[int, int]:
    """Returns (created, updated) enterprises. Loader-owned fields fill what is empty; what officers entered stays."""
    by_key = {e.source_key: e for e in Enterprise.objects.exclude(source_key="")}
    by_name: dict[str, Enterprise] = {}
    for enterprise in Enterprise.objects.filter(source_key="").order_by("-pk"):
        by_name[enterprise.normalised_name] = enterprise
    to_create, to_update, fields = [], {}, set()
    targets: list[tuple[Row, Enterprise]] = []
    for row in rows:
        enterprise = by_key.get(row.source_key)
        if enterprise is None:
            enterprise = by_name.pop(normalise_enterprise_name(row.name), None)
            if enterprise is not None:
                enterprise.source_key = row.source_key
                to_update[enterprise.pk] = enterprise
                fields.add("source_key")
        if enterprise is None:
            enterprise = Enterprise(
                name=row.name,
                normalised_name=normalise_enterprise_name(row.name),
                source_key=row.source_key,
                created_by=actor,
                updated_by=actor,
                **row.values,
            )
            by_key[row.source_key] = enterprise
            to_create.append(enterprise)
        else:
            for key, value in row.values.items():
                if value and not getattr(enterprise, key):
                    setattr(enterprise, key, value)
                    to_update[enterprise.pk] = enterprise
                    fields.add(key)
        targets.append((row, enterprise))
    Enterprise.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Enterprise.objects.bulk_update(list(to_update.values()), sorted(fields), batch_size=1000)
    load_tags(targets)
    return len(to_create), len(to_update)


def load_tags(targets: list[tuple[Row, Enterprise]]) -> None:
    ids = [enterprise.pk for _, enterprise in targets]
    existing = {
        (t.enterprise_id, t.kind, t.year, t.code): t
        for t in EnterpriseTag.objects.filter(enterprise_id__in=ids).only(
            "id", "enterprise_id", "kind", "year", "code", "rank"
        )
    }
    new, changed = [], []
    for row, enterprise in targets:
        for kind, year, rank, code, source in row.tags:
            tag = existing.get((enterprise.pk, kind, year, code))
            if tag is None:
                tag = EnterpriseTag(enterprise=enterprise, kind=kind, year=year, rank=rank, code=code, source=source)
                existing[(enterprise.pk, kind, year, code)] = tag
                new.append(tag)
            elif tag.rank != rank:
                tag.rank = rank
                changed.append(tag)
    EnterpriseTag.objects.bulk_create(new, batch_size=1000)
    if changed:
        EnterpriseTag.objects.bulk_update(changed, ["rank"], batch_size=1000)
    for kind, flag in TAG_FLAGS.items():
        Enterprise.objects.filter(pk__in=ids, tags__kind=kind).exclude(**{flag: True}).update(**{flag: True})


def load_enterprises() -> tuple[int, int]:
    """Both shipped lists; (created, updated)."""
    created, updated = load_rows(global500_rows())
    more_created, more_updated = load_rows(ashare_rows())
    return created + more_created, updated + more_updated
