from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope, user_node_path
from zhaoshang.projects.services.rollup import figures_changed
from zhaoshang.regions.models import Park, Region
from zhaoshang.stats.choices import INDICATORS, UNITS_FOR_KIND, Unit
from zhaoshang.stats.models import Target


def target_problems(*, year: int, from_year: int, indicator: str, value: Decimal, unit: str) -> dict[str, str]:
    problems = {}
    if not 2000 <= year <= 2100:
        problems["year"] = "年度应在 2000—2100 之间"
    if from_year > year:
        problems["from_year"] = "起始年度不能晚于年度"
    spec = INDICATORS.get(indicator)
    if spec is None:
        problems["indicator"] = f"未知指标：{indicator}"
    elif unit not in UNITS_FOR_KIND[spec.kind]:
        allowed = "、".join(sorted(UNITS_FOR_KIND[spec.kind]))
        problems["unit"] = f"{spec.name}的单位只能是 {allowed}"
    if unit != Unit.GROWTH and value < 0:
        problems["value"] = "目标值不能为负数"
    return problems


def ensure_may_set_targets_for(actor, region: Region, park: Park | None = None) -> None:
    """A jurisdiction's own targets are set by the level above it; the province sets its own. A park's targets are
    set by its county (or prefecture) and above, never by the park committee itself."""
    path = park.path if park is not None else region.path
    ensure_path_in_scope(actor, path)
    if actor is None or actor.is_superuser or path != user_node_path(actor):
        return
    if park is not None:
        raise ValidationError({"park": "园区目标由所属县市区（州市）下达，请联系上级主管部门"})
    if region.level > 1:
        raise ValidationError({"region": "本级目标由上级下达，请联系上级主管部门"})


@transaction.atomic
def target_set(
    *,
    actor,
    year: int,
    region: Region,
    indicator: str,
    value: Decimal,
    unit: str,
    from_year: int | None = None,
    industry_code: str = "",
    source: str = "",
    park: Park | None = None,
) -> Target:
    """Create or change the target of one cell (jurisdiction or park × years × indicator × industry × unit). A park's
    target names the park and the jurisdiction it belongs to."""
    from_year = from_year or year
    problems = target_problems(year=year, from_year=from_year, indicator=indicator, value=value, unit=unit)
    if park is not None and park.region_id != region.pk:
        problems["park"] = f"{park.name}属于{park.region.name}，请选择该辖区"
    if problems:
        raise ValidationError(problems)
    if actor is not None:
        ensure_may_set_targets_for(actor, region, park)
    key = {
        "region": region,
        "park": park,
        "year": year,
        "from_year": from_year,
        "indicator": indicator,
        "industry_code": industry_code,
    }
    target = Target.objects.select_for_update().filter(**key, unit=unit).first()
    if target is None:
        path = park.path if park is not None else region.path
        target = Target(**key, unit=unit, value=value, source=source, path=path, created_by=actor)
        target.updated_by = actor
        target.save()
        figures_changed()
        audit_record(actor=actor, action=Action.CREATE, obj=target, after=snapshot(target))
        return target
    before = snapshot(target)
    if target.value == value and target.source == (source or target.source):
        return target
    target.value, target.source, target.updated_by = value, source or target.source, actor
    target.save()
    figures_changed()
    audit_record(actor=actor, action=Action.UPDATE, obj=target, before=before, after=snapshot(target))
    return target
