"""The checks of a project import: each row against the rules, 甄别 against the database, admission."""

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import Q
from django.utils import timezone

from zhaoshang.catalog.services import admission_batch
from zhaoshang.core.audit import JSONText, canonical_json
from zhaoshang.core.validators import business_date_error
from zhaoshang.investors.groups import NO_GROUP, group_flags_many
from zhaoshang.investors.models import Enterprise
from zhaoshang.projects.choices import SIGNED_OR_LATER, STAGE_PATH, Stage
from zhaoshang.projects.models import Project
from zhaoshang.projects.models.admission import AdmissionVerdict
from zhaoshang.projects.services.admission import admission_refusal_text
from zhaoshang.projects.services.importing.rows import CHUNK, HEADERS, ProjectRow
from zhaoshang.projects.services.lifecycle import COLLECTIVE_DECISION_FIRST
from zhaoshang.projects.services.plan import (
    ADMISSION,
    DUPLICATE,
    SCOPE,
    PlanLookups,
    WriteFacts,
    _plain_name,
    names_similar,
    plan_basics,
    project_plan,
)

Candidate = namedtuple("Candidate", "pk name")  # an existing project 甄别 compares a row with
# A plan's field → the template column its problem is shown under.
PLAN_COLUMNS = {
    "agreed_investment_wan": "amount_wan",
    "confirm_not_duplicate": "name",
    "admission": "name",
    "admission_override_reason": "name",
}


def _facts(row: ProjectRow) -> WriteFacts:
    """The row as the plan reads it: the facts the project form states, from the file's columns."""
    return WriteFacts(
        name=row.name,
        investor_name=row.investor_name,
        investor_credit_code=row.credit_code,
        investor_normalised=row.investor_normalised,
        county=row.county,
        park=row.park,
        fields={
            "description": row.description,
            "key_industry": row.key_industry,
            "industry_class": row.industry_class,
            "agreed_investment_wan": row.amount_wan,
            "source_province": row.source_province or "",
            "responsible_person": row.responsible_person or "",
            "land_mu": row.land_mu,
            "expected_annual_tax_wan": row.expected_annual_tax_wan,
        },
    )


def _row_problems(row: ProjectRow, actor, today: date) -> list[tuple[str, str]]:
    """Problems of one row on its own: the plan's first part (name, investor, place, scope), then what the row's
    stage needs (the lifecycle rules)."""
    row.facts = _facts(row)
    row.basics = plan_basics(facts=row.facts, actor=actor)
    path, basics = row.basics
    problems = [
        (PLAN_COLUMNS.get(p.field, p.field), p.message + ("，不能导入" if p.code == SCOPE else "")) for p in basics
    ]
    if path is None:
        return problems
    for key in ("registered_on", "signed_on", "stage_on"):
        day = getattr(row, key)
        if day is not None and (date_problem := business_date_error(day, today=today)):
            problems.append((key, date_problem))
    if row.stage not in STAGE_PATH:
        return problems + [("stage", "只能导入线索、在谈、签约、注册、开工、投产阶段的项目")]
    signed = STAGE_PATH.index(row.stage) >= STAGE_PATH.index(Stage.SIGNED)
    label = Stage(row.stage).label
    if signed:
        if row.signed_on is None:
            problems.append(("signed_on", f"阶段为“{label}”须填写签约日期"))
        if row.amount_wan is None or row.amount_wan <= 0:
            problems.append(("amount_wan", f"阶段为“{label}”须填写协议投资额（大于0）"))
    elif row.signed_on is not None:
        problems.append(("signed_on", f"阶段为“{label}”的项目尚未签约，不填写签约日期"))
    if row.stage in (Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION) and row.stage_on is None:
        problems.append(("stage_on", f"阶段为“{label}”须填写进入该阶段的日期"))
    if row.stage == Stage.SIGNED and row.stage_on and row.signed_on and row.stage_on != row.signed_on:
        problems.append(("stage_on", "签约阶段的阶段日期即签约日期，请留空或与签约日期一致"))
    if row.stage == Stage.LEAD and row.stage_on and row.registered_on and row.stage_on != row.registered_on:
        problems.append(("stage_on", "线索阶段的阶段日期即登记日期，请留空或与登记日期一致"))
    if problems:
        return problems
    previous = None  # (stage, date) of the latest dated step
    for stage, day in row.steps(today):
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            key = "signed_on" if stage == Stage.SIGNED else "stage_on"
            earlier = "签约日期" if previous[0] == Stage.SIGNED else "登记日期"
            problems.append((key, f"不能早于{earlier}（{previous[1]:%Y-%m-%d}）"))
            break
        previous = (stage, day)
    return problems


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _enterprises_by_code_and_name(rows: Sequence[ProjectRow]) -> tuple[dict, dict]:
    codes = sorted({r.credit_code for r in rows if r.credit_code})
    names = sorted({r.investor_normalised for r in rows} - {""})
    by_code, by_name = {}, {}
    for chunk in _chunks(codes):
        for enterprise in Enterprise.objects.filter(credit_code__one_of=chunk).order_by("-pk"):
            by_code[enterprise.credit_code] = enterprise  # the oldest wins, as in enterprise_get_or_create
    for chunk in _chunks(names):
        for enterprise in Enterprise.objects.filter(normalised_name__one_of=chunk).order_by("-pk"):
            by_name[enterprise.normalised_name] = enterprise
    return by_code, by_name


