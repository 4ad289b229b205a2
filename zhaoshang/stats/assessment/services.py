"""Writes of the assessment: schemes (a published one is never changed: an edit makes the next version) and the
publication of a quarter, which freezes the scores as a snapshot. Each writes one audit row."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, to_json
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.regions.models import Region
from zhaoshang.stats.assessment.models import (
    AssessmentItem,
    AssessmentPublication,
    AssessmentScheme,
    AssessmentScore,
    ItemKind,
    Method,
    SchemeState,
)
from zhaoshang.stats.assessment.selectors import compute_scores, published, scheme_in_force
from zhaoshang.stats.assessment.sources import SOURCES

ITEM_FIELDS = (
    "source",
    "name",
    "kind",
    "method",
    "weight",
    "cap_pct",
    "rank_floor_pct",
    "thresholds",
    "unit_points",
    "cap",
)
HUNDRED = Decimal(100)


def item_problems(items: list[dict]) -> list[str]:
    """What is wrong with a scheme's items, in words: the base weights must add up to 100."""
    problems = []
    if not items:
        problems.append("至少需要一个考核项")
    for number, item in enumerate(items, start=1):
        if item["source"] not in SOURCES:
            problems.append(f"第{number}项：未知的指标来源 {item['source']}")
        if item["kind"] != ItemKind.BASE and item.get("cap") is None:
            problems.append(f"第{number}项：加分项、扣分项须设单项上限")
        if item["method"] == Method.THRESHOLD and not item.get("thresholds"):
            problems.append(f"第{number}项：阈值计分须填写阈值表")
    weights = sum((Decimal(i["weight"]) for i in items if i["kind"] == ItemKind.BASE), Decimal(0))
    if items and weights != HUNDRED:
        problems.append(f"基本指标权重合计应为100分，现为{weights.normalize():f}分")
    return problems


def _ensure_may_edit(actor) -> None:
    if actor is not None and not actor.has_perm("stats.change_assessmentscheme"):
        raise PermissionDenied("考核方案由省级管理员制定")


def _scheme_json(scheme: AssessmentScheme) -> dict:
    return to_json(
        {
            "year": scheme.year,
            "version": scheme.version,
            "state": scheme.state,
            "title": scheme.title,
            "bonus_cap": scheme.bonus_cap,
            "penalty_cap": scheme.penalty_cap,
            "items": [{name: getattr(i, name) for name in ITEM_FIELDS} for i in scheme.items.all()],
        }
    )


@transaction.atomic
def scheme_save(
    *,
    actor,
    year: int,
    title: str,
    items: list[dict],
    bonus_cap: Decimal = Decimal(10),
    penalty_cap: Decimal = Decimal(10),
    note: str = "",
) -> AssessmentScheme:
    """Set the year's scheme: a draft is changed in place; a published one stays as it was and the edit becomes the
    next version, a draft until published (published quarters keep the version they were scored with)."""
    _ensure_may_edit(actor)
    problems = item_problems(items)
    if problems:
        raise ValidationError(problems)
    latest = AssessmentScheme.objects.select_for_update().filter(year=year).order_by("-version").first()
    before = _scheme_json(latest) if latest is not None else None
    if latest is None or latest.state == SchemeState.PUBLISHED:
        scheme = AssessmentScheme(year=year, version=(latest.version + 1) if latest else 1, created_by=actor)
    else:
        scheme = latest
        scheme.items.all().delete()
    scheme.title, scheme.bonus_cap, scheme.penalty_cap, scheme.note = title, bonus_cap, penalty_cap, note
    scheme.updated_by = actor
    scheme.save()
    AssessmentItem.objects.bulk_create(
        AssessmentItem(scheme=scheme, position=n, **{name: item.get(name) for name in ITEM_FIELDS if name in item})
        for n, item in enumerate(items)
    )
    audit_record(
        actor=actor,
        action="assessment_scheme_save",
        obj=scheme,
        before=before if scheme is latest else None,
        after=_scheme_json(scheme),
        path="530000",
    )
    return scheme


@transaction.atomic
def scheme_publish(*, actor, scheme: AssessmentScheme) -> AssessmentScheme:
    _ensure_may_edit(actor)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.state == SchemeState.PUBLISHED:
        raise ValidationError("该版本已发布")
    problems = item_problems([{name: getattr(i, name) for name in ITEM_FIELDS} for i in scheme.items.all()])
    if problems:
        raise ValidationError(problems)
    scheme.state, scheme.updated_by = SchemeState.PUBLISHED, actor
    scheme.save(update_fields=["state", "updated_by", "updated_at"])
    audit_record(actor=actor, action="assessment_scheme_publish", obj=scheme, after=_scheme_json(scheme), path="530000")
    return scheme


@transaction.atomic
def assessment_publish(*, actor, region: Region, year: int, quarter: int) -> AssessmentPublication:
    """Freeze a quarter's scores of ``region``'s children under the scheme in force: score, rank and breakdown
    are stored; nothing later (a scheme's new version, a late ledger entry) changes them."""
    if actor is not None:
        if not actor.has_perm("stats.add_assessmentpublication"):
            raise PermissionDenied("您没有发布考核结果的权限")
        ensure_path_in_scope(actor, region.path)
    if region.level > 2:
        raise ValidationError("县市区没有下级考核单位")
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "季度应为 1—4"})
    if published(region, year, quarter) is not None:
        raise ValidationError(f"{region.name}{year}年第{quarter}季度考核结果已发布，不能重复发布")
    scheme = scheme_in_force(year)
    if scheme is None:
        raise ValidationError(f"{year}年考核方案尚未发布")
    rows = compute_scores(region, year, quarter, scheme)
    publication = AssessmentPublication.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        scheme=scheme,
        scheme_version=scheme.version,
        path=region.path,
        created_by=actor,
        updated_by=actor,
    )
    children = {c.code: c for c in Region.objects.filter(parent=region)}
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            publication=publication,
            region=children[row.code],
            path=children[row.code].path,
            score=row.score,
            rank=row.rank,
            breakdown=[item.as_json() for item in row.items],
            created_by=actor,
        )
        for row in rows
    )
    audit_record(
        actor=actor,
        action="assessment_publish",
        obj=publication,
        after={
            "year": year,
            "quarter": quarter,
            "scheme_version": scheme.version,
            "scores": {row.code: str(row.score) for row in rows},
        },
    )
    return publication
