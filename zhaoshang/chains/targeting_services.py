"""Writes of 靶向寻商 and 项目匹配: signals (one by one, and the Excel import, all or nothing), acting on a candidate
(target library with an owner through the investors services, an activity, a lead through ``project_create``),
outcomes, park profiles and the chain's factor weights. Each runs in one transaction and writes one audit row
(the investors and projects services they call write their own as well)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.chains.choices import AuditAction, OutcomeStatus, SignalKind, SignalOrigin
from zhaoshang.chains.models import IndustryChain, ParkProfile, Signal, TargetOutcome
from zhaoshang.chains.targeting import FACTORS
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.importing import Column, ImportReport, choice, date_value, parse_workbook, template_bytes, text
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.validators import business_date_error

PARK_PROFILE_FIELDS = (
    "land_available_mu",
    "standard_land_mu",
    "standard_factory_m2",
    "power_price_yuan_kwh",
    "green_power_share",
    "power_capacity_mva",
    "water_capacity_t_day",
    "rail_km",
    "port_km",
    "eia_classes",
    "output_per_mu_wan",
    "tax_per_mu_wan",
    "admitted_nodes",
    "excluded_nodes",
    "as_of",
    "source",
)


# -- signals --------------------------------------------------------------------------------------------------------
def _check_signal(kind: str, on: date, source: str) -> dict:
    errors = {}
    if kind not in SignalKind.values:
        errors["kind"] = "请选择信号类型"
    if on is None or (problem := business_date_error(on)):
        errors["on"] = f"日期{problem if on else '不能为空'}"
    if not (source or "").strip():
        errors["source"] = "请填写来源（如 企业公告、工商登记、新闻报道）"
    return errors


@transaction.atomic
def signal_create(*, actor, enterprise, kind: str, on: date, source: str, evidence: str = "") -> Signal:
    if errors := _check_signal(kind, on, source):
        raise ValidationError(errors)
    signal = Signal.objects.create(
        enterprise=enterprise,
        kind=kind,
        on=on,
        source=source.strip(),
        evidence=evidence.strip(),
        origin=SignalOrigin.OFFICER,
        created_by=actor,
        updated_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.SIGNAL, obj=signal, after=snapshot(signal))
    return signal


SIGNAL_KINDS = {label: value for value, label in SignalKind.choices}
SIGNAL_COLUMNS = [
    Column("企业名称", "name", text(200), required=True, help="须为企业库中已有企业（按名称或统一社会信用代码）"),
    Column("统一社会信用代码", "credit_code", text(18)),
    Column("信号类型", "kind", choice(SIGNAL_KINDS), required=True),
    Column("日期", "on", date_value, required=True),
    Column("来源", "source", text(200), required=True),
    Column("证据", "evidence", text(1000)),
]
SIGNAL_INSTRUCTIONS = [
    "每行一条企业扩张信号。整份文件校验通过才会写入，任何一行有错都不写入，并列出出错的行和列。",
    "企业须已在企业库中（先按统一社会信用代码、再按名称查找）；“注销子公司”为负向信号，“企业注销”使企业不再进入候选名单。",
]


def signals_template() -> bytes:
    return template_bytes(
        title="企业扩张信号导入模板",
        columns=SIGNAL_COLUMNS,
        instructions=SIGNAL_INSTRUCTIONS,
        example=["示例新能源科技股份有限公司", "", "扩产", "2026-03-15", "企业公告", "拟投资50亿元扩建电池片产能"],
    )


@transaction.atomic
def signals_import(*, actor, content: bytes) -> ImportReport:
    """All or nothing: every row is checked (columns, then the enterprise and date) before any is written."""
    from zhaoshang.investors.models import Enterprise

    report = parse_workbook(content, SIGNAL_COLUMNS)
    if not report.ok:
        return report
    found = []
    for row in report.rows:
        values = row.values
        code = (values.get("credit_code") or "").strip().upper()
        enterprise = Enterprise.objects.filter(credit_code=code).order_by("pk").first() if code else None
        enterprise = enterprise or Enterprise.objects.named(values["name"]).order_by("pk").first()
        if enterprise is None:
            report.errors.append(f"第{row.number}行 企业名称: 企业库中没有“{values['name']}”，请先建档")
        if problem := business_date_error(values["on"]):
            report.errors.append(f"第{row.number}行 日期: {problem}")
        found.append(enterprise)
    if not report.ok:
        return report
    Signal.objects.bulk_create(
        Signal(
            enterprise=enterprise,
            kind=row.values["kind"],
            on=row.values["on"],
            source=row.values["source"],
            evidence=row.values.get("evidence") or "",
            origin=SignalOrigin.IMPORT,
            created_by=actor,
            updated_by=actor,
        )
        for row, enterprise in zip(report.rows, found, strict=True)
    )
    report.created = len(found)
    audit_record(
        actor=actor,
        action=AuditAction.SIGNAL_IMPORT,
        object_type=Signal._meta.label,
        object_repr="企业扩张信号导入",
        after={"rows": len(report.rows), "created": report.created},
    )
    return report


# -- acting on a candidate --------------------------------------------------------------------------------------------
def _outcome(*, actor, region, enterprise, chain, node_key: str, status: str, note: str = "", **links) -> TargetOutcome:
    ensure_path_in_scope(actor, region.path)
    if status not in OutcomeStatus.values:
        raise ValidationError({"status": "请选择结果：联系中、无意向、在谈或签约"})
    outcome = TargetOutcome.objects.create(
        path=region.path,
        region=region,
        enterprise=enterprise,
        chain=chain,
        node_key=node_key or "",
        status=status,
        note=(note or "").strip()[:300],
        created_by=actor,
        updated_by=actor,
        **links,
    )
    audit_record(actor=actor, action=AuditAction.OUTCOME, obj=outcome, after=snapshot(outcome))
    return outcome


@transaction.atomic
def outcome_record(*, actor, region, enterprise, status: str, chain=None, node_key: str = "", note: str = ""):
    """联系中 / 无意向 / 在谈 / 签约: what happened with the candidate, shown on the list next time."""
    return _outcome(
        actor=actor, region=region, enterprise=enterprise, chain=chain, node_key=node_key, status=status, note=note
    )


@transaction.atomic
def candidate_follow(*, actor, region, enterprise, owner, chain=None, node_key: str = "", next_on=None):
    """Into the target library (重要目标企业库) with an owner (专人盯), through the investors service."""
    from zhaoshang.investors.services import enterprise_set_follow_up

    if owner is None:
        raise ValidationError({"owner": "请指定专人盯的责任人"})
    ensure_path_in_scope(actor, region.path)
    enterprise_set_follow_up(actor=actor, enterprise=enterprise, owner=owner, next_follow_up_on=next_on)
    return _outcome(
        actor=actor,
        region=region,
        enterprise=enterprise,
        chain=chain,
        node_key=node_key,
        status=OutcomeStatus.CONTACTING,
        note=f"纳入目标企业库，专人盯：{owner}",
        owner=owner,
    )


@transaction.atomic
def candidate_plan_activity(
    *, actor, region, enterprise, kind: str, title: str, start_on, leader_level: str = "", chain=None, node_key=""
):
    """A visit or meeting planned with the candidate (an activity through the investors service). It takes place at
    the enterprise's headquarters when they are known and outside Yunnan, otherwise in the region."""
    from zhaoshang.investors.choices import YUNNAN
    from zhaoshang.investors.services import activity_create

    ensure_path_in_scope(actor, region.path)
    if enterprise.hq_province and enterprise.hq_province != YUNNAN:
        where = {"destination_province": enterprise.hq_province, "destination_city": enterprise.hq_city}
    else:
        where = {"destination_province": YUNNAN, "destination_region": region}
    activity = activity_create(
        actor=actor,
        kind=kind,
        title=title,
        start_on=start_on,
        leader_level=leader_level,
        enterprises=[enterprise],
        **where,
    )
    return _outcome(
        actor=actor,
        region=region,
        enterprise=enterprise,
        chain=chain,
        node_key=node_key,
        status=OutcomeStatus.CONTACTING,
        note=f"安排活动：{title}",
        activity=activity,
    )


