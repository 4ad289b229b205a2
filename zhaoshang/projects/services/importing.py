"""Bulk import of projects (Excel): the rules of ``project_create``, the lifecycle and 甄别, applied to many rows
at once, then written with bulk inserts in one transaction.

``projects_import_problems`` checks rows against the rules and the database and returns every problem as
``(row number, column header, message)``; ``projects_import_rows`` checks again inside its transaction and, only
when no row fails, writes projects, their transitions and agreements, new investors, and the audit rows: the
import is one change, recorded once per jurisdiction node it filled (so each office sees the part in its scope),
each row listing the projects it created by id and file row (``AuditLog.objects.about`` finds it from a project);
an existing investor whose credit code the file fills in gets its own before/after row.

The stable key of an imported row is its 项目编号 (``Project.external_code``, unique per county): a row whose
项目编号 already exists in its county is "already imported" and creates nothing. A row without a 项目编号 is
already imported when a project of the same county and investor has the same name; a merely similar name is
a likely duplicate (甄别) and fails the row, naming the existing project.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.catalog.services import admission_batch
from zhaoshang.core.audit import ROOT_PATH, JSONText, audit_record_many, canonical_json, snapshot
from zhaoshang.core.bulk import insert_rows, reserve_ids
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.core.validators import business_date_error
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import STAGE_PATH, AgreementKind, ProjectSource, Stage, region_group_for
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import Agreement, Project, ProjectTransition
from zhaoshang.projects.models.admission import AdmissionVerdict
from zhaoshang.projects.services.admission import admission_evaluate
from zhaoshang.projects.services.projects import _plain_name, names_similar
from zhaoshang.projects.services.rollup import figures_changed

# Column headers of the import template, used in every message (``第57行 协议投资额（万元）: 必须为数字``).
HEADERS = {
    "external_code": "项目编号",
    "name": "项目名称",
    "investor_name": "投资方",
    "credit_code": "统一社会信用代码",
    "county": "县市区",
    "park": "园区",
    "key_industry": "重点产业",
    "stage": "阶段",
    "registered_on": "登记日期",
    "signed_on": "签约日期",
    "stage_on": "阶段日期",
    "amount_wan": "协议投资额（万元）",
    "source_province": "资金来源省份",
    "responsible_person": "责任人",
    # What the admission check (准入) needs beyond the name and the amount, as on the project form.
    "description": "项目简介",
    "land_mu": "用地（亩）",
    "expected_annual_tax_wan": "预期年税收（万元）",
    "industry_class": "行业代码",
}
IMPORT_NOTE = "Excel导入"
BATCH = 1000
CHUNK = 900  # values per IN (...) lookup, below every database's parameter limit


class ProjectImportError(ValidationError):
    """Rows that fail; ``problems`` are (row number, header, message). Nothing was written."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        super().__init__([format_problem(p) for p in problems])


def format_problem(problem: tuple[int, str, str]) -> str:
    number, header, message = problem
    return f"第{number}行 {header}: {message}"


@dataclass
class ProjectRow:
    """One parsed row. 登记日期 left empty is the earliest date given (else today); no other date is derived: a
    stage the project passed without a date in the file is recorded without one (``steps``)."""

    number: int
    name: str
    investor_name: str
    county: object  # regions.Region (a county)
    stage: str = Stage.LEAD
    park: object | None = None
    key_industry: object | None = None
    external_code: str = ""
    credit_code: str = ""
    registered_on: date | None = None
    signed_on: date | None = None
    stage_on: date | None = None
    amount_wan: Decimal | None = None
    source_province: str = ""
    responsible_person: str = ""
    description: str = ""
    land_mu: Decimal | None = None
    expected_annual_tax_wan: Decimal | None = None
    industry_class: object | None = None  # catalog.IndustryClass (a GB/T 4754 small class)

    @cached_property
    def investor_normalised(self) -> str:
        return normalise_enterprise_name(self.investor_name)

    @property
    def node_path(self) -> str:
        return self.park.path if self.park is not None else self.county.path

    def entered_on(self, today: date) -> date:
        given = [d for d in (self.registered_on, self.signed_on, self.stage_on) if d]
        return self.registered_on or (min(given) if given else today)

    def steps(self, today: date) -> list[tuple[str, date | None]]:
        """The transitions that bring a new lead to the row's stage, none skipped, each with the date the file
        gives for it: 线索 on the entry date, 签约 on the signing date, the row's own stage on its 阶段日期. A stage
        passed on the way (在谈 of a signed project, 注册 of one under construction) has no date in the file and
        gets none (``None``, shown as 日期未填报): the import never invents one."""
        steps = [(Stage.LEAD, self.entered_on(today))]
        for stage in STAGE_PATH[1 : STAGE_PATH.index(self.stage) + 1]:
            if stage == Stage.SIGNED:
                day = self.signed_on
            elif stage == self.stage:
                day = self.stage_on
            else:
                day = None
            steps.append((stage, day))
        return steps


