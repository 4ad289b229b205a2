"""Loading the shipped enterprise lists (Fortune Global 500 2024, A-share listed companies) idempotently.

Keyed by ``Enterprise.source_key``; a new key is first matched to an existing enterprise by normalised name
(an investor entered with a project before the list was loaded), so loading never makes a second record.

The Fortune list is English only; its Chinese, short and former names come from the team's own file
(``fortune_global_500_2024_zh.csv``), and its Chinese groups are linked to their listed companies in the A-share
list (``fortune_global_500_2024_ashare_links.csv``: the listed company's 所属集团 becomes the group), so that a
project of a listed subsidiary counts as 世界500强 and in the 入滇 presence. See ``data/SOURCES.md``.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from zhaoshang.investors.choices import TAG_FLAGS, TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.names import name_lines, normalise_enterprise_name, normalised_aliases
from zhaoshang.projects.choices import PROVINCE_CHOICES

DATA = Path(__file__).resolve().parent / "data"
GLOBAL500_FILE = DATA / "fortune_global_500_2024.csv"
GLOBAL500_ZH_FILE = DATA / "fortune_global_500_2024_zh.csv"
GLOBAL500_LINKS_FILE = DATA / "fortune_global_500_2024_ashare_links.csv"
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
    names: dict[str, list[str]] = field(default_factory=dict)  # one-name-a-line fields: short_names, former_names
    match_names: list[str] = field(default_factory=list)  # other names an officer may have entered it under


@dataclass
class ChineseNames:
    name: str
    short_names: list[str]
    former_names: list[str]
    confidence: str  # official: the name the company uses; common: the usual Chinese rendering


def split_names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split("|") if name.strip()]


def global500_key(company: str) -> str:
    return f"fg500:{normalise_enterprise_name(company)}"


def global500_chinese_names(path: Path = GLOBAL500_ZH_FILE) -> dict[tuple[int, str], ChineseNames]:
    """The team's Chinese names of the list, keyed by (rank, English name)."""
    with path.open(encoding="utf-8") as handle:
        return {
            (int(line["rank"]), line["name_en"].strip()): ChineseNames(
                name=line["name_zh"].strip(),
                short_names=split_names(line["short_names"]),
                former_names=split_names(line["former_names"]),
                confidence=line["confidence"].strip(),
            )
            for line in csv.DictReader(handle)
        }


