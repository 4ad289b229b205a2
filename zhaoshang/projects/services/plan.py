"""One plan for every project write (issue 14): what a project becomes from the facts a channel was given.

``project_plan`` is pure: it writes nothing and reads only what its ``PlanLookups`` carry, plus the read-only
admission check (whose reference tables an import preloads with ``admission_batch``). It returns the planned
values — placement and scope, region group and foreign flag, the 世界500强 and 链主 flags of the investor's group,
the industry suggestion, the admission verdict, the 甄别 result — and every problem with its field. The form and
API services (``project_create`` / ``project_update`` / ``project_change_investor``, and through them the leads
of activities, targeting and the portal), the Excel and 台账 imports and the demo seed all plan this way; they
differ only in how they persist (ORM or bulk insert) and in how they show a problem (a form error, a 400/409, a
``第N行`` line). The refusal texts are written here once.
"""

import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache

from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.investors.groups import NO_GROUP, GroupFlags
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import region_group_for
from zhaoshang.projects.models import AdmissionVerdict, Project
from zhaoshang.projects.services.admission import (
    MAX_REASON,
    Admission,
    IndustrySuggestions,
    admission_evaluate,
    admission_refusal_text,
)
from zhaoshang.projects.services.admission_facts import admission_facts_key, project_admission_key

# The facts an officer states (the form's and the API's fields); everything else about a project is derived here.
PROJECT_FIELDS = (
    "description",
    "category",
    "key_industry",
    "industry_class",
    "agreed_investment_wan",
    "source_province",
    "is_foreign",
    "currency",
    "is_global500",
    "is_china500",
    "is_private500",
    "is_chain_leader",
    "is_headquarters",
    "land_mu",
    "expected_annual_tax_wan",
    "jobs",
    "responsible_person",
    "lead_department",
    "stalled",
    "stalled_note",
)
TEXT_FIELDS = ("description", "responsible_person", "lead_department", "stalled_note")
# Problem codes: the same facts give the same codes in every channel (the cross-channel test compares them).
INVALID, SCOPE, DUPLICATE, ADMISSION = "invalid", "scope", "duplicate", "admission"
OUT_OF_SCOPE_TEXT = "不在您的辖区内"
NO_OVERRIDE_PERMISSION = "您没有放行“不招”项目的权限，须由州市或省级有权限的人员决定"
SIMILAR_NAME_RATIO = 0.6
NAME_NOISE = re.compile(r"[\s·・.,，、:：;；\-—_()（）【】\[\]]+|项目$")


def _plain_name(name: str) -> str:
    return NAME_NOISE.sub("", (name or "").lower())


def names_similar(a: str, b: str) -> bool:
    """Similar project names: one contains the other, or difflib's ratio is at least 0.6."""
    a, b = _plain_name(a), _plain_name(b)
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO


@dataclass(frozen=True)
class Problem:
    field: str  # a project field, or "admission" / "confirm_not_duplicate" / "admission_override_reason"
    message: str
    code: str = INVALID


@dataclass
class WriteFacts:
    """What a channel was given. On an update or a change of investor, the fields not given keep their stored
    values (``PlanLookups.current``)."""

    name: str
    investor_name: str
    county: object  # regions.Region (a county)
    park: object | None = None
    investor_credit_code: str = ""
    fields: dict = field(default_factory=dict)
    confirmed_not_duplicate: bool = False
    admission_override_reason: str = ""
    investor_normalised: str | None = None  # the normalised investor name when the channel has it already


@dataclass
class PlanLookups:
    """What the plan reads, found beforehand (one project: ``plan_lookups``; an import: preloaded once)."""

    group: GroupFlags = NO_GROUP  # of the saved enterprise the facts name (a new one has none)
    current: Project | None = None  # the stored project, on an update or a change of investor
    candidates: Sequence = ()  # 甄别: counted projects of the county with the same investor, each with pk and name
    suggestions: IndustrySuggestions | None = None  # None: classification left to the import's job
    check_admission: bool = True
    override_rules: frozenset | None = None  # the rules the latest recorded 不招 override covers
    may_override: bool = False  # the actor holds projects.override_admission


