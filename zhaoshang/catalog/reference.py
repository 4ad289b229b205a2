"""Loads the catalog reference data from zhaoshang/catalog/data (see SOURCES.md there). Idempotent.

Rows are created when missing; rows that exist are left as administrators edited them (only blank fields are
filled), so running the loader again never undoes an edit made in the admin site.
"""

import csv
import hashlib
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit
from zhaoshang.catalog.choices import KEY_INDUSTRIES
from zhaoshang.catalog.models import (
    AdmissionRule,
    ExcludedKind,
    IndustryClass,
    IndustrySubItem,
    KeyIndustry,
    LandUseThreshold,
    OvercapacityIndustry,
)
from zhaoshang.core.reference import upsert_by_code
from zhaoshang.regions.models import Region

DATA = Path(__file__).resolve().parent / "data"
PROVINCE_CODE = "530000"
# Province-wide defaults (万元/亩); configurable per park or county in the admin site. See SOURCES.md.
DEFAULT_MIN_INTENSITY = Decimal("150.00")
DEFAULT_MIN_TAX = Decimal("8.00")


@cache
def key_industry_data() -> dict:
    with open(DATA / "key_industries.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def admission_data() -> dict:
    with open(DATA / "admission_rules.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def catalog_items() -> dict:
    """Items of the national lists (产业结构调整指导目录 2024, 禁止 / 限制用地项目目录 2012); see SOURCES.md."""
    with open(DATA / "catalog_items.json", encoding="utf-8") as fh:
        return json.load(fh)


def overcapacity_rows() -> list[dict]:
    with open(DATA / "overcapacity_industries.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def lines(values) -> str:
    return "\n".join(values)


def codes(values) -> str:
    return ",".join(values)


def _fill_blank(obj, values: dict) -> bool:
    changed = [name for name, value in values.items() if not getattr(obj, name) and value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def load_key_industries() -> tuple[int, int]:
    """Creates missing industries; names edited by administrators are kept."""
    existing = set(KeyIndustry.objects.values_list("code", flat=True))
    rows = [
        {"code": code, "name": name, "sort_order": i}
        for i, (code, name) in enumerate(KEY_INDUSTRIES, start=1)
        if code not in existing
    ]
    return upsert_by_code(KeyIndustry, rows)


def load_industry_vocabulary() -> tuple[int, int]:
    """The 附件1 sub-items, their words and GB/T codes, and the non-产业类 kinds."""
    created = updated = 0
    industries = {i.code: i for i in KeyIndustry.objects.all()}
    for entry in key_industry_data()["industries"]:
        industry = industries.get(entry["code"])
        if industry is None:
            continue
        values = {"clause": entry["clause"], "terms": lines(entry["terms"]), "gbt_codes": codes(entry["gbt"])}
        updated += _fill_blank(industry, values)
        have = {s.seq: s for s in industry.sub_items.all()}
        for sub in entry["sub_items"]:
            values = {
                "name": sub["name"],
                "detail": sub["detail"],
                "terms": lines(sub["terms"]),
                "gbt_codes": codes(sub["gbt"]),
            }
            if sub["seq"] in have:
                updated += _fill_blank(have[sub["seq"]], values)
            else:
                IndustrySubItem.objects.create(industry=industry, seq=sub["seq"], **values)
                created += 1
    have = {k.code: k for k in ExcludedKind.objects.all()}
    for entry in key_industry_data()["non_industrial"]:
        values = {"clause": entry["clause"], "terms": lines(entry["terms"]), "gbt_codes": codes(entry["gbt"])}
        if entry["code"] in have:
            updated += _fill_blank(have[entry["code"]], values)
        else:
            ExcludedKind.objects.create(code=entry["code"], name=entry["name"], **values)
            created += 1
    return created, updated


def load_overcapacity() -> tuple[int, int]:
    words = admission_data()["overcapacity_terms"]
    have = {(o.industry, o.doc_number): o for o in OvercapacityIndustry.objects.all()}
    created = updated = 0
    for row in overcapacity_rows():
        name = row["industry"]
        values = {
            "industry_en": row["industry_en"],
            "policy_document": row["policy_document"],
            "published": date.fromisoformat(row["published"]) if row["published"] else None,
            "capacity_utilization_2012_pct": Decimal(row["capacity_utilization_2012_pct"])
            if row["capacity_utilization_2012_pct"]
            else None,
            "policy_targets": row["policy_targets"],
            "gbt_codes": row["gb4754_2017_codes"].replace(";", ","),
            "terms": lines(words.get(name, {}).get("terms", [])),
            "exclude_terms": lines(words.get(name, {}).get("exclude", [])),
            "source_url": row["source_url"],
        }
        existing = have.get((name, row["doc_number"]))
        if existing is None:
            OvercapacityIndustry.objects.create(
                industry=name, doc_number=row["doc_number"], shipped_digest=_digest(values), **values
            )
            created += 1
        elif _refresh_unedited(existing, values):
            existing.save()
            updated += 1
    return created, updated


RULE_FIELDS = (
    "category",
    "title",
    "source",
    "list_name",
    "sector",
    "clause",
    "match_all",
    "unless_terms",
    "reports_as",
    "threshold_measure",
    "threshold_op",
    "threshold_value",
    "new_only",
    "verified",
    "confidence",
)


def _rule_row(rule: dict, lists: dict) -> dict:
    threshold = rule.get("threshold") or {}
    op = next((op for op in ("below", "at_most", "above") if op in threshold), "")
    return {
        "category": rule["category"],
        "title": rule["title"],
        "source": rule.get("source") or lists.get(rule.get("list", ""), {}).get("title", ""),
        "list_name": rule.get("list", ""),
        "sector": rule.get("sector", ""),
        "clause": rule.get("clause", ""),
        "match_all": lines("|".join(group) for group in rule["match_all"]),
        "unless_terms": "|".join(rule.get("unless", [])),
        "reports_as": rule.get("reports_as", ""),
        "threshold_measure": threshold.get("measure", "") if op else "",
        "threshold_op": op,
        "threshold_value": Decimal(str(threshold[op])).quantize(Decimal("0.01")) if op else None,
        "new_only": rule.get("applies_to_new_only", False),
        "verified": rule.get("verified", False),
        "confidence": rule.get("confidence", ""),
    }


def _canonical(value):
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value.isoformat() if isinstance(value, date) else value


def _digest(values: dict) -> str:
    canonical = {name: _canonical(value) for name, value in values.items()}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _refresh_unedited(obj, values: dict) -> bool:
    """Give ``obj`` the shipped ``values`` unless an administrator edited it since its last shipped version (its
    values no longer match ``shipped_digest``). Rows loaded before digests existed are refreshed once."""
    digest = _digest(values)
    if obj.shipped_digest == digest:
        return False
    if obj.shipped_digest and _digest({name: getattr(obj, name) for name in values}) != obj.shipped_digest:
        return False
    for name, value in values.items():
        setattr(obj, name, value)
    obj.shipped_digest = digest
    return True


def shipped_rules() -> dict[str, dict]:
    """Every shipped rule (curated rules and national-list items) as the values its database row holds."""
    lists = catalog_items()["lists"]
    return {r["code"]: _rule_row(r, lists) for r in [*admission_data()["rules"], *catalog_items()["items"]]}


def load_admission_rules() -> tuple[int, int]:
    """Creates missing rules; replaces a rule with the shipped version only while no administrator edited it."""
    shipped = shipped_rules()
    existing = {rule.code: rule for rule in AdmissionRule.objects.filter(code__in=list(shipped))}
    created, updated = [], []
    for code, values in shipped.items():
        rule = existing.get(code)
        if rule is None:
            created.append(AdmissionRule(code=code, shipped_digest=_digest(values), **values))
        elif _refresh_unedited(rule, values):
            updated.append(rule)
    AdmissionRule.objects.bulk_create(created, batch_size=500)
    AdmissionRule.objects.bulk_update(updated, [*RULE_FIELDS, "shipped_digest"], batch_size=500)
    return len(created), len(updated)


def load_thresholds() -> tuple[int, int]:
    province = Region.objects.filter(code=PROVINCE_CODE).first()
    if province is None or LandUseThreshold.objects.filter(region=province).exists():
        return 0, 0
    LandUseThreshold.objects.create(
        region=province,
        min_intensity_wan_per_mu=DEFAULT_MIN_INTENSITY,
        min_tax_wan_per_mu=DEFAULT_MIN_TAX,
        basis="全省默认值（可在系统管理中按园区、县市区设置）；意见附件1 二（三）",
    )
    return 1, 0


def load_gbt4754() -> tuple[int, int]:
    with open(DATA / "gbt4754_2017_industry_classification.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    total = (0, 0)
    for level in (1, 2, 3, 4):
        parents = {c.code: c for c in IndustryClass.objects.filter(level=level - 1)} if level > 1 else {}
        values = [
            {
                "code": r["code"],
                "name": r["name"],
                "level": level,
                "parent": parents.get(r["parent_code"]),
                "section": r["section"],
                "description": r["description"],
                "note": r["note"],
            }
            for r in rows
            if int(r["level"]) == level
        ]
        created, updated = upsert_by_code(IndustryClass, values)
        total = (total[0] + created, total[1] + updated)
    return total


def load_industry_departments() -> tuple[int, int]:
    """省…产业牵头部门: one department org unit of the province per key industry."""
    province = Region.objects.get(level=1)
    values = [
        {
            "code": f"DEPT-{industry.code}",
            "name": f"省{industry.name}产业牵头部门",
            "kind": OrgKind.INDUSTRY_DEPARTMENT,
            "region": province,
            "park": None,
            "key_industry": industry,
            "path": province.path,
        }
        for industry in KeyIndustry.objects.all()
    ]
    return upsert_by_code(OrgUnit, values)