def global500_rows(path: Path = GLOBAL500_FILE, zh_path: Path | None = GLOBAL500_ZH_FILE) -> list[Row]:
    chinese = global500_chinese_names(zh_path) if zh_path is not None else {}
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            company = line["company"].strip()
            country = line["country"].strip()
            year, rank = int(line["year"]), int(line["rank"])
            values = {"english_name": company, "country": country, "industry_text": line["industry"].strip()[:100]}
            if country and country != "China":
                values["hq_province"] = ABROAD
            names = chinese.get((rank, company))
            if zh_path is not None and names is None:
                raise ValueError(f"{zh_path.name}: no Chinese name for rank {rank} {company}")
            row_names = {}
            if names is not None:
                values["chinese_name"] = names.name
                row_names = {"short_names": names.short_names, "former_names": names.former_names}
            source = f"Fortune Global 500 {year}"
            rows.append(
                Row(
                    source_key=global500_key(company),
                    name=names.name if names is not None else company,
                    values=values,
                    tags=[(TagKind.GLOBAL500, year, rank, "", source)],
                    names=row_names,
                    match_names=[company],
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
            for name in (row.name, *row.match_names):
                enterprise = by_name.pop(normalise_enterprise_name(name), None)
                if enterprise is not None:
                    enterprise.source_key = row.source_key
                    to_update[enterprise.pk] = enterprise
                    fields.add("source_key")
                    break
        if enterprise is None:
            enterprise = Enterprise(
                name=row.name,
                normalised_name=normalise_enterprise_name(row.name),
                source_key=row.source_key,
                created_by=actor,
                updated_by=actor,
                **row.values,
                **{key: "\n".join(names) for key, names in row.names.items()},
            )
            enterprise.search_aliases = normalised_aliases(enterprise.normalised_name, enterprise.other_names())
            by_key[row.source_key] = enterprise
            to_create.append(enterprise)
        else:
            changed = fill_names(enterprise, row)
            if changed:
                to_update[enterprise.pk] = enterprise
                fields.update(changed)
        targets.append((row, enterprise))
    Enterprise.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Enterprise.objects.bulk_update(list(to_update.values()), sorted(fields), batch_size=1000)
    load_tags(targets)
    return len(to_create), len(to_update)


def fill_names(enterprise: Enterprise, row: Row) -> list[str]:
    """Fill what the list knows into an enterprise already in the library; the names of the fields changed.

    Loader-owned fields fill what is empty (what officers entered stays); short and former names gain the list's
    names they lack; an enterprise still named by its English name takes its Chinese name as its name (as the
    enterprise form does when an officer fills the Chinese name), the English name staying in 英文名称."""
    changed = []
    for key, value in row.values.items():
        if value and not getattr(enterprise, key):
            setattr(enterprise, key, value)
            changed.append(key)
    for key, names in row.names.items():
        have = name_lines(getattr(enterprise, key))
        missing = [name for name in names if name not in have]
        if missing:
            setattr(enterprise, key, "\n".join([*have, *missing]))
            changed.append(key)
    chinese = enterprise.chinese_name.strip()
    still_english = bool(enterprise.english_name) and enterprise.name == enterprise.english_name
    if chinese and still_english and chinese != enterprise.name:
        enterprise.name, enterprise.normalised_name = chinese, normalise_enterprise_name(chinese)
        changed += ["name", "normalised_name"]
    aliases = normalised_aliases(enterprise.normalised_name, enterprise.other_names())
    if aliases != enterprise.search_aliases:
        enterprise.search_aliases = aliases
        changed.append("search_aliases")
    return changed


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


@dataclass
class GroupLink:
    rank: int
    group_key: str  # source key of the Fortune Global 500 enterprise
    member_key: str  # source key of the A-share enterprise
    relation: str  # 本体 (the group's listed company itself) or 下属企业


def group_links(path: Path = GLOBAL500_LINKS_FILE) -> list[GroupLink]:
    with path.open(encoding="utf-8") as handle:
        return [
            GroupLink(
                rank=int(line["rank"]),
                group_key=global500_key(line["name_en"]),
                member_key=f"ashare:{line['ts_code'].strip()}",
                relation=line["relation"].strip(),
            )
            for line in csv.DictReader(handle)
        ]


@transaction.atomic
def link_groups(links: list[GroupLink]) -> int:
    """Set each listed company's 所属集团 to its Fortune Global 500 group; the number of enterprises changed.

    Only an enterprise without a group is linked: a group an officer set stays (and a link that would make a
    cycle is skipped). Loading again changes nothing."""
    keys = {link.group_key for link in links} | {link.member_key for link in links}
    rows = Enterprise.objects.filter(source_key__in=keys).only("id", "source_key", "parent")
    by_key = {e.source_key: e for e in rows}
    parents = dict(Enterprise.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    changed = []
    for link in links:
        group, member = by_key.get(link.group_key), by_key.get(link.member_key)
        if group is None or member is None or member.parent_id is not None or group.pk == member.pk:
            continue
        node, seen = group.pk, set()
        while node is not None and node not in seen:  # the group's own chain must not pass through the member
            seen.add(node)
            node = parents.get(node)
        if member.pk in seen:
            continue
        member.parent_id = group.pk
        parents[member.pk] = group.pk
        changed.append(member)
    Enterprise.objects.bulk_update(changed, ["parent"], batch_size=1000)
    return len(changed)


def load_enterprises() -> tuple[int, int]:
    """Both shipped lists, then the groups' links to their listed companies; (created, updated)."""
    created, updated = load_rows(global500_rows())
    more_created, more_updated = load_rows(ashare_rows())
    linked = link_groups(group_links())
    return created + more_created, updated + more_updated + linked
