"""Demo data of 靶向寻商 and 项目匹配 (run by ``seed_demo_chains``): a profile for every active park and expansion
signals for some enterprises on the chains. Deterministic for a seed; figures are invented and marked 演示.

云南楚雄经济开发区 (S537004) has no land left: the park matching of the browser journey shows it as filtered out."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.chains.choices import AuditAction, Decision, SignalKind, SignalOrigin
from zhaoshang.chains.models import EnterpriseNodeLink, ParkProfile, Signal
from zhaoshang.core.audit import audit_record

FULL_PARK = "S537004"
DEMO_SOURCE = "演示数据（虚构）"


def _d(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


@transaction.atomic
def seed_demo_targeting(*, actor, seed: int = 2026) -> dict:
    from zhaoshang.regions.models import Park

    if ParkProfile.objects.exists():
        return {}
    rng = random.Random(seed)
    today = timezone.localdate()
    profiles = []
    for park in Park.objects.filter(status="active").order_by("code"):
        land = 0 if park.code == FULL_PARK else rng.choice([80, 150, 300, 600, 1200, 2000])
        profiles.append(
            ParkProfile(
                park=park,
                land_available_mu=_d(land),
                standard_land_mu=_d(land * rng.choice([0, 0.2, 0.5])),
                standard_factory_m2=_d(rng.choice([0, 5000, 20000, 60000]) if land else 0),
                power_price_yuan_kwh=_d(rng.uniform(0.30, 0.55), "0.0001"),
                green_power_share=_d(rng.uniform(40, 95), "0.1"),
                power_capacity_mva=_d(rng.choice([50, 100, 300, 800])),
                water_capacity_t_day=_d(rng.choice([5000, 20000, 50000])),
                rail_km=_d(rng.uniform(1, 60), "0.1"),
                port_km=_d(rng.uniform(80, 700), "0.1"),
                eia_classes="" if rng.random() < 0.7 else "报告表,登记表",
                output_per_mu_wan=_d(rng.uniform(100, 800)),
                tax_per_mu_wan=_d(rng.uniform(5, 40)),
                as_of=today.replace(day=1),
                source=DEMO_SOURCE + ("：用地已满" if land == 0 else ""),
                created_by=actor,
                updated_by=actor,
            )
        )
    ParkProfile.objects.bulk_create(profiles)
    enterprise_ids = sorted(
        set(
            EnterpriseNodeLink.objects.filter(node__chain__status="current")
            .exclude(decision=Decision.REJECTED)
            .values_list("enterprise_id", flat=True)
        )
    )
    kinds = [k for k in SignalKind.values if k != SignalKind.DEREGISTERED]
    signals = []
    for enterprise_id in rng.sample(enterprise_ids, k=min(60, len(enterprise_ids))):
        kind = rng.choice(kinds)
        signals.append(
            Signal(
                enterprise_id=enterprise_id,
                kind=kind,
                on=today - timedelta(days=rng.randint(10, 900)),
                source=DEMO_SOURCE,
                evidence=f"{SignalKind(kind).label}（演示）",
                origin=SignalOrigin.IMPORT,
                created_by=actor,
                updated_by=actor,
            )
        )
    Signal.objects.bulk_create(signals)
    counts = {"园区承载条件": len(profiles), "扩张信号": len(signals)}
    audit_record(
        actor=actor,
        action=AuditAction.SEED,
        object_type=ParkProfile._meta.label,
        object_repr="靶向寻商与园区匹配演示数据",
        after=counts,
    )
    return counts
