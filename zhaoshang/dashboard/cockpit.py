"""The cockpit's figures for one jurisdiction node: plain data, computed by the same functions as the bulletins
and ``progress_report`` so that every surface shows the same numbers. Amounts are cent-exact Decimals in 万元
(``wan_exact``: SQLite sums through floats); the page and the export format them (``core/formatting.py``)."""

from datetime import date
from decimal import Decimal

from zhaoshang.core.formatting import measure, wan_exact, year_range, yi
from zhaoshang.projects.choices import RegionGroup
from zhaoshang.projects.models import RollupKind
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, Span, indicator_rows, progress_report, wan_sum
from zhaoshang.stats.models import Target
from zhaoshang.stats.rankings import ranking
from zhaoshang.stats.sharing import AMOUNT, adjustments, breakdown_adjustments, path_adjustments

HEADLINE = ["funds_outside_province", "funds_industrial", "agreed_investment", "signed_projects", "projects_1b"]
WAN_PER_YI = Decimal(10000)


def _funds(node: Region, period: Period, by: str = RollupKind.TOTAL):
    """The roll-up rows of the headline 省外到位资金（产业类）, so that every breakdown below adds up to it."""
    return indicator_rows("funds_outside_province", node, period, by)[0]


def monthly_trend(node: Region, period: Period) -> list[dict]:
    def by_month(p: Period) -> dict[int, Decimal]:
        rows = _funds(node, p).values("month").annotate(v=wan_sum("outside_province_cents"))
        values = {row["month"].month: wan_exact(row["v"]) for row in rows.order_by()}
        # 利益共享 month by month, as the headline applies it to the months together (``stats/sharing.py``)
        months = [Span(date(p.year, m, 1), Period(p.year, m).end) for m in range(1, p.month + 1)]
        for m, shared in enumerate(adjustments("funds_outside_province", node, months), start=1):
            if shared:
                values[m] = wan_exact(values.get(m, Decimal(0)) + shared)
        return values

    this_year, last_year = by_month(period), by_month(period.last_year())
    months = list(range(1, period.month + 1))
    rows = [
        {
            "month": f"{m}月",
            "this_year_wan": this_year.get(m, wan_exact(0)),
            "last_year_wan": last_year.get(m, wan_exact(0)),
        }
        for m in months
    ]
    for row in rows:  # the chart's tooltips, written by the one helper
        row["this_year_text"], row["last_year_text"] = yi(row["this_year_wan"]), yi(row["last_year_wan"])
    return rows


def industry_shares(node: Region, period: Period) -> list[dict]:
    from zhaoshang.catalog.models import KeyIndustry

    rows = _funds(node, period, RollupKind.INDUSTRY).values("detail").annotate(v=wan_sum("outside_province_cents"))
    rows = _with_shares(list(rows.order_by()), breakdown_adjustments(node, period, RollupKind.INDUSTRY))
    names = dict(KeyIndustry.objects.filter(code__in=[row["detail"] for row in rows]).values_list("code", "name"))
    shares = [_share(names.get(row["detail"]) or "非重点产业", row["v"]) for row in rows]
    return sorted(shares, key=lambda share: (-share["value_wan"], share["name"]))


def _with_shares(rows: list[dict], shared: dict[str, Decimal]) -> list[dict]:
    """A breakdown's rows with the 利益共享 of transferred projects added to their slice (``stats/sharing.py``)."""
    values = {row["detail"]: wan_exact(row["v"]) for row in rows}
    for detail, amount in shared.items():
        values[detail] = values.get(detail, Decimal(0)) + amount
    return [{"detail": detail, "v": value} for detail, value in values.items() if value]


def _share(name: str, value) -> dict:
    """A slice of a pie chart: the exact amount in 万元 and its tooltip in 亿元."""
    return {"name": name, "value_wan": wan_exact(value), "value_text": yi(value)}


def source_shares(node: Region, period: Period) -> list[dict]:
    labels = dict(RegionGroup.choices)
    rows = _funds(node, period, RollupKind.SOURCE).values("detail").annotate(v=wan_sum("amount_cents")).order_by()
    rows = _with_shares(list(rows), breakdown_adjustments(node, period, RollupKind.SOURCE, column=AMOUNT))
    shares = [_share(labels.get(row["detail"], "未填写"), row["v"]) for row in rows]
    return sorted(shares, key=lambda share: (-share["value_wan"], share["name"]))


