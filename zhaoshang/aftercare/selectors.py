"""Reads of the aftercare app: the bureaus' measures and the cockpit's figures, always from the user's rows."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from zhaoshang.accounts.models import Company
from zhaoshang.aftercare.choices import FINAL_STATES, EventKind, PromiseState, Rating, TicketState
from zhaoshang.aftercare.models import Promise, PromisePayment, Ticket, TicketEvent
from zhaoshang.core.scope import path_q
from zhaoshang.regions.models import Region

MEASURES = [
    ("signed_on_time", "按时签收率"),
    ("answered_on_time", "按时办结率"),
    ("solved", "解决率"),
    ("satisfied", "满意率"),
    ("reopened", "重办率"),
    ("withdrawn", "撤单率"),
]


@dataclass
class Measure:
    numerator: list[int] = field(default_factory=list)  # ticket ids
    denominator: list[int] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(len(self.numerator)) * 100 / len(self.denominator)).quantize(Decimal("0.1"))


@dataclass
class BureauMeasures:
    region: Region
    total: int
    measures: dict[str, Measure]

    @property
    def cells(self) -> list[tuple[str, Measure]]:
        return [(label, self.measures[code]) for code, label in MEASURES]


def ticket_measures(rows) -> dict[str, Measure]:
    """The six measures of one bureau's requests. Each keeps the ids behind its figure, for the drill-down:
    按时签收率 = signed on time / signed; 按时办结率 = answered on time / answered; 解决率 = 办结 / accepted (not
    refused, not withdrawn); 满意率 = 满意 or 基本满意 / rated; 重办率 = reopened / answered;
    撤单率 = withdrawn / all."""
    m = {code: Measure() for code, _ in MEASURES}
    rates = TicketEvent.objects.filter(ticket__in=rows, kind=EventKind.RATE)
    rated = set(rates.values_list("ticket_id", flat=True))
    for t in rows.values("pk", "state", "signed_on_time", "answered_on_time", "rating", "reopen_count"):
        pk, state = t["pk"], t["state"]
        if t["signed_on_time"] is not None:
            m["signed_on_time"].denominator.append(pk)
            if t["signed_on_time"]:
                m["signed_on_time"].numerator.append(pk)
        if t["answered_on_time"] is not None:
            m["answered_on_time"].denominator.append(pk)
            m["reopened"].denominator.append(pk)
            if t["answered_on_time"]:
                m["answered_on_time"].numerator.append(pk)
            if t["reopen_count"]:
                m["reopened"].numerator.append(pk)
        if state not in (TicketState.REFUSED, TicketState.WITHDRAWN, TicketState.SUBMITTED):
            m["solved"].denominator.append(pk)
            if state == TicketState.CLOSED:
                m["solved"].numerator.append(pk)
        if pk in rated and t["rating"]:
            m["satisfied"].denominator.append(pk)
            if t["rating"] in (Rating.SATISFIED, Rating.BASIC):
                m["satisfied"].numerator.append(pk)
        m["withdrawn"].denominator.append(pk)
        if state == TicketState.WITHDRAWN:
            m["withdrawn"].numerator.append(pk)
    return m


def bureau_measures(user, *, start: date, end: date) -> list[BureauMeasures]:
    """Per bureau below the user (each county, or each prefecture for the province), requests submitted in the
    period. Available to the rankings and the assessment through this function."""
    tickets = Ticket.objects.for_user(user).filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    node = Region.objects.containing(user.scope_path) if user.scope_path else None
    if node is None:
        children = Region.objects.filter(level=2).order_by("code")
    else:
        children = Region.objects.filter(parent=node).order_by("code") or Region.objects.filter(pk=node.pk)
    result = []
    for region in list(children) + ([node] if node is not None and node.level < 3 else []):
        rows = tickets.filter(path=region.path) if region == node else tickets.filter(path__startswith=region.path)
        total = rows.count()
        if total:
            result.append(BureauMeasures(region=region, total=total, measures=ticket_measures(rows)))
    return result


def cockpit_figures(path: str, today: date | None = None) -> dict:
    """The cockpit's enterprise-service figures for the jurisdiction node ``path`` (the dashboard, which checks the
    user may see that node, reads them through this hook: the dashboard imports aftercare, never the reverse)."""
    today = today or timezone.localdate()
    tickets = Ticket.objects.filter(path_q("path", path))
    promises = Promise.objects.filter(path_q("path", path))
    rated = tickets.exclude(rating="")
    rated_count = rated.count()
    satisfied = rated.filter(rating__in=[Rating.SATISFIED, Rating.BASIC]).count()
    paid = PromisePayment.objects.filter(promise__in=promises).aggregate(total=Sum("amount_wan"))["total"]
    return {
        "companies": Company.objects.filter(path_q("path", path)).count(),
        "open": tickets.exclude(state__in=FINAL_STATES).count(),
        "overdue": tickets.overdue(today).count(),
        "solved": tickets.solved().count(),
        "satisfaction": (Decimal(satisfied) * 100 / rated_count).quantize(Decimal("0.1")) if rated_count else None,
        "promises_due": promises.due_by(today).count(),
        "promises_honoured": promises.filter(state=PromiseState.HONOURED).count(),
        "paid_wan": paid or Decimal("0"),
    }