@dataclass
class ImportOutcome:
    created: list[int] = field(default_factory=list)  # ids of the new projects
    existing: int = 0
    enterprises_created: int = 0
    transitions: int = 0
    agreements: int = 0


def _row_problems(row: ProjectRow, node: str | None, superuser: bool, today: date) -> list[tuple[str, str]]:
    """Problems of one row on its own: scope, place, and what its stage needs (the lifecycle rules)."""
    problems = []
    if not row.name.strip():
        problems.append(("name", "不能为空"))
    if not row.investor_normalised:
        problems.append(("investor_name", "请填写投资方企业名称"))
    if row.county is None or getattr(row.county, "level", None) != 3:
        return problems + [("county", "请选择县市区")]
    if row.park is not None and row.park.region_id != row.county.pk:
        problems.append(("park", f"园区“{row.park.name}”不属于{row.county.name}"))
    elif not superuser and (not node or not path_within(row.node_path, node)):
        column = "park" if row.park is not None and path_within(row.county.path, node or "-") else "county"
        problems.append((column, "不在您的辖区内，不能导入"))
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
) -> tuple[list[tuple[int, str, str]], dict[int, int]]:
    """Duplicates against existing projects and within the file. Returns the problems and the rows that are
    already imported (same 项目编号 in the county, or the same investor and name), row number → project id.
    Only projects the actor may see are compared and named (a park officer's county holds other parks'
    projects); a 项目编号 is unique in the whole county, so one taken by a project out of sight is refused
    without naming it."""
    problems, existing_rows = [], {}
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
        clash = next(
            (
                (pk, name)
                for pk, name, other in existing[group]
                if not (code and other and code != other) and names_similar(row.name, name)
            ),
            None,
        )
        if clash is not None:
            problems.append(
                (
                    row.number,
                    HEADERS["name"],
                    f"与已有项目“{clash[1]}”（系统编号 {clash[0]}）疑似重复（同一县市区、同一投资方、名称相近）；"
                    "如确为不同项目，请在平台逐个录入",
                )
            )
            continue
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
    return problems, existing_rows


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


def _admission_problems(rows: Sequence[ProjectRow]) -> list[tuple[int, str, str]]:
    """The same admission check as the project form: a 不招 row cannot be imported (an override needs a decision
    taken on the project page by an authorised user); each row keeps its verdict for the project record."""
    problems = []
    batch = admission_batch(credit_codes=[r.credit_code for r in rows], names=[r.investor_name for r in rows])
    with batch:
        for row in rows:
            row.admission = _evaluate(row)
            if row.admission is not None and row.admission.verdict == AdmissionVerdict.REJECT:
                reasons = "；".join(row.admission.blocking_reasons)
                unchecked = "".join(row.admission.not_checked)
                message = f"准入检查结论为“不招”，不能导入：{reasons}" + (
                    f"（未检查：{unchecked}）" if unchecked else ""
                )
                problems.append((row.number, HEADERS["name"], message))
    return problems


def _evaluate(row: ProjectRow):
    """The facts the project form's check reads (``admission_apply``), from the row."""
    return admission_evaluate(
        name=row.name,
        description=row.description,
        investment_wan=row.amount_wan,
        land_mu=row.land_mu,
        expected_annual_tax_wan=row.expected_annual_tax_wan,
        investor_name=row.investor_name,
        investor_credit_code=row.credit_code,
        county=row.county,
        park=row.park,
        industry_class=row.industry_class,
        classify=False,
    )


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
    node, superuser = user_node_path(actor), actor.is_superuser
    problems, valid = [], []
    for row in rows:
        found = _row_problems(row, node, superuser, today)
        problems.extend((row.number, HEADERS[key], message) for key, message in found)
        if not found:
            valid.append(row)
    lookups = _enterprises_by_code_and_name(valid)
    duplicates, existing = _duplicate_problems(actor, valid, dict(lookups[0]))
    problems.extend(duplicates)
    problems.extend(_admission_problems([row for row in valid if row.number not in existing]))
    problems.sort(key=lambda p: p[0])
    return problems, existing, lookups


