import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.regions.choices import ParkStatus
from zhaoshang.regions.models import Park, Region

# What must follow a park inside the same transaction, registered by the apps above (accounts keeps the park's
# committee, the org unit its officers belong to, at the park's node). Regions knows no app above it.
_PARK_FOLLOWERS = []


def register_park_follower(follower) -> None:
    """``follower(actor=, park=, created=)`` runs inside park_create and park_update, after the park is saved."""
    if follower not in _PARK_FOLLOWERS:
        _PARK_FOLLOWERS.append(follower)


def _run_park_followers(*, actor, park: Park, created: bool) -> None:
    for follower in _PARK_FOLLOWERS:
        follower(actor=actor, park=park, created=created)


PARK_CODE = re.compile(r"[A-Z0-9-]{1,20}")
PARK_FIELDS = (
    "name",
    "level",
    "zone_type",
    "approval_authority",
    "approved_on",
    "approved_area_ha",
    "leading_industries",
    "location",
    "lon",
    "lat",
)


def _next_park_code(region: Region) -> str:
    """New parks (e.g. the 2021–2023 consolidation's 产业园区) have no catalogue code: Y<region>-<n>."""
    prefix = f"Y{region.code}-"
    taken = Park.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code.removeprefix(prefix)) for code in taken if code.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def _place(park: Park) -> None:
    """Parks without coordinates are drawn at their county's centre, marked approximate."""
    park.location_approximate = park.lon is None or park.lat is None
    if park.location_approximate:
        park.lon, park.lat = park.region.center_lon, park.region.center_lat


@transaction.atomic
def park_create(*, actor, region: Region, code: str = "", **fields) -> Park:
    ensure_path_in_scope(actor, region.path)
    Region.objects.select_for_update().get(pk=region.pk)  # one new code at a time per region
    code = (code or _next_park_code(region)).strip().upper()
    if not PARK_CODE.fullmatch(code):
        raise ValidationError({"code": "园区编码只能由大写字母、数字和短横线组成（不超过 20 位），如 S539053"})
    if Park.objects.filter(code=code).exists():
        raise ValidationError({"code": f"园区编码 {code} 已存在"})
    park = Park(region=region, code=code, created_by=actor, updated_by=actor, **fields)
    park.path = Park.path_for(region, code)
    _place(park)
    park.full_clean()
    park.save()
    audit_record(actor=actor, action=Action.CREATE, obj=park, after=snapshot(park))
    _run_park_followers(actor=actor, park=park, created=True)
    return park


@transaction.atomic
def park_update(*, actor, park: Park, region: Region, **fields) -> Park:
    park = Park.objects.select_for_update().get(pk=park.pk)
    ensure_path_in_scope(actor, park.path)
    ensure_path_in_scope(actor, region.path)
    if park.status == ParkStatus.RETIRED:
        raise ValidationError("已撤销/整合的园区不能再修改")
    before = snapshot(park)
    for name, value in fields.items():
        if name not in PARK_FIELDS:
            raise ValueError(f"park field {name} cannot be changed here")
        setattr(park, name, value)
    park.region = region
    park.path = Park.path_for(region, park.code)
    park.updated_by = actor
    _place(park)
    park.full_clean()
    park.save()
    _run_park_followers(actor=actor, park=park, created=False)
    audit_record(actor=actor, action=Action.UPDATE, obj=park, before=before, after=snapshot(park))
    return park


@transaction.atomic
def park_retire(*, actor, park: Park, on: date, reason: str) -> Park:
    park = Park.objects.select_for_update().get(pk=park.pk)
    ensure_path_in_scope(actor, park.path)
    if park.status == ParkStatus.RETIRED:
        raise ValidationError("该园区已撤销/整合")
    if on > timezone.localdate():
        raise ValidationError({"retired_on": "撤销/整合日期不能晚于今天"})
    if not reason.strip():
        raise ValidationError({"retire_reason": "请说明撤销或整合的原因（如：整合并入某产业园区）"})
    before = snapshot(park)
    park.status, park.retired_on, park.retire_reason, park.updated_by = ParkStatus.RETIRED, on, reason.strip(), actor
    park.save()
    audit_record(actor=actor, action="retire", obj=park, before=before, after=snapshot(park))
    return park
