"""项目流转 with 利益共享: 提出 → 接收方确认 → 上级备案 (completes it: the project moves) or 退回 at any open step.

Each step holds a Django permission (what) and is taken by the right node (where), both re-checked inside the
transaction on the locked rows; each writes one ``TransferStep`` and one audit row. Completion moves the project
through the placement every project write uses (``projects._place``) inside ``rollup_tracking``, so the ledger's
roll-up follows it and the figures' version moves (cached figures are recomputed with the agreement's shares).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.scope import ensure_path_in_scope, path_within, user_node_path
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import (
    Project,
    SharingAgreement,
    Transfer,
    TransferAction,
    TransferStatus,
    TransferStep,
)
from zhaoshang.projects.models.transfer import OPEN_STATUSES, filing_path
from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.plan import WriteFacts, plan_basics
from zhaoshang.projects.services.rollup import rollup_tracking
from zhaoshang.regions.choices import ParkStatus

PERMISSIONS = {
    TransferAction.PROPOSE: "projects.add_transfer",
    TransferAction.ACCEPT: "projects.accept_transfer",
    TransferAction.FILE: "projects.file_transfer",
    TransferAction.RETURN: "projects.return_transfer",
}


def _require(actor, action: str) -> None:
    if not actor.has_perm(PERMISSIONS[action]):
        raise PermissionDenied(f"您没有“{TransferAction(action).label}”的权限")


def _node(actor) -> str:
    return "" if actor.is_superuser else (user_node_path(actor) or "")


def side_problem(actor, transfer: Transfer, action: str) -> str | None:
    """Why ``actor``'s node may not take ``action`` on ``transfer`` (None when it may): the receiving county (or its
    park) accepts, the bureau of the lowest common level above both sides files, any of them returns."""
    if actor.is_superuser:
        return None
    node = _node(actor)
    if not node:
        return "您的账号没有所属辖区"
    receiving = path_within(node, transfer.to_county.path)
    filer = node == transfer.filing_path
    if action == TransferAction.ACCEPT and not receiving:
        return f"“接收方确认”须由落地方（{transfer.to_label}）办理"
    if action == TransferAction.FILE and not filer:
        return "“上级备案”须由双方共同的上级投资促进部门办理"
    if action == TransferAction.RETURN:
        sending = path_within(node, transfer.from_county.path)
        if not (receiving or sending or filer):
            return "只有流转双方或备案部门可以退回"
    return None


def status_problem(transfer: Transfer, action: str) -> str | None:
    expected = {
        TransferAction.ACCEPT: (TransferStatus.PROPOSED,),
        TransferAction.FILE: (TransferStatus.ACCEPTED,),
        TransferAction.RETURN: OPEN_STATUSES,
    }[action]
    if transfer.status in expected:
        return None
    if transfer.status == TransferStatus.COMPLETED:
        return "该流转已完成，不能再办理"
    if transfer.status == TransferStatus.RETURNED:
        return "该流转已退回"
    if action == TransferAction.FILE:
        return "接收方尚未确认，不能备案"
    return "接收方已确认，正在等待上级备案"


def allowed_actions(*, user, transfer: Transfer) -> list[str]:
    """The steps the user may take on the transfer now (for the page's buttons and the form's choices)."""
    return [
        action
        for action in (TransferAction.ACCEPT, TransferAction.FILE, TransferAction.RETURN)
        if user.has_perm(PERMISSIONS[action])
        and status_problem(transfer, action) is None
        and side_problem(user, transfer, action) is None
    ]


def _step(transfer: Transfer, *, action: str, before: str, actor, on: date, reason: str = "") -> TransferStep:
    return TransferStep.objects.create(
        transfer=transfer,
        action=action,
        from_status=before,
        to_status=transfer.status,
        on=on,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def transfer_propose(
    *,
    actor,
    project: Project,
    to_county,
    to_park=None,
    reason: str,
    reason_text: str,
    source_share: Decimal,
    target_share: Decimal,
    from_year: int,
    years: int,
    shares_signed: bool = True,
    shares_funds: bool = True,
    shares_tax: bool = True,
    note: str = "",
    on: date | None = None,
) -> Transfer:
    """提出: the side holding the project offers it to another county or park, with the benefit-sharing agreement."""
    _require(actor, TransferAction.PROPOSE)
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)  # only the holding side offers its project
    on = on or timezone.localdate()
    if project.is_merged:
        raise ValidationError("已合并的项目不能流转")
    if Transfer.objects.filter(project=project, status__in=OPEN_STATUSES).exists():
        raise ValidationError("该项目已有一项正在办理的流转")
    if not (reason_text or "").strip():
        raise ValidationError({"reason_text": "请说明不能承接的具体原因"})
    if to_county is None or to_county.level != 3:
        raise ValidationError({"to_county": "请选择落地方县市区"})
    if to_park is not None and to_park.status != ParkStatus.ACTIVE:
        raise ValidationError({"to_park": f"园区“{to_park.name}”已撤销或整合"})
    if to_park is not None and to_park.region_id != to_county.pk:
        raise ValidationError({"to_park": f"园区“{to_park.name}”不属于{to_county.name}"})
    to_path = to_park.path if to_park is not None else to_county.path
    if to_path == project.path:
        raise ValidationError({"to_county": "落地方与项目现所在地相同"})
    transfer = Transfer(
        project=project,
        reason=reason,
        reason_text=reason_text.strip(),
        from_county=project.county,
        from_park=project.park,
        from_path=project.path,
        to_county=to_county,
        to_park=to_park,
        to_path=to_path,
        filing_path=filing_path(project.path, to_path),
        status=TransferStatus.PROPOSED,
        proposed_on=on,
        created_by=actor,
    )
    transfer.full_clean(exclude=["created_by", "filing_path"])
    sharing = SharingAgreement(
        source_share=source_share,
        target_share=target_share,
        shares_signed=shares_signed,
        shares_funds=shares_funds,
        shares_tax=shares_tax,
        from_year=from_year,
        years=years,
        note=note,
    )
    sharing.full_clean(exclude=["transfer"])
    transfer.save()
    sharing.transfer = transfer
    sharing.save()
    _step(transfer, action=TransferAction.PROPOSE, before="", actor=actor, on=on, reason=transfer.reason_text)
    audit_record(
        actor=actor,
        action="transfer_propose",
        obj=transfer,
        after={"transfer": snapshot(transfer), "sharing": snapshot(sharing)},
    )
    return transfer


def _locked(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update().select_related("to_county", "from_county").get(pk=transfer.pk)


def _check(actor, transfer: Transfer, action: str) -> None:
    node = _node(actor)
    if node and not (path_within(transfer.from_path, node) or path_within(transfer.to_path, node)):
        ensure_path_in_scope(actor, transfer.to_path)  # outside both sides: a 404, as for any object elsewhere
    problem = status_problem(transfer, action)
    if problem:
        raise IllegalTransition(problem, code="illegal_transition")
    problem = side_problem(actor, transfer, action)
    if problem:
        raise PermissionDenied(problem)


@transaction.atomic
def transfer_accept(*, actor, transfer: Transfer, note: str = "", on: date | None = None) -> Transfer:
    """接收方确认: the receiving county (or park) agrees to host the project on the agreed shares."""
    _require(actor, TransferAction.ACCEPT)
    transfer = _locked(transfer)
    _check(actor, transfer, TransferAction.ACCEPT)
    before = transfer.status
    transfer.status = TransferStatus.ACCEPTED
    transfer.save(update_fields=["status", "updated_at"])
    on = on or timezone.localdate()
    _step(transfer, action=TransferAction.ACCEPT, before=before, actor=actor, on=on, reason=note)
    audit_record(
        actor=actor,
        action="transfer_accept",
        obj=transfer,
        before={"status": before},
        after={"status": transfer.status},
    )
    return transfer


def _move(project: Project, county, park, *, actor) -> None:
    """The project's new place, through the first part of the plan every project write makes (its county, its park
    in that county, the path, inside the actor's jurisdiction), then the model's own checks."""
    facts = WriteFacts(name=project.name, investor_name=project.investor.name, county=county, park=park)
    path, problems = plan_basics(facts=facts, actor=actor)
    if problems:
        raise ValidationError({problem.field: problem.message for problem in problems})
    project.county, project.park, project.path = county, park, path
    project.full_clean(exclude=["investor", "path", "stage_on"])


@transaction.atomic
def transfer_file(*, actor, transfer: Transfer, note: str = "", on: date | None = None) -> Transfer:
    """上级备案, which completes the transfer: the project moves to the receiving node (its county, park and path,
    through the placement every project write uses); its ledger moves in the roll-up with it."""
    _require(actor, TransferAction.FILE)
    transfer = _locked(transfer)
    _check(actor, transfer, TransferAction.FILE)
    project = Project.objects.select_for_update().get(pk=transfer.project_id)
    if project.path != transfer.from_path:
        raise IllegalTransition("项目所在地已在提出流转后变更，请退回后重新提出", code="illegal_transition")
    if project.is_merged:
        raise IllegalTransition("项目已合并入其他项目，不能完成流转", code="illegal_transition")
    on = on or timezone.localdate()
    before = {"status": transfer.status, "project_path": project.path}
    with rollup_tracking([project.pk]):
        _move(project, transfer.to_county, transfer.to_park, actor=actor)
        project.updated_by = actor
        project.save()
    transfer.status, transfer.completed_on = TransferStatus.COMPLETED, on
    transfer.save(update_fields=["status", "completed_on", "updated_at"])
    _step(transfer, action=TransferAction.FILE, before=before["status"], actor=actor, on=on, reason=note)
    after = {"status": transfer.status, "project_path": project.path, "completed_on": on}
    audit_record(actor=actor, action="transfer_file", obj=transfer, before=before, after=after)
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[project.investor_id])
    return transfer


@transaction.atomic
def transfer_return(*, actor, transfer: Transfer, reason: str, on: date | None = None) -> Transfer:
    """退回 an open transfer, with a reason: the project stays where it is."""
    _require(actor, TransferAction.RETURN)
    if not (reason or "").strip():
        raise ValidationError({"reason": "退回须填写原因"})
    transfer = _locked(transfer)
    _check(actor, transfer, TransferAction.RETURN)
    before = transfer.status
    transfer.status, transfer.last_reason = TransferStatus.RETURNED, reason.strip()
    transfer.save(update_fields=["status", "last_reason", "updated_at"])
    on = on or timezone.localdate()
    _step(transfer, action=TransferAction.RETURN, before=before, actor=actor, on=on, reason=transfer.last_reason)
    audit_record(
        actor=actor,
        action="transfer_return",
        obj=transfer,
        before={"status": before},
        after={"status": transfer.status, "reason": transfer.last_reason},
    )
    return transfer


def transfer_decide(*, actor, transfer: Transfer, action: str, reason: str = "") -> Transfer:
    """One entry point for the page and the API: the step ``action`` (accept, file or return)."""
    if action == TransferAction.ACCEPT:
        return transfer_accept(actor=actor, transfer=transfer, note=reason)
    if action == TransferAction.FILE:
        return transfer_file(actor=actor, transfer=transfer, note=reason)
    if action == TransferAction.RETURN:
        return transfer_return(actor=actor, transfer=transfer, reason=reason)
    raise ValidationError({"action": "未知的操作"})
