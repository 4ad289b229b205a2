"""Admission rules as the checker uses them: items of the national lists and curated rules (words in groups, an
exemption list, a size threshold), the overcapacity industries and the land kinds — compiled from the database
(what administrators edit) or from the shipped files (benchmarks, tests without a database). Both go through
``compiled_rule`` over the same values, so a file rule and its database row are one rule."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.catalog.land import LandKind
from zhaoshang.catalog.reading import normalize

MEASURE_UNITS = {
    "t_per_year": "吨/年",
    "t_per_day": "吨/日",
    "t": "吨",
    "kva": "千伏安",
    "mw": "兆瓦",
    "m2": "平方米",
    "m3": "立方米",
    "ha": "公顷",
    "mu": "亩",
    "kv": "千伏",
}
THRESHOLD_OPS = {"below": "以下（不含）", "at_most": "及以下", "above": "以上（不含）"}


@dataclass(frozen=True)
class SizeLimit:
    measure: str
    op: str  # below | at_most | above
    value: Decimal

    def applies_to(self, value: Decimal) -> bool:
        if self.op == "below":
            return value < self.value
        if self.op == "at_most":
            return value <= self.value
        return value > self.value

    @property
    def label(self) -> str:
        return f"{self.value.normalize():f}{MEASURE_UNITS.get(self.measure, self.measure)}{THRESHOLD_OPS[self.op]}"


DENIED = "!"  # a group word written "!保底" is evidence when the text denies or only plans it ("不承诺保底")
MENTIONED = "~"  # a group word written "~农户" is context: any mention counts, negated or not ("不与农户签订")


def bare(term: str) -> str:
    return term.removeprefix(DENIED).removeprefix(MENTIONED)


@dataclass
class CompiledRule:
    code: str
    category: str
    title: str
    source: str
    groups: list[list[str]]
    unless: list[str]
    reports_as: str = ""
    size_limit: SizeLimit | None = None
    new_only: bool = False
    word_sets: tuple[frozenset[str], ...] = field(init=False, repr=False)

    def __post_init__(self):
        self.word_sets = tuple(frozenset(bare(t) for t in group) for group in self.groups)

    @property
    def name(self) -> str:
        if self.reports_as:
            return self.reports_as
        return self.code if self.category == "cautious" else self.category


@dataclass
class OvercapacityEntry:
    industry: str
    documents: list[str]
    terms: list[str]
    exclude: list[str]


def split_terms(value: str, sep: str = "|") -> list[str]:
    return [normalize(t).strip() for t in value.split(sep) if t.strip()]


def compiled_rule(code: str, values: dict) -> CompiledRule:
    """A rule from the values a database row holds (``catalog.reference.rule_values`` gives them for a file rule)."""
    measure, op, value = values["threshold_measure"], values["threshold_op"], values["threshold_value"]
    return CompiledRule(
        code=code,
        category=values["category"],
        title=values["title"],
        source=values["source"],
        groups=[split_terms(line) for line in values["match_all"].splitlines() if line.strip()],
        unless=split_terms(values["unless_terms"]),
        reports_as=values["reports_as"],
        size_limit=SizeLimit(measure, op, Decimal(value)) if measure and op and value is not None else None,
        new_only=values["new_only"],
    )


def rules_from_files() -> list[CompiledRule]:
    from zhaoshang.catalog.reference import shipped_rules

    return [compiled_rule(code, values) for code, values in sorted(shipped_rules().items(), key=_rule_order)]


def _rule_order(item) -> tuple:
    code, values = item
    return values["category"], code


def rules_from_database() -> list[CompiledRule]:
    from zhaoshang.catalog.models import AdmissionRule
    from zhaoshang.catalog.reference import RULE_FIELDS

    rows = AdmissionRule.objects.filter(active=True).order_by("category", "code")
    return [compiled_rule(r.code, {name: getattr(r, name) for name in RULE_FIELDS}) for r in rows]


def overcapacity_entries(rows) -> list[OvercapacityEntry]:
    """One entry per industry from (industry, document, terms, exclusions) rows, one row per policy document."""
    merged: dict[str, OvercapacityEntry] = {}
    for industry, document, terms, exclude in rows:
        entry = merged.setdefault(industry, OvercapacityEntry(industry, [], [], []))
        entry.documents.append(document)
        entry.terms.extend(t for t in terms if t not in entry.terms)
        entry.exclude.extend(t for t in exclude if t not in entry.exclude)
    return list(merged.values())


def overcapacity_from_files() -> list[OvercapacityEntry]:
    from zhaoshang.catalog.reference import admission_data, overcapacity_rows

    words = admission_data()["overcapacity_terms"]
    return overcapacity_entries(
        (
            row["industry"],
            row["doc_number"],
            [normalize(t) for t in words.get(row["industry"], {}).get("terms", [])],
            [normalize(t) for t in words.get(row["industry"], {}).get("exclude", [])],
        )
        for row in overcapacity_rows()
    )


def overcapacity_from_database() -> list[OvercapacityEntry]:
    from zhaoshang.catalog.models import OvercapacityIndustry

    return overcapacity_entries(
        (o.industry, o.doc_number, split_terms(o.terms, "\n"), split_terms(o.exclude_terms, "\n"))
        for o in OvercapacityIndustry.objects.order_by("industry", "doc_number")
    )


def land_kinds(data: dict) -> list[LandKind]:
    return [
        LandKind(code, kind["label"], tuple(normalize(t) for t in kind["terms"]))
        for code, kind in data["land_kinds"].items()
    ]