def _resolve_enterprises(
    *, actor, rows: Sequence[ProjectRow], lookups: tuple[dict, dict], audits: list, now
) -> tuple[dict[int, int], dict[str, int]]:
    """Investor per row, as ``enterprise_get_or_create`` would find or create it (``lookups``: the enterprises
    with the rows' credit codes and normalised names, read once), and the new enterprises (id → first row)."""
    by_code, by_name = dict(lookups[0]), lookups[1]
    chosen, new, backfill = {}, {}, {}
    first_rows = {}  # normalised name of a new enterprise → the file row that created it
    for row in rows:
        code, name, normalised = row.credit_code, row.investor_name.strip(), row.investor_normalised
        enterprise = by_code.get(code) if code else None
        if enterprise is None:
            enterprise = by_name.get(normalised) or new.get(normalised)
            if enterprise is not None and code and not _get(enterprise, "credit_code"):
                if isinstance(enterprise, Enterprise):
                    backfill[enterprise.pk] = (enterprise, snapshot(enterprise))
                    enterprise.credit_code = code
                else:
                    enterprise["credit_code"] = code
                by_code[code] = enterprise
        if enterprise is None:
            enterprise = {
                "name": name,
                "normalised_name": normalised,
                "credit_code": code,
                "created_by_id": actor.pk,
                "updated_by_id": actor.pk,
                "created_at": now,
                "updated_at": now,
            }
            new[normalised], first_rows[normalised] = enterprise, row.number
            if code:
                by_code[code] = enterprise
        chosen[row.number] = enterprise
    created = list(new.values())
    for pk, row in zip(reserve_ids(Enterprise, len(created)), created, strict=True):
        row["id"] = pk
    insert_rows(Enterprise, created)
    for enterprise, _ in backfill.values():
        enterprise.updated_by, enterprise.updated_at = actor, now
    Enterprise.objects.bulk_update(
        [e for e, _ in backfill.values()], ["credit_code", "updated_by", "updated_at"], batch_size=BATCH
    )
    audits.extend(
        (Action.UPDATE, "investors.Enterprise", e.pk, str(e), None, before, snapshot(e))
        for e, before in backfill.values()
    )
    new_rows = {str(row["id"]): first_rows[normalised] for normalised, row in new.items()}
    return {number: _get(e, "id") for number, e in chosen.items()}, new_rows


def _get(enterprise, name: str):
    return enterprise[name] if isinstance(enterprise, dict) else getattr(enterprise, "pk" if name == "id" else name)


def _import_audits(
    source_name: str, projects: list[dict], numbers: list[int], new_enterprises: dict, node: str, summary: dict
) -> list[tuple]:
    """One import row per node that received projects, plus the importer's own node (the summary, and the new
    investors, which are not scoped to a node); each lists what it created as {id: row number}."""
    created_by_node = defaultdict(dict)
    for project, number in zip(projects, numbers, strict=True):
        created_by_node[project["path"]][str(project["id"])] = number
    created_by_node.setdefault(node, {})
    entries = []
    for path, created in sorted(created_by_node.items()):
        after = {"file": source_name, "objects": {"project": created}}
        count = len(created)
        if path == node:
            after.update(summary)
            after["objects"]["enterprise"] = new_enterprises
            count = summary["created"]
        title = f"Excel导入项目：{source_name or '文件'}（{count}个）"
        entries.append((Action.IMPORT, "projects.Project", "", title, path, None, after))
    return entries


