"""利益共享 in every figure: the one place where a transferred project's amounts are split between the two sides.

The ledger's roll-up and the agreements keep counting a project where it is (the receiving node, once a transfer is
complete); a figure of a region R adds, for each completed transfer whose benefit-sharing agreement covers the
figure's measure (签约额 → 协议投资额 signed, 到位资金 → every 到位资金 indicator) and the year of the amount,

    amount × (credit_share(sides, R) − 1 if the project is in R else 0)

so R is credited with the shares of the sides under it (``projects.models.transfer.credit_share``: capped at
100 %), and a region above both sides keeps the project once, at 100 %. Counts of projects are not shared: a
project is counted once, where it is. ``indicators.actuals`` and ``actuals_by_child`` apply the adjustment, so the
cockpit, the rankings, the bulletins, the progress lines and the parks read the same numbers.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhaoshang.core.formatting import wan_exact
from zhaoshang.core.scope import path_within
from zhaoshang.projects.choices import ProjectCategory
from zhaoshang.projects.models import Agreement, RollupKind, SharingAgreement, TransferStatus, credit_share
from zhaoshang.projects.models.transfer import MEASURE_OF_INDICATOR, SharedMeasure
from zhaoshang.projects.services.rollup import ledger_sums

CENT = Decimal("0.01")
# Columns of ``ledger_sums`` values: (amount, 省外, 州外, 外资, entries), in cents.
AMOUNT, OUTSIDE_PROVINCE, OUTSIDE_PREFECTURE = 0, 1, 2


@dataclass(frozen=True)
class Share:
    """One agreement as a figure sees it."""

    agreement: SharingAgreement
    project_path: str
    sides: tuple[tuple[str, Decimal], ...]

    def factor(self, region_path: str) -> Decimal:
        """What the region gains (or gives up) of the project's amount against counting it where it is."""
        here = Decimal(1) if path_within(self.project_path, region_path) else Decimal(0)
        return credit_share(list(self.sides), region_path) - here

    def touches(self, region_path: str) -> bool:
        """The agreement bears on the region's figure: a side or the project is at or below it."""
        paths = [self.project_path, *(path for path, _ in self.sides)]
        return any(path_within(path, region_path) for path in paths)


def shares_in_force(indicator: str, start_year: int, end_year: int) -> list[Share]:
    """Agreements of completed transfers that share ``indicator``'s measure in some year of the span."""
    measure = MEASURE_OF_INDICATOR.get(indicator)
    if measure is None:
        return []
    flag = {SharedMeasure.SIGNED: "shares_signed", SharedMeasure.FUNDS: "shares_funds"}[measure]
    rows = (
        SharingAgreement.objects.filter(transfer__status=TransferStatus.COMPLETED, **{flag: True})
        .filter(transfer__project__merged_into__isnull=True, from_year__lte=end_year)
        .select_related("transfer", "transfer__project")
        .order_by("pk")
    )
    return [Share(row, row.transfer.project.path, tuple(row.sides())) for row in rows if row.to_year >= start_year]


def _window(share: Share, period) -> tuple[date, date] | None:
    start = max(period.start, date(share.agreement.from_year, 1, 1))
    end = min(period.end, date(share.agreement.to_year, 12, 31))
    return (start, end) if start <= end else None


def _amount(indicator: str, share: Share, period, node_level: int, ledger: dict) -> Decimal:
    """The project's own amount for the indicator in the part of ``period`` the agreement covers, in 万元."""
    window = _window(share, period)
    if window is None:
        return Decimal(0)
    project_id = share.agreement.transfer.project_id
    if indicator == "agreed_investment":
        rows = Agreement.objects.counted().filter(project_id=project_id, signed_on__gte=window[0])
        return Decimal(rows.filter(signed_on__lte=window[1]).counted_total_wan() or 0)
    if project_id not in ledger:
        ledger[project_id] = ledger_sums([project_id])
    if indicator == "funds_in_place":
        column = AMOUNT
    elif indicator == "funds_outside_prefecture" and node_level > 1:
        column = OUTSIDE_PREFECTURE
    else:
        column = OUTSIDE_PROVINCE
    cents = 0
    for (kind, month, _path, category, industrial, _detail), values in ledger[project_id].items():
        if kind != RollupKind.TOTAL or not (window[0] <= month <= window[1]):
            continue
        if indicator in {"funds_outside_province", "funds_industrial"} and category != ProjectCategory.INDUSTRY:
            continue
        if indicator == "funds_industrial" and not industrial:
            continue
        cents += values[column]
    return Decimal(cents) * CENT


def _span_years(periods: list) -> tuple[int, int]:
    return min(p.start.year for p in periods), max(p.end.year for p in periods)


def adjustments(indicator: str, node, periods: list) -> list[Decimal]:
    """What the shares add to (or take from) the node's figure in each of ``periods``, cent-exact."""
    shares = [s for s in shares_in_force(indicator, *_span_years(periods)) if s.factor(node.path)]
    result = []
    ledger: dict = {}
    for period in periods:
        total = Decimal(0)
        for share in shares:
            amount = _amount(indicator, share, period, node.level, ledger)
            total += wan_exact(amount * share.factor(node.path))
        result.append(total)
    return result


