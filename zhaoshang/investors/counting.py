"""Counting activities for a jurisdiction and period: the figures bulletins use (plain data, reusable).

As the 楚雄 reply counts them: trips (外出招商) and meetings (会见客商) by who led them (省领导 / 州市党政一把手 /
县市区党政一把手 / 部门负责人) and by where (省外 / 州外省内 / 州内, relative to the organiser's prefecture);
promotion and online events; enterprises met; leads created from activities and projects signed among the
projects linked to them. With ``user`` every figure is restricted to the user's scope.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.investors.choices import ActivityKind, LeaderLevel, Place, ProjectLink
from zhaoshang.investors.models import Activity, ActivityEnterprise, ActivityProject


def activities_for(*, region, start: date, end: date, user=None):
    """Activities organised in ``region`` (or below it) that started in [start, end]; scoped by ``user``."""
    if user is not None:
        ensure_path_in_scope(user, region.path)  # 404 (and an audited attempt) outside the user's scope
        rows = Activity.objects.for_user(user)
    else:
        rows = Activity.objects.all()
    return rows.in_region(region).between(start, end)


def _by_level_and_place(rows) -> dict:
    matrix = {level: {place: 0 for place in Place.values} for level in LeaderLevel.values}
    matrix[""] = {place: 0 for place in Place.values}
    for row in rows.values("leader_level", "place").annotate(n=Count("id")):
        matrix.setdefault(row["leader_level"], {place: 0 for place in Place.values})[row["place"]] = row["n"]
    by_level = {level: sum(places.values()) for level, places in matrix.items()}
    by_place = {place: sum(matrix[level][place] for level in matrix) for place in Place.values}
    return {"total": sum(by_place.values()), "by_leader_level": by_level, "by_place": by_place, "matrix": matrix}


def activity_counts(*, region, start: date, end: date, user=None) -> dict:
    rows = activities_for(region=region, start=start, end=end, user=user)
    events = rows.events()
    totals = events.aggregate(
        enterprises=Sum("enterprise_count"),
        viewers=Sum("viewer_count"),
        signings=Sum("signing_count"),
        amount=Sum("signed_amount_wan"),
    )
    links = ActivityProject.objects.filter(activity__in=rows)
    signed = (
        links.filter(
            project__merged_into__isnull=True, project__first_signed_on__gte=start, project__first_signed_on__lte=end
        )
        .values("project_id")
        .distinct()
        .count()
    )
    return {
        "region": {"code": region.code, "name": region.name, "path": region.path},
        "start": start,
        "end": end,
        "activities": rows.count(),
        "trips": _by_level_and_place(rows.filter(kind=ActivityKind.TRIP)),
        "meetings": _by_level_and_place(rows.filter(kind=ActivityKind.MEETING)),
        "events": {
            "total": events.count(),
            "promotion": events.filter(kind=ActivityKind.PROMOTION).count(),
            "online": events.filter(kind=ActivityKind.ONLINE).count(),
            "enterprises": totals["enterprises"] or 0,
            "viewers": totals["viewers"] or 0,
            "signings": totals["signings"] or 0,
            "signed_amount_wan": totals["amount"] or Decimal(0),
        },
        "enterprises_met": ActivityEnterprise.objects.filter(activity__in=rows)
        .values("enterprise_id")
        .distinct()
        .count(),
        "leads_created": links.filter(relation=ProjectLink.CREATED).count(),
        "projects_signed": signed,
    }


PLACE_WORDS = {Place.OUTSIDE_PROVINCE: "省外", Place.OUTSIDE_PREFECTURE: "州外省内", Place.IN_PREFECTURE: "州内"}


def summary_lines(counts: dict) -> list[str]:
    """Sentences as the reply writes them: “县市区党政一把手外出招商（省外）2次，会见客商（州内）3次”."""
    lines = []
    for level, label in LeaderLevel.choices:
        parts = []
        for key, word in (("trips", "外出招商"), ("meetings", "会见客商")):
            for place, place_word in PLACE_WORDS.items():
                n = counts[key]["matrix"].get(level, {}).get(place, 0)
                if n:
                    parts.append(f"{word}（{place_word}）{n}次")
        if parts:
            lines.append(f"{label}" + "，".join(parts))
    events = counts["events"]
    if events["total"]:
        lines.append(
            f"举办推介会{events['promotion']}场、网络招商{events['online']}场，参会企业{events['enterprises']}家，"
            f"观看{events['viewers']}人次，现场签约{events['signings']}个"
        )
    lines.append(
        f"接触企业{counts['enterprises_met']}家，由活动产生线索{counts['leads_created']}条，"
        f"关联项目签约{counts['projects_signed']}个"
    )
    return lines