def _county_code_conditions(codes_by_county: dict[int, set[str]]) -> Iterable[Q]:
    """Conditions for the projects with these (county, 项目编号) pairs, each for at most CHUNK codes. Each county's
    codes are looked up in that county alone, through the partial unique index on both columns (whose condition,
    a code is set, is repeated so that both databases see the index applies): all codes against all the file's
    counties at once read every project of those counties."""
    condition, size = Q(), 0
    for county, codes in sorted(codes_by_county.items()):
        codes = sorted(codes)
        while codes:
            part, codes = codes[: CHUNK - size], codes[CHUNK - size :]
            condition |= Q(county_id=county, external_code__one_of=part)
            size += len(part)
            if size == CHUNK:
                yield condition & ~Q(external_code="")
                condition, size = Q(), 0
    if size:
        yield condition & ~Q(external_code="")


def _investor_key(row: ProjectRow, by_code: dict) -> str:
    """The investor as 甄别 compares it: the enterprise the credit code names, else the normalised name."""
    found = by_code.get(row.credit_code) if row.credit_code else None
    return found.normalised_name if found is not None else row.investor_normalised


def _duplicate_problems(
    actor, rows: Sequence[ProjectRow], by_code: dict
) -> tuple[list[tuple[int, str, str]], dict[int, int], dict[int, list]]:
    """Duplicates within the file, and what 甄别 compares each row with. Returns the problems, the rows that are
    already imported (same 项目编号 in the county, or the same investor and name), row number → project id, and
    each row's candidates among the existing projects (for ``project_plan``).
    Only projects the actor may see are compared and named (a park officer's county holds other parks'
    projects); a 项目编号 is unique in the whole county, so one taken by a project out of sight is refused
    without naming it."""
    problems, existing_rows, candidates = [], {}, {}
    counties = sorted({r.county.pk for r in rows})
    keys = {r.number: _investor_key(r, by_code) for r in rows}
    codes_by_county = defaultdict(set)
    for row in rows:
        if row.external_code:
            codes_by_county[row.county.pk].add(row.external_code)
    visible = Project.objects.for_user(actor)
    taken = {}  # (county, 项目编号) → project id
    for same_code in _county_code_conditions(codes_by_county):
        found = Project.objects.filter(same_code).order_by().values_list("pk", "county_id", "external_code")
        for pk, county, code in found:
            taken[(county, code)] = pk
    seen_ids = set()
    for chunk in _chunks(sorted(taken.values())):
        seen_ids.update(visible.filter(pk__one_of=chunk).values_list("pk", flat=True))
    taken_codes, known_codes = set(taken), {key for key, pk in taken.items() if pk in seen_ids}
    existing = defaultdict(list)  # (county, investor key) → [(pk, name, code)]
    for chunk in _chunks(sorted(set(keys.values()))):
        for pk, name, code, county, investor in (
            visible.counted()
            .filter(county_id__in=counties, investor__normalised_name__one_of=chunk)
            .values_list("pk", "name", "external_code", "county_id", "investor__normalised_name")
            .order_by("pk")
        ):
            existing[(county, investor)].append((pk, name, code))
    seen = defaultdict(list)  # within the file: (county, investor key) → [(row number, name, code)]
    seen_codes = {}
    for row in rows:
        group = (row.county.pk, keys[row.number])
        code = row.external_code
        if code and (row.county.pk, code) in known_codes:
            existing_rows[row.number] = taken[(row.county.pk, code)]
            continue
        if code and (row.county.pk, code) in taken_codes:
            problems.append((row.number, HEADERS["external_code"], "已被本县市区的其他项目使用，请更换项目编号"))
            continue
        if code and (row.county.pk, code) in seen_codes:
            problems.append((row.number, HEADERS["external_code"], f"与第{seen_codes[(row.county.pk, code)]}行重复"))
            continue
        plain = _plain_name(row.name)
        same = next((pk for pk, name, _ in existing[group] if _plain_name(name) == plain), None)
        if not code and same is not None:
            existing_rows[row.number] = same
            continue
        # 甄别 against existing projects is the plan's (``project_plan``): the row's candidates go to it.
        candidates[row.number] = [
            Candidate(pk, name) for pk, name, other in existing[group] if not (code and other and code != other)
        ]
        if any(names_similar(row.name, c.name) for c in candidates[row.number]):
            continue  # the plan refuses it; not a twin for the rows below
        twin = next(
            (
                number
                for number, name, other in seen[group]
                if not (code and other and code != other) and names_similar(row.name, name)
            ),
            None,
        )
        if twin is not None:
            problems.append((row.number, HEADERS["name"], f"与第{twin}行疑似重复（同一县市区、同一投资方、名称相近）"))
            continue
        seen[group].append((row.number, row.name, code))
        if code:
            seen_codes[(row.county.pk, code)] = row.number
    return problems, existing_rows, candidates


