"""Indicators computed from the ledger and the project records, for any jurisdiction node, year and months 1–m.

One function per question, each a single aggregate query (rankings group children in the same query by the
prefecture or county code inside the materialized path). Counting-once rules come from the projects app's
QuerySet methods: merged duplicates never count, a project is signed once (first signing), an upgrade counts
only its increment, a capital increase (增资) is a child project holding only its increment and is not a new
signed project.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from zhaoshang.core.formatting import wan_exact
from zhaoshang.core.periods import last_complete_month, requested_month
from zhaoshang.core.scope import path_q
from zhaoshang.projects.choices import ProjectCategory
from zhaoshang.projects.models import Agreement, FundingRollup, Project, RollupKind
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.models import Target
from zhaoshang.stats.progress import Progress, progress, sentence
from zhaoshang.stats.sharing import adjustments, adjustments_by_child, applies

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))
WAN_PER_CENT = Decimal("0.01")  # the roll-up keeps hundredths of the ledger's 万元 as integers
# Position of a prefecture's and a county's code inside a path "530000/532300/532302/...", 1-based.
CHILD_CODE_AT = {1: 8, 2: 15}


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def last_year(self) -> "Period":
        return Period(self.year - 1, self.month)

    @classmethod
    def default(cls, today: date | None = None) -> "Period":
        """The last complete month (``core/periods.py``): what every page with a period opens on."""
        return cls(*last_complete_month(today))

    @classmethod
    def requested(cls, params, today: date | None = None) -> "Period":
        """The period a page's query string asks for (``year``, ``month``), else the default."""
        return cls(*requested_month(params, today))


