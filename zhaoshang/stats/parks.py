"""A park's projects, money and 序时进度, for the park's page (a panel the stats app adds to it, ``core.panels``).

A project in a park carries the park's path (``530000/532300/532302/S539053``), so the indicator functions count a
park as they count a jurisdiction: ``indicator_rows`` reads a node's path and level only. Money is that of the
period (January to the last complete month by default): 协议投资额 signed and 到位资金 in place, counted once
(``counted()``), in 万元. 序时进度 needs the park's own targets (``Target.park``); without them the page says so.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Value
from django.urls import reverse

from zhaoshang.core.formatting import wan_exact
from zhaoshang.core.panels import Panel
from zhaoshang.core.scope import path_q
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import FundingRollup, Project, RollupKind
from zhaoshang.regions.models import Park
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, actual, wan_sum
from zhaoshang.stats.models import Target
from zhaoshang.stats.progress import progress, sentence
from zhaoshang.stats.schedule import SCHEDULE_INDICATORS, ScheduleRow
from zhaoshang.stats.sharing import adjustments

PROJECTS_SHOWN = 20
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


@dataclass(frozen=True)
class ParkNode:
    """A park as the indicator functions see a node: its path, and a level below a county's (州外 money is counted
    as for a county)."""

    path: str
    level: int = 4


def park_money(park: Park, period: Period) -> dict:
    """Signed and in place in the period: projects first signed and their 协议投资额 (upgrades count their increase),
    到位资金 and the part from outside the province."""
    node = ParkNode(park.path)
    funds = FundingRollup.objects.filter(
        path_q("path", park.path), kind=RollupKind.TOTAL, month__gte=period.start, month__lte=period.end
    ).aggregate(total=wan_sum("amount_cents"), outside=wan_sum("outside_province_cents"))
    # 利益共享: the shares of transferred projects, as every figure counts them (stats.sharing).
    shared_total, shared_outside = (
        adjustments(measure, node, [period])[0] for measure in ("funds_in_place", "funds_in_place_outside_province")
    )
    return {
        "signed_projects": actual("signed_projects", node, period),
        "agreed_wan": actual("agreed_investment", node, period),
        "funds_wan": wan_exact(funds["total"]) + shared_total,
        "outside_province_wan": wan_exact(funds["outside"]) + shared_outside,
        "industrial_outside_province_wan": actual("funds_outside_province", node, period),
    }


def park_schedule(park: Park, period: Period) -> list[ScheduleRow]:
    """序时进度 of the indicators the park has a target for this year (none: an empty list)."""
    targets: dict[str, dict] = {}
    for target in Target.objects.for_year(period.year).filter(park=park, industry_code=""):
        cell = targets.setdefault(target.indicator, {"amount": None, "growth": None})
        if target.is_growth:
            cell["growth"] = target.value
        else:
            cell["amount"] = target.amount_wan
    node = ParkNode(park.path)
    rows = []
    for code in [c for c in SCHEDULE_INDICATORS if c in targets]:
        cell = targets[code]
        last_year_full = None
        if cell["amount"] is None and cell["growth"] is not None:
            last_year_full = actual(code, node, Period(period.year - 1, 12))
        p = progress(
            month=period.month,
            actual=actual(code, node, period),
            actual_last_year=actual(code, node, period.last_year()),
            last_year_full=last_year_full,
            target=cell["amount"],
            growth_target_pct=cell["growth"],
        )
        text = sentence(p, area="全园区", subject=INDICATORS[code].subject)
        rows.append(ScheduleRow(region=park, indicator=code, progress=p, sentence=text))
    return rows


def park_projects(user, park: Park) -> tuple[int, list[dict]]:
    """The park's projects the user may see (a count, and the largest by 协议投资额 with their pages)."""
    rows = Project.objects.for_user(user).counted().filter(park=park)
    shown = rows.order_by("-agreed_investment_wan", "-id").values(
        "pk", "name", "stage", "agreed_investment_wan", "first_signed_on", "investor__name"
    )[:PROJECTS_SHOWN]
    stages = dict(Stage.choices)
    return rows.count(), [
        {
            "name": row["name"],
            "url": reverse("projects:project_detail", args=[row["pk"]]),
            "stage": stages.get(row["stage"], row["stage"]),
            "agreed_wan": row["agreed_investment_wan"],
            "signed_on": row["first_signed_on"],
            "investor": row["investor__name"],
        }
        for row in shown
    ]


def park_panel(request, *, park: Park) -> Panel | None:
    """The park page's panel: its projects (a list linking to the project ledger filtered by the park), money and
    序时进度, for a user who reads projects."""
    user = request.user
    if not user.has_perm("projects.view_project"):
        return None
    period = Period.requested(request.GET)  # default: the last complete month
    count, projects = park_projects(user, park)
    return Panel(
        "stats/park_panel.html",
        {
            "park": park,
            "period": period,
            "project_count": count,
            "projects": projects,
            "projects_url": reverse("projects:project_list") + f"?park={park.pk}",
            "money": park_money(park, period),
            "schedule": park_schedule(park, period) if user.has_perm("stats.view_target") else None,
        },
    )
