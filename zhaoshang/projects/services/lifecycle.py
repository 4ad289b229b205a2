"""The lifecycle (线索 → 在谈 → 签约 → 注册 → 开工 → 投产, or 终止) and the agreements that signing needs."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.formatting import wan
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.validators import business_date_error
from zhaoshang.projects.choices import STAGE_PATH, AgreementKind, Stage, next_stages
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import Agreement, IncentiveClause, Project, ProjectTransition
from zhaoshang.projects.services.decision import collective_decision_agreed
from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.rollup import figures_changed


def _label(stage: str) -> str:
    return Stage(stage).label if stage in Stage.values else stage


# 慎招 (2022 opinion 六（六）): the decision comes before the signature, whichever channel asks.
COLLECTIVE_DECISION_FIRST = "该项目为慎招项目，签约须先录入结论为“同意”的集体决策记录"


def transition_problem(project: Project, to: str, on: date, note: str) -> str | None:
    """Why ``project`` may not move to ``to`` on ``on``, in words for the officer; None when it may."""
    current = project.stage
    if project.is_merged:
        return f"该项目已合并入“{project.merged_into}”，不能再变更阶段"
    if to not in Stage.values:
        return f"未知的阶段代码“{to}”"
    if to == current:
        return f"项目已处于“{_label(to)}”阶段"
    if current == Stage.TERMINATED:
        return "项目已终止，不能再变更阶段"
    if current == Stage.IN_PRODUCTION:
        return "项目已投产，生命周期已完成，不能再变更阶段"
    if to not in next_stages(current):
        if STAGE_PATH.index(to) < STAGE_PATH.index(current):
            return f"不能从“{_label(current)}”退回到“{_label(to)}”"
        following = _label(STAGE_PATH[STAGE_PATH.index(current) + 1])
        return f"不能从“{_label(current)}”直接进入“{_label(to)}”，须先经过“{following}”"
    if date_problem := business_date_error(on):  # from 2000-01-01 to today (core/validators.py)
        return f"变更日期{date_problem}"
    if on < project.stage_on:
        return f"变更日期不能早于进入当前阶段的日期（{project.stage_on:%Y-%m-%d}）"
    if to == Stage.SIGNED and not project.agreements.filter(signed_on__lte=on).exists():
        return "签约须先录入投资协议（协议签约日期不晚于变更日期）"
    if to == Stage.SIGNED and project.needs_collective_decision and not collective_decision_agreed(project, on):
        return f"{COLLECTIVE_DECISION_FIRST}（会议日期不晚于变更日期）"
    if to == Stage.TERMINATED and not note.strip():
        return "终止项目须说明原因"
    return None


@transaction.atomic
def project_advance(*, project: Project, to: str, actor, on: date, note: str = "") -> Project:
    """Move the project one step along its lifecycle (or to 终止), recording a dated transition row."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    problem = transition_problem(project, to, on, note)
    if problem:
        raise IllegalTransition(problem, code="illegal_transition")
    before = snapshot(project)
    ProjectTransition.objects.create(
        project=project, from_stage=project.stage, to_stage=to, on=on, actor=actor, note=note.strip()
    )
    project.stage, project.stage_on, project.updated_by = to, on, actor
    if to == Stage.SIGNED and project.first_signed_on is None:
        project.first_signed_on = on  # counted as signed once, at its first signing
    project.save()
    figures_changed()  # signed counts read the stage's dates
    audit_record(actor=actor, action="transition", obj=project, before=before, after=snapshot(project))
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[project.investor_id])
    return project


@transaction.atomic
def agreement_create(
    *,
    actor,
    project: Project,
    signed_on: date,
    amount_wan: Decimal,
    kind: str = AgreementKind.CONTRACT,
    term_years: int | None = None,
    note: str = "",
    clauses: Iterable[dict] = (),
    upgrades: Agreement | None = None,
) -> Agreement:
    """Record an agreement with its incentive clauses. An upgrade (升格) names the agreement it replaces and
    counts only the increase; a project with an agreement in force takes new agreements only as upgrades."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    if project.is_merged or project.stage == Stage.TERMINATED:
        raise ValidationError("已合并或已终止的项目不能录入协议")
    if project.stage == Stage.LEAD:
        raise ValidationError("线索阶段的项目不能录入协议，请先转入“在谈”")
    if amount_wan is None or amount_wan <= 0:
        raise ValidationError({"amount_wan": "协议投资额须大于0"})
    if date_problem := business_date_error(signed_on):
        raise ValidationError({"signed_on": f"签约日期{date_problem}"})
    in_force = project.current_agreements()
    if upgrades is None and in_force.exists():
        raise ValidationError({"upgrades": "该项目已有协议；框架协议转正式合同等请选择“升格自”的原协议"})
    counted = amount_wan
    if upgrades is not None:
        if upgrades.project_id != project.pk or not in_force.filter(pk=upgrades.pk).exists():
            raise ValidationError({"upgrades": "只能升格本项目现行有效的协议"})
        if signed_on < upgrades.signed_on:
            raise ValidationError({"signed_on": "升格协议的签约日期不能早于原协议"})
        if amount_wan < upgrades.amount_wan:
            raise ValidationError({"amount_wan": f"升格后的协议投资额不能低于原协议（{wan(upgrades.amount_wan)}）"})
        counted = amount_wan - upgrades.amount_wan  # 升格 counts only the upgrade
    agreement = Agreement.objects.create(
        project=project,
        kind=kind,
        signed_on=signed_on,
        amount_wan=amount_wan,
        counted_amount_wan=counted,
        term_years=term_years,
        note=note,
        upgrades=upgrades,
        created_by=actor,
    )
    for clause in clauses:
        if (clause.get("content") or "").strip():
            IncentiveClause.objects.create(
                agreement=agreement,
                content=clause["content"].strip(),
                amount_wan=clause.get("amount_wan"),
                conditions=clause.get("conditions") or "",
                due_on=clause.get("due_on"),
            )
    before = snapshot(project)
    project.agreed_investment_wan, project.updated_by = amount_wan, actor
    project.save()
    figures_changed()
    after = snapshot(agreement) | {"clauses": list(agreement.clauses.values("content", "amount_wan", "due_on"))}
    audit_record(actor=actor, action="agreement", obj=project, before=before, after=after)
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[project.investor_id])  # 协议投资额
    return agreement