def wan_sum(cents_field: str, where: Q | None = None):
    """The sum of a roll-up column (hundredths of 万元, integers: exact on both databases; see ``FundingRollup``),
    in 万元; ``where`` limits it to some of the rows (one query, several periods)."""
    return ExpressionWrapper(
        Coalesce(Sum(cents_field, filter=where), 0) * Value(WAN_PER_CENT),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


@dataclass(frozen=True)
class Span:
    """Any stretch of days (``Period`` is January to a month): the rows several periods read together."""

    start: date
    end: date


def indicator_value(indicator: str, node: Region, where: Q | None = None):
    """The aggregate of one indicator over ``indicator_rows``, optionally of the rows ``where`` selects."""
    if indicator.startswith("funds_"):
        if indicator == "funds_outside_prefecture" and node.level > 1:
            return wan_sum("outside_prefecture_cents", where)
        return wan_sum("outside_province_cents", where)
    if indicator == "agreed_investment":
        return Coalesce(Sum("counted_amount_wan", filter=where), ZERO)
    return Count("id", filter=where)


def _in_period(indicator: str, period) -> Q:
    """The rows of ``indicator_rows`` that fall in ``period``, by the date the indicator counts them on."""
    field = "month" if indicator.startswith("funds_") else "signed_on" if indicator == "agreed_investment" else None
    field = field or "first_signed_on"
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def indicator_rows(indicator: str, node: Region, period: Period, by: str = RollupKind.TOTAL):
    """(queryset, path field, value expression) for one indicator in a node and period. Money in place reads the
    ledger's monthly roll-up (``FundingRollup``: the counted ledger summed by month and path, and by key industry
    or source region in its ``by`` kind, which the ledger services keep equal to the ledger); at two million
    entries a sum of the ledger itself scans it, the roll-up's total kind holds a row or two per county and month."""
    if indicator.startswith("funds_"):
        rows = FundingRollup.objects.filter(kind=by, month__gte=period.start, month__lte=period.end)
        rows = rows.filter(path_q("path", node.path))
        if indicator in {"funds_outside_province", "funds_industrial"}:
            rows = rows.filter(category=ProjectCategory.INDUSTRY)
        if indicator == "funds_industrial":
            rows = rows.filter(industrial=True)
        return rows, "path", indicator_value(indicator, node)
    if indicator == "agreed_investment":
        rows = Agreement.objects.counted().signed_between(period.start, period.end)
        rows = rows.filter(path_q("project__path", node.path))
        return rows, "project__path", indicator_value(indicator, node)
    rows = Project.objects.signed_between(period.start, period.end).filter(parent__isnull=True)
    rows = rows.filter(path_q("path", node.path))
    if indicator == "projects_100m":
        rows = rows.billion_plus()
    elif indicator == "projects_1b":
        rows = rows.ten_billion_plus().filter(category=ProjectCategory.INDUSTRY)
    elif indicator == "projects_500":
        rows = rows.fortune500()
    elif indicator == "chain_leaders":
        rows = rows.filter(is_chain_leader=True)
    elif indicator == "headquarters":
        rows = rows.filter(is_headquarters=True)
    elif indicator != "signed_projects":
        raise ValueError(f"unknown indicator {indicator}")
    return rows, "path", indicator_value(indicator, node)


def exact(indicator: str, value) -> Decimal:
    """An aggregate as the indicator counts it: money cent-exact in 万元 (SQLite sums decimals through floats, which
    printed as 356274.080000000 or 882491.569999999), counts whole."""
    value = Decimal(value or 0) if not isinstance(value, float) else Decimal(repr(value))
    return wan_exact(value) if INDICATORS[indicator].kind == "money" else value


def actual(indicator: str, node: Region, period: Period) -> Decimal:
    return actuals(indicator, node, [period])[0]


def _span(periods: list) -> Span:
    return Span(min(p.start for p in periods), max(p.end for p in periods))


def actuals(indicator: str, node: Region, periods: list) -> list[Decimal]:
    """The indicator in each of ``periods`` (this year, the same months last year, last year whole), one query."""
    rows, _, _ = indicator_rows(indicator, node, _span(periods))
    values = {f"v{i}": indicator_value(indicator, node, _in_period(indicator, p)) for i, p in enumerate(periods)}
    result = rows.aggregate(**values)
    shared = adjustments(indicator, node, periods)  # 利益共享 of transferred projects (``sharing.py``)
    return [exact(indicator, exact(indicator, result[f"v{i}"]) + shared[i]) for i in range(len(periods))]


def actual_by_child(indicator: str, node: Region, period: Period) -> dict[str, Decimal]:
    """Actuals of the node's prefectures (for the province) or counties (for a prefecture), by code."""
    return actuals_by_child(indicator, node, [period])[0]


def actuals_by_child(indicator: str, node: Region, periods: list) -> list[dict[str, Decimal]]:
    """``actual_by_child`` for each of ``periods``, one query."""
    rows, path_field, _ = indicator_rows(indicator, node, _span(periods))
    values = {f"v{i}": indicator_value(indicator, node, _in_period(indicator, p)) for i, p in enumerate(periods)}
    grouped = rows.annotate(child=Substr(path_field, CHILD_CODE_AT[node.level], 6)).values("child").annotate(**values)
    grouped = list(grouped.order_by())
    result = [{row["child"]: exact(indicator, row[f"v{i}"]) for row in grouped} for i in range(len(periods))]
    for values, shared in zip(result, adjustments_by_child(indicator, node, periods), strict=True):
        for code, amount in shared.items():  # 利益共享 of transferred projects (``sharing.py``)
            values[code] = exact(indicator, values.get(code, Decimal(0)) + amount)
    return result


def targets_for(indicator: str, node: Region, year: int) -> tuple[Decimal | None, Decimal | None]:
    """(annual amount target in 万元 or count, growth target in %) set for the node."""
    amount = growth = None
    for target in Target.objects.for_year(year).of_regions().filter(region=node, indicator=indicator, industry_code=""):
        if target.is_growth:
            growth = target.value
        else:
            amount = target.amount_wan
    return amount, growth


def area_word(node: Region) -> str:
    """全省 / 全州 / 全市 / 全县 / 全区, as bulletins say."""
    if node.level == 1:
        return "全省"
    if node.division_type == "自治州":
        return "全州"
    if node.division_type in {"地级市", "县级市"}:
        return "全市"
    if node.division_type == "市辖区":
        return "全区"
    return "全县"


def node_progress(indicator: str, node: Region, period: Period) -> Progress:
    amount_target, growth_target = targets_for(indicator, node, period.year)
    now, before, last_year = actuals(indicator, node, [period, period.last_year(), Period(period.year - 1, 12)])
    return progress(
        month=period.month,
        actual=now,
        actual_last_year=before,
        last_year_full=last_year if amount_target is None and growth_target is not None else None,
        target=amount_target,
        growth_target_pct=growth_target,
    )


def progress_report(indicator: str, node: Region, period: Period) -> dict:
    """The figures of one indicator for one node, as ``progress_report`` prints them (percentages to 0.1)."""
    p = node_progress(indicator, node, period)
    spec = INDICATORS[indicator]
    money = spec.kind == "money"
    return {
        "region": node.code,
        "region_name": node.name,
        "year": period.year,
        "month": period.month,
        "indicator": indicator,
        "indicator_name": spec.name,
        "unit": "万元" if money else "个",
        "target": wan_exact(p.target) if money else p.target,  # a growth target's amount has many decimals
        "growth_target_pct": p.growth_target_pct,
        "actual": p.actual,
        "actual_last_year": p.actual_last_year,
        "growth_pct": p.growth_printed,
        "completion_pct": p.completion_printed,
        "elapsed_pct": p.elapsed_printed,
        "ahead_points": p.ahead_points,
        "sentence": sentence(p, area=area_word(node), subject=spec.subject),
        # 含流转分成: the figure credits shares of a transferred project (the page links to the agreements)
        "shared": applies(indicator, node.path, period.year),
    }