@dataclass
class ProjectPlan:
    values: dict  # model field → value (related objects, not ids)
    admission: Admission | None = None
    duplicates: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        return {p.code for p in self.problems}

    def apply(self, project: Project) -> Project:
        for name, value in self.values.items():
            setattr(project, name, value)
        return project

    def row(self) -> dict:
        """The values as a bulk insert writes them (related objects as ids)."""
        row = {}
        for name, value in self.values.items():
            if name in ("county", "park", "key_industry", "industry_class"):
                row[f"{name}_id"] = value.pk if value is not None else None
            else:
                row[name] = value
        return row


def duplicate_text(duplicates: Sequence) -> str:
    """The one text of a 甄别 finding; each channel adds how it is confirmed (a tick on the form, a field of the
    API; an import cannot confirm, the row is entered on the form)."""
    first = duplicates[0]
    more = f"等 {len(duplicates)} 个项目" if len(duplicates) > 1 else ""
    return f"与已有项目“{first.name}”（系统编号 {first.pk}）{more}疑似重复（同一县市区、同一投资方、名称相近）"


ADMISSION_FIELDS = ("admission_verdict", "admission_rules", "admission_reasons", "needs_collective_decision")
_DEFAULTS: dict = {}


def _default(name: str):
    if name not in _DEFAULTS:
        _DEFAULTS[name] = Project._meta.get_field(name).get_default
    return _DEFAULTS[name]()


@cache
def _default_values() -> tuple[dict, tuple[str, ...]]:
    values = {key: _default(key) for key in (*PROJECT_FIELDS, *ADMISSION_FIELDS)}
    return values, tuple(key for key, value in values.items() if isinstance(value, list | dict))


def _defaults() -> dict:
    """A new project's value of every planned field, worked out once (an import plans thousands of rows); a list or
    dict default is copied, so no two plans share one."""
    template, mutable = _default_values()
    values = dict(template)
    for key in mutable:
        values[key] = copy(values[key])
    return values


def _pk(value):
    return value.pk if value is not None else None


def plan_basics(*, facts: WriteFacts, actor) -> tuple[str | None, list[Problem]]:
    """The first part of the plan, which needs no lookups: a name, an investor, a county (and its park) the actor
    may write in. The path is None when the place itself is wrong. An import runs this on every row before it
    reads anything for the rows that pass."""
    problems = []
    if not (facts.name or "").strip():
        problems.append(Problem("name", "不能为空"))
    normalised = facts.investor_normalised
    if not (normalised if normalised is not None else normalise_enterprise_name(facts.investor_name)):
        problems.append(Problem("investor_name", "请填写投资方企业名称"))
    return _place(facts, actor, problems), problems


def _place(facts: WriteFacts, actor, problems: list[Problem]) -> str | None:
    county, park = facts.county, facts.park
    if county is None or getattr(county, "level", None) != 3:
        problems.append(Problem("county", "请选择县市区"))
        return None
    if park is not None and park.region_id != county.pk:
        problems.append(Problem("park", f"园区“{park.name}”不属于{county.name}"))
        return None
    path = park.path if park is not None else county.path
    if not actor.is_superuser:
        node = user_node_path(actor)
        if not node or not path_within(path, node):
            column = "park" if park is not None and path_within(county.path, node or "-") else "county"
            problems.append(Problem(column, OUT_OF_SCOPE_TEXT, SCOPE))
    return path


def _classify(values: dict, current: Project | None, suggestions: IndustrySuggestions | None) -> None:
    """重点产业 / 行业分类 left empty take the suggestion, marked as suggested; one the officer changed is theirs."""
    industry_suggested, class_suggested = (
        (current.industry_suggested, current.class_suggested) if current else (False, False)
    )
    if current is not None:
        if _pk(values["key_industry"]) != current.key_industry_id:
            industry_suggested = False
        if _pk(values["industry_class"]) != current.industry_class_id:
            class_suggested = False
    if suggestions is not None:
        had = (values["key_industry"], values["industry_class"])
        values["key_industry"], values["industry_class"] = suggestions.fill(
            name=values["name"],
            description=values["description"],
            key_industry=had[0],
            industry_class=had[1],
        )
        industry_suggested = industry_suggested or (had[0] is None and values["key_industry"] is not None)
        class_suggested = class_suggested or (had[1] is None and values["industry_class"] is not None)
    values["industry_suggested"], values["class_suggested"] = industry_suggested, class_suggested


