"""The evaluators of the risk rules, one function per rule code, each one query over all projects (set-based: a
scan of 200,000 projects reads a few result sets, never a query per project).

An evaluator gets its rule (for its parameters) and the day of the scan, and returns ``{project_id: Finding}``
for every project on which the rule holds today. The scan (``services.risk_scan``) compares them with the
warnings already recorded."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from zhaoshang.aftercare.choices import PromiseState
from zhaoshang.aftercare.models import Promise, Ticket
from zhaoshang.catalog.models import CreditBlacklistEntry
from zhaoshang.chains.choices import SignalKind
from zhaoshang.chains.models import Signal
from zhaoshang.investors.choices import CreditStatus
from zhaoshang.projects.choices import DecisionKind, DecisionOutcome, Stage
from zhaoshang.projects.models import DecisionRecord, FundingEntry, Project
from zhaoshang.risk.choices import RuleCode


@dataclass(frozen=True)
class Finding:
    path: str
    reason: str
    fact_key: str


Evaluator = Callable[..., dict[int, Finding]]
EVALUATORS: dict[str, Evaluator] = {}
# Projects a warning is about: counted (a merged duplicate is not) and still open (not 终止).
OPEN = ~Q(stage=Stage.TERMINATED) & Q(merged_into__isnull=True)


def evaluator(code: str):
    def register(function: Evaluator) -> Evaluator:
        EVALUATORS[code] = function
        return function

    return register


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (2026-07-15 → 2026-11-15 is 4, → 2026-11-14 is 3)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _signed_for(rule, today: date, default: int, stages) -> tuple[int, object]:
    months = max(1, rule.param("months", default))
    rows = Project.objects.filter(OPEN, stage__in=stages, first_signed_on__lte=months_before(today, months))
    return months, rows


@evaluator(RuleCode.NO_FUNDS)
def no_funds(rule, today: date) -> dict[int, Finding]:
    """Signed N months ago or more and nothing in place yet (the ledger's sum, corrections included, is not above
    zero). The fact is the signing date and how many times N months have passed: dismissed at 3 months, the
    warning comes back at 6."""
    stages = (Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION)
    months, rows = _signed_for(rule, today, 3, stages)
    funded = (
        FundingEntry.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_wan"))
        .values("total")
    )
    rows = rows.annotate(
        in_place=Coalesce(Subquery(funded), Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    ).filter(in_place__lte=0)
    found = {}
    for pk, path, signed in rows.values_list("pk", "path", "first_signed_on").iterator(chunk_size=5000):
        elapsed = months_between(signed, today)
        found[pk] = Finding(
            path, f"{signed:%Y-%m-%d}签约，已{elapsed}个月无资金到位", f"{signed:%Y-%m-%d}|{elapsed // months}"
        )
    return found


@evaluator(RuleCode.NOT_STARTED)
def not_started(rule, today: date) -> dict[int, Finding]:
    """Signed N months ago or more (default 12) and still not 开工."""
    months, rows = _signed_for(rule, today, 12, (Stage.SIGNED, Stage.REGISTERED))
    found = {}
    for pk, path, signed, stage in rows.values_list("pk", "path", "first_signed_on", "stage").iterator(chunk_size=5000):
        elapsed = months_between(signed, today)
        label = Stage(stage).label
        found[pk] = Finding(
            path,
            f"{signed:%Y-%m-%d}签约，已{elapsed}个月仍处于“{label}”阶段、未开工",
            f"{signed:%Y-%m-%d}|{elapsed // months}",
        )
    return found


@evaluator(RuleCode.MILESTONE)
def milestone(rule, today: date) -> dict[int, Finding]:
    """Agreements hold a signing date and a term in years, no milestone dates (开工 / 投产 by): nothing to compare
    a stage with. The rule is shipped disabled; ``not_started`` covers the commonest case."""
    return {}


@evaluator(RuleCode.LAND_IDLE)
def land_idle(rule, today: date) -> dict[int, Finding]:
    """The platform holds no land delivery (交地) dates; shipped disabled until it does."""
    return {}


def _grouped(rows, describe) -> dict[int, Finding]:
    """Several items of one project (promises, requests) give one finding listing them all."""
    items: dict[int, list] = defaultdict(list)
    paths = {}
    for row in rows:
        items[row["project_id"]].append(row)
        paths[row["project_id"]] = row["project__path"]
    found = {}
    for pk, rows_of in items.items():
        rows_of.sort(key=lambda r: r["pk"])
        texts = [describe(r) for r in rows_of]
        reason = "；".join(texts[:3]) + (f"等{len(texts)}项" if len(texts) > 3 else "")
        found[pk] = Finding(paths[pk], reason[:500], ",".join(str(r["pk"]) for r in rows_of)[:200])
    return found


@evaluator(RuleCode.PROMISE_OVERDUE)
def promise_overdue(rule, today: date) -> dict[int, Finding]:
    """Promises the aftercare clock has marked 逾期 (past their due date, not honoured)."""
    rows = Promise.objects.filter(state=PromiseState.OVERDUE).filter(project__in=Project.objects.filter(OPEN))
    rows = rows.values("pk", "project_id", "project__path", "content", "due_on")
    return _grouped(rows, lambda r: f"承诺“{r['content'][:40]}”兑现期限{r['due_on']:%Y-%m-%d}已过，逾期未兑现")


@evaluator(RuleCode.TICKET_OVERDUE)
def ticket_overdue(rule, today: date) -> dict[int, Finding]:
    """Open requests about the project past their time limit."""
    rows = Ticket.objects.overdue(today).filter(project__isnull=False, project__in=Project.objects.filter(OPEN))
    rows = rows.values("pk", "project_id", "project__path", "number", "title", "due_on")
    return _grouped(rows, lambda r: f"企业诉求{r['number']}“{r['title'][:30]}”已超过办理时限（{r['due_on']:%Y-%m-%d}）")


@evaluator(RuleCode.CREDIT)
def credit(rule, today: date) -> dict[int, Finding]:
    """The investor's credit status is 失信, its credit code is on the 失信 list (not removed), or it is deregistered
    (a 企业注销 signal recorded in the enterprise library)."""
    listed = CreditBlacklistEntry.objects.filter(credit_code=OuterRef("investor__credit_code"), removed_on__isnull=True)
    gone = Signal.objects.filter(enterprise=OuterRef("investor_id"), kind=SignalKind.DEREGISTERED)
    rows = (
        Project.objects.filter(OPEN)
        .annotate(listed=Exists(listed), deregistered=Exists(gone))
        .filter(
            Q(investor__credit_status=CreditStatus.DISHONEST)
            | Q(listed=True, investor__credit_code__gt="")
            | Q(deregistered=True)
        )
        .values_list("pk", "path", "investor_id", "investor__name", "investor__credit_status", "listed", "deregistered")
    )
    found = {}
    for pk, path, investor, name, status, on_list, deregistered in rows.iterator(chunk_size=5000):
        parts = []
        if status == CreditStatus.DISHONEST:
            parts.append(f"投资方“{name}”信用状况为失信")
        if on_list:
            parts.append(f"投资方“{name}”列入《全国失信惩戒措施基础清单》失信主体名单")
        if deregistered:
            parts.append(f"投资方“{name}”已注销")
        fact = f"{investor}|{'s' if status == CreditStatus.DISHONEST else ''}{'d' if deregistered else ''}"
        found[pk] = Finding(path, "；".join(parts), fact)
    return found


@evaluator(RuleCode.COLLECTIVE_MISSING)
def collective_missing(rule, today: date) -> dict[int, Finding]:
    """慎招 projects with no 集体决策 record whose outcome is 同意. The fact is the stage: dismissed in 在谈, the
    warning comes back when the project moves on."""
    agreed = DecisionRecord.objects.filter(
        project=OuterRef("pk"), kind=DecisionKind.COLLECTIVE, outcome=DecisionOutcome.AGREED
    )
    rows = (
        Project.objects.filter(OPEN, needs_collective_decision=True)
        .exclude(Exists(agreed))
        .values_list("pk", "path", "stage")
    )
    return {
        pk: Finding(path, f"慎招项目（{Stage(stage).label}阶段）尚无结论为“同意”的集体决策记录", stage)
        for pk, path, stage in rows.iterator(chunk_size=5000)
    }


@evaluator(RuleCode.LAWFULNESS_UNREVIEWED)
def lawfulness_unreviewed(rule, today: date) -> dict[int, Finding]:
    """Promises flagged under 《公平竞争审查条例》 whose legal basis is not recorded and reviewed by a second person
    (the review ``aftercare`` requires before approving payment)."""
    cleared = Q(legal_basis__gt="", basis_recorded_by__isnull=False, reviewed_by__isnull=False)
    rows = (
        Promise.objects.filter(flagged=True)
        .exclude(cleared)
        .exclude(state__in=[PromiseState.HONOURED, PromiseState.TERMINATED])
        .filter(project__in=Project.objects.filter(OPEN))
        .values("pk", "project_id", "project__path", "content", "flag_reasons")
    )
    return _grouped(
        rows,
        lambda r: (
            f"承诺“{r['content'][:40]}”被标记为{('、'.join(r['flag_reasons']) or '公平竞争审查')}，尚未完成合法性审查"
        ),
    )