def _child_path(path: str, parent_path: str) -> str | None:
    """The path of the child of ``parent_path`` that ``path`` lies under (None if it is not below the parent)."""
    if not path_within(path, parent_path) or path == parent_path:
        return None
    depth = len(parent_path.split("/")) + 1
    return "/".join(path.split("/")[:depth])


def adjustments_by_child(indicator: str, node, periods: list) -> list[dict[str, Decimal]]:
    """``adjustments`` of each child of the node (by the child's code), for each of ``periods``."""
    shares = shares_in_force(indicator, *_span_years(periods))
    result: list[dict[str, Decimal]] = [{} for _ in periods]
    ledger: dict = {}
    for share in shares:
        paths = {share.project_path, *(path for path, _ in share.sides)}
        children = {child for child in (_child_path(path, node.path) for path in paths) if child}
        for child in sorted(children):
            factor = share.factor(child)
            if not factor:
                continue
            code = child.rsplit("/", 1)[-1]
            for i, period in enumerate(periods):
                amount = _amount(indicator, share, period, node.level, ledger)
                result[i][code] = result[i].get(code, Decimal(0)) + wan_exact(amount * factor)
    return result


def agreements_affecting(indicator: str | None, node_path: str, year: int | None = None) -> list[Share]:
    """The agreements behind a region's "含流转分成" (the drill-down): those of completed transfers that touch the
    region, for the indicator's measure (any measure when None) and, when given, the year."""
    indicators = [indicator] if indicator else ["agreed_investment", "funds_outside_province"]
    start, end = (year, year) if year else (2000, 2100)
    seen, found = set(), []
    for code in indicators:
        for share in shares_in_force(code, start, end):
            if share.agreement.pk not in seen and share.touches(node_path):
                seen.add(share.agreement.pk)
                found.append(share)
    return found


def applies(indicator: str, node_path: str, year: int) -> bool:
    """Whether the node's figure of ``indicator`` in ``year`` includes shares of a transferred project (the page
    says "含流转分成" beside it): an agreement in force changes what the node is credited with."""
    return any(share.factor(node_path) for share in shares_in_force(indicator, year, year))


def shared_children(indicator: str, node, year: int) -> set[str]:
    """Codes of the node's children whose figure of ``indicator`` in ``year`` includes shares (a ranking's
    "含流转分成" marks)."""
    found = set()
    for share in shares_in_force(indicator, year, year):
        paths = {share.project_path, *(path for path, _ in share.sides)}
        for child in {c for c in (_child_path(path, node.path) for path in paths) if c}:
            if share.factor(child):
                found.add(child.rsplit("/", 1)[-1])
    return found


def breakdown_adjustments(node, period, kind: str, column: int = OUTSIDE_PROVINCE) -> dict[str, Decimal]:
    """The shares of 省外到位资金（产业类） by the roll-up's ``kind`` (key industry or source region: its
    ``detail``), so that a breakdown of the headline adds up to it. ``column`` is the ledger amount it sums."""
    shares = [s for s in shares_in_force("funds_outside_province", *_span_years([period])) if s.factor(node.path)]
    result: dict[str, Decimal] = {}
    for share in shares:
        window = _window(share, period)
        if window is None:
            continue
        cents: dict[str, int] = {}
        for (row_kind, month, _path, category, _industrial, detail), values in ledger_sums(
            [share.agreement.transfer.project_id]
        ).items():
            if row_kind == kind and window[0] <= month <= window[1] and category == ProjectCategory.INDUSTRY:
                cents[detail] = cents.get(detail, 0) + values[column]
        for detail, amount in cents.items():
            result[detail] = result.get(detail, Decimal(0)) + wan_exact(
                Decimal(amount) * CENT * share.factor(node.path)
            )
    return result


def path_adjustments(node, period) -> dict[str, tuple[Decimal, Decimal]]:
    """The shares of 省外到位资金（产业类） (and of its total amount) for each node path below ``node`` that a side or a
    transferred project sits at: the cockpit's breakdown by park adds them to the parks' own sums."""
    result: dict[str, tuple[Decimal, Decimal]] = {}
    for share in shares_in_force("funds_outside_province", *_span_years([period])):
        window = _window(share, period)
        paths = {share.project_path, *(path for path, _ in share.sides)}
        paths = {path for path in paths if path_within(path, node.path) and path != node.path}
        if window is None or not paths:
            continue
        outside = total = 0
        for (kind, month, _path, category, _industrial, _detail), values in ledger_sums(
            [share.agreement.transfer.project_id]
        ).items():
            if kind == RollupKind.TOTAL and window[0] <= month <= window[1] and category == ProjectCategory.INDUSTRY:
                outside, total = outside + values[OUTSIDE_PROVINCE], total + values[AMOUNT]
        for path in paths:
            factor = share.factor(path)
            if factor:
                old = result.get(path, (Decimal(0), Decimal(0)))
                result[path] = (
                    old[0] + wan_exact(Decimal(outside) * CENT * factor),
                    old[1] + wan_exact(Decimal(total) * CENT * factor),
                )
    return result