def _admission(facts: WriteFacts, values: dict, lookups: PlanLookups, problems: list[Problem]) -> Admission | None:
    """The check runs on entry and when a write changes an admission fact (``admission_facts``)."""
    if not lookups.check_admission:
        return None
    checked = {
        "name": values["name"],
        "description": values["description"],
        "investment_wan": values["agreed_investment_wan"],
        "land_mu": values["land_mu"],
        "expected_annual_tax_wan": values["expected_annual_tax_wan"],
        # A class the system suggested does not decide the land kind: only one the officer chose does.
        "industry_class": None if values["class_suggested"] else values["industry_class"],
        "county": facts.county,
        "park": facts.park,
        "investor_name": facts.investor_name,
        "investor_credit_code": facts.investor_credit_code,
    }
    current = lookups.current
    if current is not None and admission_facts_key(**checked) == project_admission_key(current):
        return None
    admission = admission_evaluate(**checked, classify=lookups.suggestions is not None)
    if admission is None:
        return None
    values.update(
        admission_verdict=admission.verdict,
        admission_rules=admission.rules,
        admission_reasons=admission.reasons,
        needs_collective_decision=admission.verdict == AdmissionVerdict.REVIEW,
    )
    if admission.verdict != AdmissionVerdict.REJECT:
        return admission
    covered = lookups.override_rules is not None and set(admission.rules) <= lookups.override_rules
    if covered:
        return admission
    reason = (facts.admission_override_reason or "").strip()
    if not reason:
        problems.append(Problem("admission", admission_refusal_text(admission), ADMISSION))
    elif not lookups.may_override:
        problems.append(Problem("admission", admission_refusal_text(admission, note=NO_OVERRIDE_PERMISSION), ADMISSION))
    elif len(reason) > MAX_REASON:
        problems.append(Problem("admission_override_reason", f"决定理由不能超过 {MAX_REASON} 字"))
    else:
        admission.override_reason = reason
    return admission


def project_plan(
    *, facts: WriteFacts, actor, on: date | None = None, lookups: PlanLookups, basics: tuple | None = None
) -> ProjectPlan:
    """The planned project and its problems (see the module's note). ``on``: the date of the write (a new
    project's entry date; None on an update, whose stage dates do not move). ``basics``: ``plan_basics`` of the
    same facts and actor when the channel ran it already (an import checks every row with it first)."""
    path, problems = basics if basics is not None else plan_basics(facts=facts, actor=actor)
    problems = list(problems)
    current = lookups.current
    name = (facts.name or "").strip()
    unknown = set(facts.fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"project fields {sorted(unknown)} cannot be set here")
    if current is None:
        values = _defaults() | facts.fields
    else:
        values = {
            key: facts.fields[key] if key in facts.fields else getattr(current, key)
            for key in (*PROJECT_FIELDS, *ADMISSION_FIELDS)
        }
    values["name"] = name
    for key in TEXT_FIELDS:
        values[key] = (values[key] or "").strip()
    values["source_province"] = values["source_province"] or ""
    if values["agreed_investment_wan"] is None:
        values["agreed_investment_wan"] = Decimal("0.00")
    elif values["agreed_investment_wan"] < 0:
        problems.append(Problem("agreed_investment_wan", "协议投资额不能为负数"))
    values["region_group"] = region_group_for(values["source_province"])
    if values["region_group"] == "abroad":
        values["is_foreign"] = True
    # A subsidiary's project counts for its group; a flag an officer ticked is never cleared here.
    values["is_global500"] = bool(values["is_global500"]) or lookups.group.global500
    values["is_chain_leader"] = bool(values["is_chain_leader"]) or lookups.group.chain_leader
    values.update(county=facts.county, park=facts.park)
    if path is None:
        return ProjectPlan(values, problems=problems)
    values["path"] = path
    _classify(values, current, lookups.suggestions)
    duplicates = [c for c in lookups.candidates if names_similar(name, c.name)] if name else []
    if duplicates and not facts.confirmed_not_duplicate:
        problems.append(Problem("confirm_not_duplicate", duplicate_text(duplicates), DUPLICATE))
    blocked = any(p.code in (INVALID, SCOPE) for p in problems)  # not saved whatever the verdict: not asked
    admission = _admission(facts, values, lookups, problems) if name and not blocked else None
    return ProjectPlan(values, admission, duplicates, problems)