def park_breakdown(node: Region, period: Period, limit: int = 15) -> list[dict]:
    """省外到位资金 by park (projects outside any park left out), largest first. A project in a park carries the
    park's path, so the roll-up's paths that are parks' paths are the parks."""
    from zhaoshang.regions.models import Park

    rows = _funds(node, period).values("path")
    rows = rows.annotate(v=wan_sum("outside_province_cents"), total=wan_sum("amount_cents")).order_by()
    by_path = {row["path"]: {"v": wan_exact(row["v"]), "total": wan_exact(row["total"])} for row in rows}
    for path, (outside, total) in path_adjustments(node, period).items():  # 利益共享 (``stats/sharing.py``)
        row = by_path.setdefault(path, {"v": Decimal(0), "total": Decimal(0)})
        row["v"], row["total"] = row["v"] + outside, row["total"] + total
    parks = Park.objects.filter(path__in=list(by_path)).values_list("path", "code", "name")
    found = [
        {
            "code": code,
            "name": name,
            "value_wan": wan_exact(by_path[path]["v"]),
            "total_wan": wan_exact(by_path[path]["total"]),
        }
        for path, code, name in parks
    ]
    return sorted(found, key=lambda row: (-row["value_wan"], row["code"]))[:limit]


def big_projects(node: Region, period: Period, limit: int = 10) -> list[dict]:
    rows = (
        indicator_rows("projects_1b", node, period)[0]  # the projects the headline 10亿元以上 count counts
        .select_related("county", "key_industry", "investor")
        .order_by("-agreed_investment_wan")[:limit]
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "investor": p.investor.name if p.investor_id else "",
            "county": p.county.name,
            "industry": p.key_industry.name if p.key_industry_id else "非重点产业",
            "agreed_wan": p.agreed_investment_wan,
            "stage": p.get_stage_display(),
            "signed_on": p.first_signed_on,
        }
        for p in rows
    ]


def policy_targets(node: Region, year: int) -> list[dict]:
    """Progress of the node's amount and count targets of this year, and of multi-year ones that include it."""
    from zhaoshang.catalog.models import KeyIndustry

    key_industries = set(KeyIndustry.objects.values_list("code", flat=True))
    result = []
    targets = Target.objects.of_regions().filter(region=node, year__gte=year, from_year__lte=year).exclude(unit="%")
    for target in targets.order_by("indicator", "industry_code"):
        done = _achieved(target, node, year, key_industries)
        goal = target.amount_wan
        spec = INDICATORS[target.indicator]
        result.append(
            {
                "indicator": spec.name,
                "industry": target.industry_code,
                "span": year_range(target.from_year, target.year),
                "target": wan_exact(goal) if spec.kind == "money" else goal,
                "actual": wan_exact(done) if spec.kind == "money" else done,
                "unit": "万元" if spec.kind == "money" else target.unit,
                "completion_pct": (done / goal * 100).quantize(Decimal("0.1")) if goal and done is not None else None,
            }
        )
    return result


def _achieved(target: Target, node: Region, year: int, key_industries: set[str]) -> Decimal | None:
    """What is achieved toward a target so far; None where the platform cannot measure it (a sub-field such as
    铝材深加工). 入滇世界500强 is the enterprise library's presence count (the province as a whole)."""
    if target.indicator == "fortune500_present":
        from zhaoshang.investors.presence import global500_presence

        return Decimal(global500_presence()["present_count"]) if node.level == 1 else None
    if target.industry_code and target.industry_code not in key_industries:
        return None
    done = Decimal(0)
    for y in range(target.from_year, min(target.year, year) + 1):
        by = RollupKind.INDUSTRY if target.industry_code else RollupKind.TOTAL
        rows, _, value = indicator_rows(target.indicator, node, Period(y, 12), by)
        if target.industry_code:
            rows = rows.filter(**{INDUSTRY_LOOKUP[rows.model._meta.model_name]: target.industry_code})
        done += Decimal(rows.aggregate(v=value)["v"] or 0)
        if not target.industry_code:  # 利益共享, as in the headline figures
            done += adjustments(target.indicator, node, [Period(y, 12)])[0]
    return done


INDUSTRY_LOOKUP = {
    "project": "key_industry__code",
    "fundingrollup": "detail",  # of the roll-up's industry kind
    "agreement": "project__key_industry__code",
}


def cockpit(node: Region, period: Period) -> dict:
    codes = HEADLINE if node.level == 1 else ["funds_outside_prefecture", *HEADLINE]
    headline = [progress_report(code, node, period) for code in codes]
    for row in headline:
        row["display"] = measure(row["actual"], "亿元" if row["unit"] == "万元" else row["unit"])
    children = []
    if node.level < 3:
        rows = ranking("funds_outside_province", node, period)
        children = [
            {
                "code": r.region.code,
                "name": r.region.name,
                "actual_wan": wan_exact(r.progress.actual),
                "completion_pct": r.progress.completion_printed,
                "ahead_points": r.progress.ahead_points,
                "rank": r.rank,
                "shared": r.shared,
            }
            for r in rows
        ]
    return {
        "region": {"code": node.code, "name": node.name, "level": node.level},
        "period": {"year": period.year, "month": period.month},
        "headline": headline,
        "trend": monthly_trend(node, period),
        "industries": industry_shares(node, period),
        "sources": source_shares(node, period),
        "big_projects": big_projects(node, period),
        "parks": park_breakdown(node, period),
        "policy_targets": policy_targets(node, period.year),
        "children": children,
    }
