"""Where an assessment item's raw value comes from: a small registry of sources, each answering "the value (and the
target, where it has one) of every child of a node, from January 1 to a quarter's end".

The indicator sources read the indicator engine through ``rankings.ranking`` (the same figures as the rankings, the
序时进度 page and the bulletins, so a change to how the engine counts flows into the scores). The other sources read
the apps that own the facts: activities (外出招商), requests (``aftercare.selectors.ticket_measures``) and promises.

Another app adds a source with ``register(Source(...))`` from its ``AppConfig.ready`` (an app above stats) or here
(an app below it); ``per_child`` turns a function ``f(region_path, start, end) -> number`` into a source's values.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, indicator_rows
from zhaoshang.stats.rankings import children_of, ranking


@dataclass(frozen=True)
class Value:
    raw: Decimal | None  # None: no figure (a rate without a denominator)
    target: Decimal | None = None  # the annual target, where the source has one


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    unit: str
    values: Callable[[Region, int, int], dict[str, Value]]  # (node, year, quarter) → {child code: Value}
    # The projects behind a child's figure (unscoped: the caller intersects them with the user's), or None.
    projects: Callable[[Region, date, date], object] | None = None
    has_target: bool = False


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    SOURCES[source.code] = source
    return source


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def per_child(count: Callable[[str, date, date], object]) -> Callable[[Region, int, int], dict[str, Value]]:
    """A source's values from a function of one region's path and a span of days (January 1 to quarter end)."""

    def values(node: Region, year: int, quarter: int) -> dict[str, Value]:
        start, end = date(year, 1, 1), quarter_end(year, quarter)
        result = {}
        for child in children_of(node):
            raw = count(child.path, start, end)
            result[child.code] = Value(None if raw is None else Decimal(raw))
        return result

    return values


def _indicator_values(indicator: str):
    def values(node: Region, year: int, quarter: int) -> dict[str, Value]:
        rows = ranking(indicator, node, Period(year, quarter * 3))
        return {row.region.code: Value(row.progress.actual, row.progress.target) for row in rows}

    return values


def _indicator_projects(indicator: str):
    def projects(child: Region, start: date, end: date):
        from zhaoshang.projects.models import FundingEntry, Project
        from zhaoshang.stats.indicators import Span

        if indicator.startswith("funds_"):
            entries = FundingEntry.objects.counted().filter(month__gte=start, month__lte=end)
            entries = entries.filter(project__path__startswith=child.path)
            return Project.objects.filter(pk__in=entries.values("project_id"))
        rows, path_field, _ = indicator_rows(indicator, child, Span(start, end))
        if indicator == "agreed_investment":
            return Project.objects.filter(pk__in=rows.values("project_id"))
        return Project.objects.filter(pk__in=rows.values("pk"))

    return projects


for _code in ("agreed_investment", "funds_outside_province", "funds_outside_prefecture", "projects_1b", "projects_500"):
    register(
        Source(
            code=_code,
            name=INDICATORS[_code].name,
            unit="万元" if INDICATORS[_code].kind == "money" else "个",
            values=_indicator_values(_code),
            projects=_indicator_projects(_code),
            has_target=True,
        )
    )


def _trips(path: str, start: date, end: date) -> int:
    from zhaoshang.core.scope import path_q
    from zhaoshang.investors.models import Activity

    return Activity.objects.trips().between(start, end).filter(path_q("path", path)).count()


def _tickets_solved(path: str, start: date, end: date) -> Decimal | None:
    """解决率 of the requests submitted in the span, as the rankings of enterprise service measure it."""
    from zhaoshang.aftercare.models import Ticket
    from zhaoshang.aftercare.selectors import ticket_measures
    from zhaoshang.core.scope import path_q

    rows = Ticket.objects.filter(path_q("path", path), submitted_at__date__gte=start, submitted_at__date__lte=end)
    return ticket_measures(rows)["solved"].rate


def _promises_honoured(path: str, start: date, end: date) -> Decimal | None:
    """兑现率: promises honoured of those due by the span's end (terminated ones lawfully left out), in %."""
    from zhaoshang.aftercare.choices import PromiseState
    from zhaoshang.aftercare.models import Promise
    from zhaoshang.core.scope import path_q

    due = Promise.objects.filter(path_q("path", path), due_on__lte=end).exclude(state=PromiseState.TERMINATED)
    total = due.count()
    if not total:
        return None
    honoured = due.filter(state=PromiseState.HONOURED).count()
    return (Decimal(honoured) * 100 / total).quantize(Decimal("0.1"))


def _warnings_resolved(path: str, start: date, end: date) -> int:
    from zhaoshang.risk.selectors import warnings_resolved

    return warnings_resolved(path, start, end)


register(Source("trips", "外出招商次数", "次", per_child(_trips)))
register(Source("tickets_solved", "企业诉求解决率", "%", per_child(_tickets_solved)))
register(Source("promises_honoured", "招商承诺兑现率", "%", per_child(_promises_honoured)))
register(Source("warnings_resolved", "风险预警处置数", "件", per_child(_warnings_resolved)))


def source_choices() -> list[tuple[str, str]]:
    return [(code, source.name) for code, source in SOURCES.items()]