@transaction.atomic
def candidate_create_lead(
    *, actor, region, enterprise, name: str, county, on: date, chain=None, node_key: str = "", park=None, **fields
):
    """A 线索 from the candidate through ``project_create`` (the same checks and audit as every project write);
    the candidate then shows 在谈."""
    from zhaoshang.projects.services import project_create

    ensure_path_in_scope(actor, region.path)
    project = project_create(
        actor=actor,
        name=name,
        investor_name=enterprise.name,
        investor_credit_code=enterprise.credit_code,
        county=county,
        park=park,
        on=on,
        **fields,
    )
    _outcome(
        actor=actor,
        region=region,
        enterprise=enterprise,
        chain=chain,
        node_key=node_key,
        status=OutcomeStatus.NEGOTIATING,
        note=f"生成线索：{project.name}",
        project=project,
    )
    return project


# -- parks and weights ------------------------------------------------------------------------------------------------
@transaction.atomic
def park_profile_save(*, actor, park, **fields) -> ParkProfile:
    """The park's matching profile, by its bureau (the park's county or prefecture) or the province."""
    ensure_path_in_scope(actor, park.path)
    unknown = set(fields) - set(PARK_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"park profile fields {sorted(unknown)} cannot be set here")
    if not fields.get("as_of"):
        raise ValidationError({"as_of": "请填写数据日期"})
    if not (fields.get("source") or "").strip():
        raise ValidationError({"source": "请填写数据来源"})
    if fields["as_of"] > timezone.localdate():
        raise ValidationError({"as_of": "数据日期不能晚于今天"})
    profile = ParkProfile.objects.select_for_update().filter(park=park).first()
    before = snapshot(profile) if profile else None
    if profile is None:
        profile = ParkProfile(park=park, created_by=actor)
    for key, value in fields.items():
        setattr(profile, key, value)
    land, standard = profile.land_available_mu, profile.standard_land_mu
    if land is not None and standard is not None and standard > land:
        raise ValidationError({"standard_land_mu": "“标准地”不能多于可供工业用地"})
    profile.updated_by = actor
    profile.full_clean()
    profile.save()
    audit_record(actor=actor, action=AuditAction.PARK_PROFILE, obj=profile, before=before, after=snapshot(profile))
    return profile


@transaction.atomic
def targeting_weights_set(*, actor, chain: IndustryChain, weights: dict) -> IndustryChain:
    """The chain's factor weights (data per chain): known factors, non-negative, summing to 1."""
    clean = {}
    for key in FACTORS:
        try:
            value = float(weights.get(key))
        except (TypeError, ValueError):
            raise ValidationError({key: "权重须为数字"}) from None
        if value < 0:
            raise ValidationError({key: "权重不能为负"})
        clean[key] = round(value, 4)
    if abs(sum(clean.values()) - 1) > 0.001:
        raise ValidationError("各项权重之和须为1")
    chain = IndustryChain.objects.select_for_update().get(pk=chain.pk)
    before = {"targeting_weights": chain.targeting_weights}
    chain.targeting_weights, chain.updated_by = clean, actor
    chain.save(update_fields=["targeting_weights", "updated_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.WEIGHTS, obj=chain, before=before, after={"targeting_weights": clean})
    return chain