@dataclass
class ImportCheck:
    """The result of checking rows, for ``projects_import_rows`` to reuse when it runs in the same transaction
    right after (the 台账 import checks for its preview, then writes): the rules are not applied twice."""

    numbers: frozenset
    problems: list
    existing: dict
    lookups: tuple


def projects_import_check(*, actor, rows: Sequence[ProjectRow]) -> ImportCheck:
    problems, existing, lookups = _check(actor, rows)
    return ImportCheck(frozenset(r.number for r in rows), problems, existing, lookups)


def projects_import_problems(*, actor, rows: Sequence[ProjectRow]) -> tuple[list[tuple[int, str, str]], dict[int, int]]:
    """Every problem of ``rows`` (sorted by row), and the rows already imported (row number → project id). Each
    row checked for admission keeps its verdict as ``row.admission`` (the 台账 preview shows it)."""
    problems, existing, _ = _check(actor, rows)
    return problems, existing


IMPORT_CAUTIOUS_HINT = "；请按“在谈”阶段导入，录入集体决策后在平台办理签约"
IMPORT_DUPLICATE_HINT = "；如确为不同项目，请在平台逐个录入"


def _plan_problems(
    actor, rows: Sequence[ProjectRow], *, lookups: tuple[dict, dict] = ({}, {}), candidates: dict | None = None
) -> list[tuple[int, str, str]]:
    """Each row through ``project_plan``, the same plan as the project form, with what it reads preloaded for the
    whole file: the investors' groups (500强 / 链主), the 甄别 candidates, the admission tables (one batch). A 不招
    row cannot be imported (an override needs a decision taken on the project page by an authorised user); a likely
    duplicate cannot be confirmed in a file. Each row keeps its plan (``row.plan``) and verdict (``row.admission``)
    for the project record."""
    by_code, by_name = lookups
    groups = group_flags_many({e.pk: e for e in (*by_code.values(), *by_name.values())}.values())
    candidates = candidates or {}
    problems = []
    batch = admission_batch(credit_codes=[r.credit_code for r in rows], names=[r.investor_name for r in rows])
    with batch:
        for row in rows:
            investor = by_code.get(row.credit_code) if row.credit_code else None
            investor = investor or by_name.get(row.investor_normalised)
            lookup = PlanLookups(
                group=groups.get(investor.pk, NO_GROUP) if investor is not None else NO_GROUP,
                candidates=candidates.get(row.number, ()),
            )
            # The row's facts and the plan's first part, as ``_row_problems`` found them (not worked out twice).
            facts = getattr(row, "facts", None) or _facts(row)
            row.plan = project_plan(facts=facts, actor=actor, lookups=lookup, basics=getattr(row, "basics", None))
            row.admission = row.plan.admission
            if row.plan.values.get("needs_collective_decision") and row.stage in SIGNED_OR_LATER:
                # A file carries no decision record: the project comes in before its signature and signs on the
                # platform once its 集体决策 is recorded (the same rule as every stage change).
                problems.append((row.number, HEADERS["stage"], f"{COLLECTIVE_DECISION_FIRST}{IMPORT_CAUTIOUS_HINT}"))
            for problem in row.plan.problems:
                if problem.code == ADMISSION:
                    message = admission_refusal_text(row.admission, act="导入")
                elif problem.code == DUPLICATE:
                    message = problem.message + IMPORT_DUPLICATE_HINT
                else:
                    message = problem.message
                column = PLAN_COLUMNS.get(problem.field, problem.field)
                problems.append((row.number, HEADERS.get(column, HEADERS["name"]), message))
    return problems


@lru_cache(maxsize=1024)
def _json_strings(items: tuple[str, ...]) -> JSONText:
    """A list of strings as the database keeps it: most rows of a file share their rules and reasons."""
    return canonical_json(list(items))


def _admission_fields(admission) -> dict:
    return {
        "admission_verdict": admission.verdict,
        "admission_rules": _json_strings(tuple(admission.rules)),
        "admission_reasons": _json_strings(tuple(admission.reasons)),
        "needs_collective_decision": admission.verdict == AdmissionVerdict.REVIEW,
    }


def _check(actor, rows: Sequence[ProjectRow]) -> tuple[list[tuple[int, str, str]], dict[int, int], tuple[dict, dict]]:
    today = timezone.localdate()
    problems, valid = [], []
    for row in rows:
        found = _row_problems(row, actor, today)
        problems.extend((row.number, HEADERS[key], message) for key, message in found)
        if not found:
            valid.append(row)
    lookups = _enterprises_by_code_and_name(valid)
    duplicates, existing, candidates = _duplicate_problems(actor, valid, dict(lookups[0]))
    problems.extend(duplicates)
    todo = [row for row in valid if row.number not in existing]
    problems.extend(_plan_problems(actor, todo, lookups=lookups, candidates=candidates))
    problems.sort(key=lambda p: p[0])
    return problems, existing, lookups
