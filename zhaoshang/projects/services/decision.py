"""Recording a collective decision (集体决策) or a legality review (合法性审查) of a project."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.validators import business_date_error
from zhaoshang.projects.choices import DecisionKind, DecisionOutcome
from zhaoshang.projects.models import Agreement, DecisionRecord, IncentiveClause, Project


def collective_decision_agreed(project: Project, on: date | None = None) -> bool:
    """Whether a 集体决策 with the outcome 同意 is on record for ``project`` (held on or before ``on``)."""
    rows = DecisionRecord.objects.filter(project=project).collective().agreed()
    if on is not None:
        rows = rows.filter(held_on__lte=on)
    return rows.exists()


@transaction.atomic
def decision_record(
    *,
    actor,
    project: Project,
    kind: str,
    meeting: str,
    held_on: date,
    outcome: str,
    participants: Iterable = (),
    notes: str = "",
    agreement: Agreement | None = None,
    clause: IncentiveClause | None = None,
) -> DecisionRecord:
    """Write one decision record; it is never changed afterwards (a later meeting is a new record)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    errors = {}
    if kind not in DecisionKind.values:
        errors["kind"] = "请选择记录类型（集体决策或合法性审查）"
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = "请选择结论（同意、不同意或暂缓）"
    if not (meeting or "").strip():
        errors["meeting"] = "请填写会议名称"
    if held_on is None:
        errors["held_on"] = "请填写会议日期"
    elif problem := business_date_error(held_on):
        errors["held_on"] = f"会议日期{problem}"
    participants = list(participants)
    if kind == DecisionKind.COLLECTIVE and not participants:
        errors["participants"] = "集体决策须列明参会单位"
    if agreement is not None and agreement.project_id != project.pk:
        errors["agreement"] = "所选协议不属于该项目"
    if clause is not None and clause.agreement.project_id != project.pk:
        errors["clause"] = "所选优惠条款不属于该项目的协议"
    if errors:
        raise ValidationError(errors)
    record = DecisionRecord.objects.create(
        project=project,
        kind=kind,
        agreement=agreement or (clause.agreement if clause is not None else None),
        clause=clause,
        meeting=meeting.strip(),
        held_on=held_on,
        outcome=outcome,
        notes=(notes or "").strip(),
        path=project.path,
        recorded_by=actor,
    )
    record.participants.set(participants)
    after = snapshot(record) | {"participants": [str(unit) for unit in participants]}
    audit_record(actor=actor, action="decision_record", obj=project, after=after)
    return record