@transaction.atomic
def projects_import_rows(
    *,
    actor,
    rows: Sequence[ProjectRow],
    source_name: str = "",
    progress: Callable[[str], None] | None = None,
    after_write: Callable[[dict[int, int]], dict] | None = None,
    check: ImportCheck | None = None,
) -> ImportOutcome:
    """Create the projects of ``rows`` in one transaction, or nothing: every row is checked first (scope, place,
    lifecycle needs, duplicates) and any problem raises ``ProjectImportError`` with all of them. Rows already
    imported are skipped. Projects come in as 线索 and move through each stage up to the row's, with an
    agreement before 签约, as ``project_advance`` and ``agreement_create`` would record them.

    ``after_write(row number → project id, new and already imported)`` runs in the same transaction once the
    projects exist (the 台账 import writes their funds history there); what it returns joins the summary of the
    import's audit row, so the whole import stays one recorded change. It raises ``ProjectImportError`` to undo
    everything. ``check``: the result of ``projects_import_check`` on the same rows earlier in the caller's
    transaction, used instead of checking again."""
    if check is not None and transaction.get_connection().in_atomic_block and check.numbers == {r.number for r in rows}:
        problems, existing, lookups = check.problems, check.existing, check.lookups
    else:
        problems, existing, lookups = _check(actor, rows)
    if problems:
        raise ProjectImportError(problems)
    todo = [row for row in rows if row.number not in existing]
    outcome = ImportOutcome(existing=len(existing))
    today, now = timezone.localdate(), timezone.now()
    audits: list = []
    if progress:
        progress("正在写入投资方")
    investors, new_enterprises = _resolve_enterprises(actor=actor, rows=todo, lookups=lookups, audits=audits, now=now)
    outcome.enterprises_created = len(new_enterprises)
    if progress:
        progress("正在写入项目")
    projects, transitions, agreements = [], [], []
    ids = iter(reserve_ids(Project, len(todo)))
    zero = Decimal("0.00")
    for row in todo:
        steps = row.steps(today)
        province = row.source_province or ""
        group = region_group_for(province)
        signed_on = row.signed_on if row.stage != Stage.LEAD else None
        project = {
            "id": next(ids),
            "path": row.node_path,
            "name": row.name.strip(),
            "description": row.description.strip(),
            "investor_id": investors[row.number],
            "key_industry_id": row.key_industry.pk if row.key_industry is not None else None,
            "industry_class_id": row.industry_class.pk if row.industry_class is not None else None,
            "land_mu": row.land_mu,
            "expected_annual_tax_wan": row.expected_annual_tax_wan,
            "county_id": row.county.pk,
            "park_id": row.park.pk if row.park is not None else None,
            "agreed_investment_wan": row.amount_wan if row.amount_wan is not None else zero,
            "source_province": province,
            "region_group": group,
            "is_foreign": group == "abroad",
            "responsible_person": row.responsible_person or "",
            "stage": steps[-1][0],
            # The row's 阶段日期, else (a 在谈 row without one) the latest date known: the earliest the next
            # stage can be dated. The transition itself stays undated.
            "stage_on": next(day for _, day in reversed(steps) if day is not None),
            "first_signed_on": signed_on,
            "external_code": row.external_code or "",
            **_admission_fields(row.admission),
        }
        projects.append(project)
        previous = ""
        for stage, on in steps:
            note = "" if stage == Stage.LEAD else IMPORT_NOTE
            transitions.append(
                {"project_id": project["id"], "from_stage": previous, "to_stage": stage, "on": on, "note": note}
            )
            previous = stage
        if signed_on is not None:
            # A first agreement counts whole.
            amount = row.amount_wan
            agreements.append(
                {
                    "project_id": project["id"],
                    "signed_on": signed_on,
                    "amount_wan": amount,
                    "counted_amount_wan": amount,
                }
            )
    stamped = {"created_by_id": actor.pk, "created_at": now}
    insert_rows(
        Project,
        projects,
        shared=stamped | {"updated_by_id": actor.pk, "updated_at": now, "source": ProjectSource.IMPORT},
    )
    if progress:
        progress("正在写入阶段记录和协议")
    for model, batch, shared in (
        (ProjectTransition, transitions, {"actor_id": actor.pk, "created_at": now}),
        (Agreement, agreements, stamped | {"kind": AgreementKind.CONTRACT, "note": IMPORT_NOTE}),
    ):
        for pk, item in zip(reserve_ids(model, len(batch)), batch, strict=True):
            item["id"] = pk
        insert_rows(model, batch, shared=shared)
    extra = {}
    if after_write is not None:
        extra = after_write(dict(existing) | {row.number: p["id"] for row, p in zip(todo, projects, strict=True)})
    if progress:
        progress("正在写入审计记录")
    summary = {
        "rows": len(rows),
        "created": len(projects),
        "already_imported": outcome.existing,
        "enterprises_created": outcome.enterprises_created,
        "transitions": len(transitions),
        "agreements": len(agreements),
        **(extra or {}),
    }
    node = user_node_path(actor) or ROOT_PATH
    audits.extend(_import_audits(source_name, projects, [row.number for row in todo], new_enterprises, node, summary))
    audit_record_many(actor=actor, entries=audits, path=node, at=now)
    # New projects bring no ledger rows (the roll-up is unchanged); their signings and agreements are figures.
    figures_changed()
    outcome.created = [p["id"] for p in projects]
    projects_written(actor=actor, project_ids=outcome.created, investor_ids={p["investor_id"] for p in projects})
    outcome.transitions, outcome.agreements = len(transitions), len(agreements)
    return outcome
