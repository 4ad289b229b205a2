"""Reads of the risk app: a project's score, the counts the quarterly assessment reads, the weekly digest."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum

from zhaoshang.core.scope import path_within
from zhaoshang.risk.choices import LIVE_STATES, WarningState
from zhaoshang.risk.models import RiskWarning


@dataclass(frozen=True)
class ProjectRisk:
    score: int
    warnings: list


def project_risk(user, project) -> ProjectRisk:
    """The project's risk score — the sum of the weights of its live (待处理 / 已确认) warnings — with the warnings
    that make it, as ``user`` may see them."""
    rows = list(
        RiskWarning.objects.for_user(user).filter(project=project, state__in=LIVE_STATES).select_related("rule")
    )
    return ProjectRisk(sum(w.weight for w in rows), rows)


def scores(project_ids) -> dict[int, int]:
    """Risk scores of many projects in one query (a list page, an export)."""
    rows = (
        RiskWarning.objects.filter(project_id__in=list(project_ids), state__in=LIVE_STATES)
        .values("project_id")
        .annotate(score=Sum("weight"))
    )
    return {row["project_id"]: row["score"] for row in rows}


def _in_region(region_path: str):
    return Q(path=region_path) | Q(path__startswith=region_path + "/")


def warnings_resolved(region_path: str, start: date, end: date) -> int:
    """Warnings in the region (at or below ``region_path``) resolved by a person between ``start`` and ``end``
    inclusive (dates in Asia/Shanghai). Dismissed ones are not counted: a dismissal says there was no risk."""
    return (
        RiskWarning.objects.filter(_in_region(region_path), state=WarningState.RESOLVED)
        .filter(decided_at__date__gte=start, decided_at__date__lte=end)
        .count()
    )


def warnings_opened(region_path: str, start: date, end: date) -> int:
    """Warnings in the region first raised between ``start`` and ``end`` inclusive (dismissed ones included)."""
    return RiskWarning.objects.filter(_in_region(region_path), first_seen__gte=start, first_seen__lte=end).count()


def digest_rows(today: date):
    """(bureau, text) for every bureau with live warnings in its jurisdiction: how many, how many new this week,
    and the rules behind them."""
    from zhaoshang.accounts.models import OrgUnit
    from zhaoshang.aftercare.services.notify import BUREAU_KINDS

    since = today - timedelta(days=7)
    live = defaultdict(Counter)
    new = Counter()
    rows = (
        RiskWarning.objects.filter(state__in=LIVE_STATES)
        .values_list("path", "rule__name", "first_seen")
        .iterator(chunk_size=5000)
    )
    for path, rule, first_seen in rows:
        live[path][rule] += 1
        if first_seen >= since:
            new[path] += 1
    if not live:
        return
    for unit in OrgUnit.objects.filter(kind__in=BUREAU_KINDS).order_by("path", "id"):
        by_rule, fresh = Counter(), 0
        for path, counts in live.items():
            if path_within(path, unit.path):
                by_rule.update(counts)
                fresh += new[path]
        total = sum(by_rule.values())
        if not total:
            continue
        detail = "，".join(f"{rule}{count}条" for rule, count in by_rule.most_common())
        yield (
            unit,
            f"风险预警周报（{today:%Y-%m-%d}）：本辖区待处理和已确认预警{total}条，本周新增{fresh}条（{detail}）。请在“风险预警”中处理。",
        )
