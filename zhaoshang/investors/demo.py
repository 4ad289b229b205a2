"""Deterministic demo activities for every prefecture and county bureau (development and test data only)."""

import random
from datetime import timedelta

from django.utils import timezone

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit
from zhaoshang.investors.choices import ActivityKind, LeaderLevel
from zhaoshang.investors.models import Activity, Enterprise
from zhaoshang.investors.services.activities import activity_create

DEMO_MARK = "演示数据"
OUTSIDE = [("广东", "深圳市"), ("上海", "上海市"), ("浙江", "杭州市"), ("四川", "成都市"), ("北京", "北京市")]


def seed_demo_activities(*, actor, seed: int = 2026, per_bureau: int = 2) -> int:
    """Trips, meetings and promotion events of the last year for each bureau; nothing if they exist already."""
    if Activity.objects.filter(participants=DEMO_MARK).exists():
        return 0
    rng = random.Random(seed)
    enterprises = list(Enterprise.objects.order_by("id")[:400])
    today = timezone.localdate()
    bureaus = OrgUnit.objects.filter(kind__in=[OrgKind.PREFECTURE_BUREAU, OrgKind.COUNTY_BUREAU]).select_related(
        "region"
    )
    created = 0
    for bureau in bureaus.order_by("code"):
        head = LeaderLevel.PREFECTURE_HEAD if bureau.kind == OrgKind.PREFECTURE_BUREAU else LeaderLevel.COUNTY_HEAD
        for _ in range(per_bureau):
            kind = rng.choice([ActivityKind.TRIP, ActivityKind.TRIP, ActivityKind.MEETING, ActivityKind.PROMOTION])
            start = today - timedelta(days=rng.randint(5, 360))
            fields = {"leader_level": rng.choice([head, LeaderLevel.DEPARTMENT_HEAD]), "participants": DEMO_MARK}
            if kind == ActivityKind.TRIP:
                province, city = rng.choice(OUTSIDE)
                fields |= {
                    "destination_province": province,
                    "destination_city": city,
                    "end_on": start + timedelta(days=3),
                }
                title = f"赴{city}开展产业链招商"
            elif kind == ActivityKind.MEETING:
                fields |= {"destination_region": bureau.region}
                title = "会见来访客商"
            else:
                fields |= {"destination_region": bureau.region, "enterprise_count": rng.randint(20, 120)}
                title = f"{bureau.region.short_name}重点产业招商推介会"
            activity_create(
                actor=actor,
                kind=kind,
                title=title,
                start_on=min(start, today),
                organiser=bureau,
                enterprises=rng.sample(enterprises, k=min(2, len(enterprises))) if enterprises else [],
                leader_name="（演示）",
                **fields,
            )
            created += 1
    return created
