"""招大引强项目库 (云政办函〔2022〕97号 七): 县级申报 → 州市级审核 → 省级审定.

Each step approves or returns with a reason; a return goes back to the county, which may resubmit. Every step
is a dated ``LibraryStep`` row and one audit row on the project. Permission (what) and the actor's level and
scope (where) are re-checked inside the transaction, on the locked project row.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record
from zhaoshang.core.formatting import wan, yi
from zhaoshang.core.scope import ensure_path_in_scope, user_node_path
from zhaoshang.projects.choices import SIGNED_OR_LATER
from zhaoshang.projects.models import (
    LibraryAction,
    LibraryEntry,
    LibraryLevel,
    LibraryStatus,
    LibraryStep,
    LibraryThreshold,
    Project,
    library_threshold_wan,
)
from zhaoshang.projects.services.errors import IllegalTransition

SUBMIT_PERMISSION = "projects.submit_libraryentry"
REVIEW_PERMISSION = "projects.review_libraryentry"
APPROVE_PERMISSION = "projects.approve_libraryentry"
ACTION_PERMISSIONS = {
    LibraryAction.SUBMIT: (SUBMIT_PERMISSION,),
    LibraryAction.REVIEW: (REVIEW_PERMISSION,),
    LibraryAction.APPROVE: (APPROVE_PERMISSION,),
    LibraryAction.RETURN: (REVIEW_PERMISSION, APPROVE_PERMISSION),
}
# Which node depth acts at each step: the province is one segment deep, a prefecture two, a county or park more.
LEVEL_OF_DEPTH = {1: LibraryLevel.PROVINCE, 2: LibraryLevel.PREFECTURE}
LEVEL_WORDS = {
    LibraryLevel.COUNTY: "县市区（园区）",
    LibraryLevel.PREFECTURE: "州市",
    LibraryLevel.PROVINCE: "省级",
}


def actor_level(user) -> str | None:
    """The step a user's node acts at: province, prefecture, or county (a park acts with its county)."""
    node = user_node_path(user)
    if not node:
        return None
    return LEVEL_OF_DEPTH.get(len(node.split("/")), LibraryLevel.COUNTY)


def may_act(user, action: str) -> bool:
    """Holds a permission for ``action`` (the page and the API answer 403 otherwise)."""
    return any(user.has_perm(name) for name in ACTION_PERMISSIONS.get(action, ()))


def submission_problem(project: Project, *, on: date | None = None) -> str | None:
    """Why ``project`` cannot be submitted to the library (in words for the officer); None when it can."""
    threshold = library_threshold_wan(on)
    if project.is_merged:
        return f"该项目已合并入“{project.merged_into}”，请申报保留的项目"
    if project.stage not in SIGNED_OR_LATER:
        return f"只有签约、开工等已签约的项目可以申报招大引强项目库（当前阶段：{project.get_stage_display()}）"
    if (project.agreed_investment_wan or 0) < threshold:
        return (
            f"协议投资额 {wan(project.agreed_investment_wan)}低于入库门槛 {wan(threshold)}"
            f"（{yi(threshold)}），不能申报招大引强项目库"
        )
    return None


def step_problem(entry: LibraryEntry | None, action: str) -> str | None:
    """Why ``action`` is not the next step for ``entry`` (None for a project never submitted)."""
    status = entry.status if entry is not None else None
    if action == LibraryAction.SUBMIT:
        if status is None or status == LibraryStatus.RETURNED:
            return None
        if status == LibraryStatus.APPROVED:
            return "该项目已审定入库，不能重复申报"
        return f"该项目已申报，正在{entry.get_step_display()}，不能重复申报"
    if status is None:
        return "该项目尚未申报招大引强项目库"
    expected = {
        LibraryAction.REVIEW: (LibraryStatus.SUBMITTED,),
        LibraryAction.APPROVE: (LibraryStatus.REVIEWED,),
        LibraryAction.RETURN: (LibraryStatus.SUBMITTED, LibraryStatus.REVIEWED),
    }[action]
    if status in expected:
        return None
    if status == LibraryStatus.APPROVED:
        return "该项目已审定入库，不能再审核或退回"
    if status == LibraryStatus.RETURNED:
        return "该项目已退回县级，须由县级修改后重新申报"
    if action == LibraryAction.REVIEW:
        return "该项目已通过州市级审核，正在省级审定"
    return "该项目尚未通过州市级审核，须先由州市审核"


def level_problem(actor, entry: LibraryEntry | None, action: str) -> str | None:
    """Each step is taken at its own level: the county submits, the prefecture reviews, the province approves.
    A return is taken by the level the entry waits for."""
    if actor.is_superuser:
        return None
    if action == LibraryAction.SUBMIT:
        needed = LibraryLevel.COUNTY
    elif action == LibraryAction.REVIEW:
        needed = LibraryLevel.PREFECTURE
    elif action == LibraryAction.APPROVE:
        needed = LibraryLevel.PROVINCE
    else:
        needed = entry.step if entry is not None else LibraryLevel.PREFECTURE
    if actor_level(actor) != needed:
        verb = LibraryAction(action).label
        return f"“{verb}”须由{LEVEL_WORDS.get(needed, '')}办理，您所在层级不能办理这一步"
    return None


def allowed_actions(*, user, project: Project, entry: LibraryEntry | None) -> list[str]:
    """The steps ``user`` may take now on ``project`` (for pages and the API); the services check again."""
    actions = []
    for action in LibraryAction.values:
        if not may_act(user, action) or step_problem(entry, action) or level_problem(user, entry, action):
            continue
        if action == LibraryAction.SUBMIT and submission_problem(project):
            continue
        actions.append(action)
    return actions


def _locked(project: Project, actor, action: str) -> tuple[Project, LibraryEntry | None]:
    if not may_act(actor, action):
        raise PermissionDenied("您没有招大引强项目库这一环节的权限")
    project = Project.objects.select_for_update(of=("self",)).select_related("merged_into").get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)  # a prefecture acts only on its own counties' projects: 404
    entry = LibraryEntry.objects.select_for_update(of=("self",)).filter(project=project).first()
    problem = step_problem(entry, action) or level_problem(actor, entry, action)
    if problem:
        raise IllegalTransition(problem, code="illegal_library_step")
    return project, entry


def _record(*, actor, entry: LibraryEntry, action: str, level: str, before: str, reason: str) -> LibraryStep:
    step = LibraryStep(
        entry=entry,
        action=action,
        level=level,
        from_status=before,
        to_status=entry.status,
        on=timezone.localdate(),
        actor=actor,
        reason=reason,
    )
    step.save()
    audit_record(
        actor=actor,
        action=f"library_{action}",
        obj=entry.project,
        before={"library_status": before} if before else None,
        after={
            "library_status": entry.status,
            "step": entry.step,
            "level": level,
            "reason": reason,
            "amount_wan": entry.amount_wan,
            "on": step.on,
        },
    )
    return step


@transaction.atomic
def library_submit(*, actor, project: Project, reason: str = "") -> LibraryEntry:
    """县级申报: a signed project at or above the threshold enters the flow (again, after a return)."""
    project, entry = _locked(project, actor, LibraryAction.SUBMIT)
    problem = submission_problem(project)
    if problem:
        raise IllegalTransition(problem, code="not_eligible")
    now = timezone.now()
    before = entry.status if entry is not None else ""
    if entry is None:
        entry = LibraryEntry(project=project)
    entry.status, entry.step = LibraryStatus.SUBMITTED, LibraryLevel.PREFECTURE
    entry.year = timezone.localdate().year
    entry.amount_wan, entry.threshold_wan = project.agreed_investment_wan, library_threshold_wan()
    entry.submitted_at, entry.submitted_by = now, actor
    entry.save()
    _record(
        actor=actor, entry=entry, action=LibraryAction.SUBMIT, level=LibraryLevel.COUNTY, before=before, reason=reason
    )
    return entry


@transaction.atomic
def library_review(*, actor, project: Project, reason: str = "") -> LibraryEntry:
    """州市级审核通过: the prefecture sends its county's submission on to the province."""
    project, entry = _locked(project, actor, LibraryAction.REVIEW)
    before = entry.status
    entry.status, entry.step = LibraryStatus.REVIEWED, LibraryLevel.PROVINCE
    entry.save()
    _record(
        actor=actor,
        entry=entry,
        action=LibraryAction.REVIEW,
        level=LibraryLevel.PREFECTURE,
        before=before,
        reason=reason.strip(),
    )
    return entry


@transaction.atomic
def library_approve(*, actor, project: Project, reason: str = "") -> LibraryEntry:
    """省级审定: the project enters the provincial 招大引强项目库."""
    project, entry = _locked(project, actor, LibraryAction.APPROVE)
    before = entry.status
    entry.status, entry.step, entry.approved_on = LibraryStatus.APPROVED, LibraryLevel.DONE, timezone.localdate()
    entry.save()
    _record(
        actor=actor,
        entry=entry,
        action=LibraryAction.APPROVE,
        level=LibraryLevel.PROVINCE,
        before=before,
        reason=reason.strip(),
    )
    return entry


@transaction.atomic
def library_return(*, actor, project: Project, reason: str) -> LibraryEntry:
    """退回: the prefecture (or the province) sends the submission back to the county, with the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "退回须填写原因"})
    project, entry = _locked(project, actor, LibraryAction.RETURN)
    before, level = entry.status, entry.step
    entry.status, entry.step, entry.last_reason = LibraryStatus.RETURNED, LibraryLevel.COUNTY, reason.strip()
    entry.save()
    _record(actor=actor, entry=entry, action=LibraryAction.RETURN, level=level, before=before, reason=reason.strip())
    return entry


LIBRARY_SERVICES = {
    LibraryAction.SUBMIT: library_submit,
    LibraryAction.REVIEW: library_review,
    LibraryAction.APPROVE: library_approve,
    LibraryAction.RETURN: library_return,
}


def library_decide(*, actor, project: Project, action: str, reason: str = "") -> LibraryEntry:
    """One step by its code (the decision form and the API)."""
    if action not in LIBRARY_SERVICES:
        raise ValidationError({"action": f"未知的操作“{action}”，应为 submit / review / approve / return"})
    return LIBRARY_SERVICES[action](actor=actor, project=project, reason=reason or "")


@transaction.atomic
def library_threshold_set(*, actor, threshold_wan: Decimal, effective_from: date, note: str = "") -> LibraryThreshold:
    """The province sets the 入库门槛 from a date on (a new row; earlier thresholds stay as history)."""
    if not actor.is_superuser and (
        not actor.has_perm("projects.add_librarythreshold") or actor_level(actor) != LibraryLevel.PROVINCE
    ):
        raise PermissionDenied("入库门槛由省级设置")
    if threshold_wan is None or threshold_wan <= 0:
        raise ValidationError({"threshold_wan": "入库门槛须大于0"})
    row = LibraryThreshold(threshold_wan=threshold_wan, effective_from=effective_from, note=note.strip())
    row.created_by = actor
    row.save()
    audit_record(
        actor=actor,
        action="library_threshold",
        obj=row,
        after={"threshold_wan": threshold_wan, "effective_from": effective_from, "note": row.note},
    )
    return row
