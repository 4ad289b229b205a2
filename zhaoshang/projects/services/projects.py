"""Creating and changing projects, change of investor (换业主), duplicates and merging (甄别)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.refusals import audited_refusals
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.core.validators import EARLIEST_DATE, business_date_error
from zhaoshang.investors.groups import group_flags
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.investors.services import enterprise_find_duplicate, enterprise_get_or_create
from zhaoshang.projects.choices import SIGNED_OR_LATER, ProjectSource, Stage
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import FundingEntry, InvestorChange, Project, ProjectTransition
from zhaoshang.projects.services.admission import (
    OVERRIDE_PERMISSION,
    AdmissionRejected,
    IndustrySuggestions,
    admission_record,
)
from zhaoshang.projects.services.plan import (
    ADMISSION,
    DUPLICATE,
    INVALID,
    NO_OVERRIDE_PERMISSION,
    SCOPE,
    PlanLookups,
    ProjectPlan,
    WriteFacts,
    names_similar,
    project_plan,
)
from zhaoshang.projects.services.rollup import figures_changed, rollup_tracking


def _latest_override_rules(project: Project | None) -> frozenset | None:
    """A project already taken by an override stays taken while the same rules fire (``PlanLookups``)."""
    if project is None or project.pk is None:
        return None
    latest = project.admission_decisions.order_by("-decided_at", "-id").first()
    return frozenset(latest.rules) if latest and latest.overridden else None


def plan_lookups(
    *, actor, facts: WriteFacts, current: Project | None = None, investor=None, screen: bool = False, parent=None
):
    """What ``project_plan`` reads for one write, by read-only queries. ``investor``: the enterprise already chosen
    (an update, a change of investor); else the one the facts name, if it exists. ``screen``: look for likely
    duplicates (甄别) among the counted projects the actor may see; a 增资扩产 record is not a duplicate of the
    project it increases (``parent``)."""
    if investor is None:
        investor = enterprise_find_duplicate(name=facts.investor_name, credit_code=facts.investor_credit_code)
    candidates = ()
    if screen and facts.county is not None and getattr(facts.county, "level", None) == 3:
        candidates = project_duplicates(
            name=facts.name,
            county=facts.county,
            investor=investor,
            investor_name=facts.investor_name,
            exclude=parent,
            user=actor,
        )
    return PlanLookups(
        group=group_flags(investor),
        current=current,
        candidates=candidates,
        suggestions=IndustrySuggestions(),
        override_rules=_latest_override_rules(current),
        may_override=actor.has_perm(OVERRIDE_PERMISSION),
    )


class LikelyDuplicate(ValidationError):
    """甄别 found likely duplicates and the write did not confirm them; ``duplicates`` are the projects."""

    def __init__(self, message: str, duplicates):
        self.duplicates = duplicates
        super().__init__({"confirm_not_duplicate": [message]})


DUPLICATE_HINT = (
    "；请核对，确认不是同一项目后勾选“已核对疑似重复项目，确认不是同一项目”（API：confirm_not_duplicate）再保存"
)


def plan_raise(*, actor, plan: ProjectPlan) -> None:
    """Show a plan's problems the way a form and the API show them: field errors (400), out of scope (404),
    a likely duplicate to confirm (400), a 不招 (409)."""
    invalid = {}
    for problem in plan.problems:
        if problem.code == INVALID:
            invalid.setdefault(problem.field, []).append(problem.message)
    if invalid:
        raise ValidationError(invalid)
    if any(problem.code == SCOPE for problem in plan.problems):
        ensure_path_in_scope(actor, plan.values["path"])  # notes the miss and answers 404
    for problem in plan.problems:
        if problem.code == DUPLICATE:
            raise LikelyDuplicate(problem.message + DUPLICATE_HINT, plan.duplicates)
    for problem in plan.problems:
        if problem.code == ADMISSION:
            note = NO_OVERRIDE_PERMISSION if NO_OVERRIDE_PERMISSION in problem.message else ""
            raise AdmissionRejected(plan.admission, note=note)


def _refused_save(error: AdmissionRejected, kwargs: dict) -> dict:
    """A 不招 save refused (no override): recorded in the audit trail after the rollback (``core.refusals``)."""
    project = kwargs.get("project")
    return {
        "kind": Action.REFUSED_ADMISSION,
        "obj": project,
        "object_type": Project._meta.label,
        "object_repr": (kwargs.get("name") or str(project or "")).strip(),
        "detail": {
            "verdict": error.admission.verdict,
            "rules": error.admission.rules,
            "reasons": error.admission.blocking_reasons,
            "message": error.messages[0] if error.messages else "",
        },
    }


@audited_refusals(AdmissionRejected, describe=_refused_save)
@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    investor_name: str,
    county,
    on: date,
    park=None,
    investor_credit_code: str = "",
    parent: Project | None = None,
    source: str = ProjectSource.ENTRY,
    admission_override_reason: str = "",
    confirm_not_duplicate: bool = False,
    **fields,
) -> Project:
    """Enter a project as a 线索 (lead). With ``parent`` it is a 增资扩产 record: a linked child that carries
    only the increment as its 协议投资额.

    The admission check (准入) runs first: 不招 raises ``AdmissionRejected`` unless a user holding
    ``projects.override_admission`` gives ``admission_override_reason``; 慎招 saves and flags the project. Likely
    duplicates (甄别) refuse the save (``LikelyDuplicate``) unless ``confirm_not_duplicate``. Everything derived
    comes from ``project_plan``."""
    if parent is not None:
        parent = Project.objects.select_for_update().get(pk=parent.pk)
        ensure_path_in_scope(actor, parent.path)
        if parent.is_merged or parent.stage not in SIGNED_OR_LATER:
            raise ValidationError({"parent": "增资扩产须基于已签约且未合并的项目"})
    if date_problem := business_date_error(on):  # from 2000-01-01 to today (core/validators.py)
        raise ValidationError({"on": f"登记日期{date_problem}"})
    facts = WriteFacts(
        name=name,
        investor_name=investor_name,
        investor_credit_code=investor_credit_code,
        county=county,
        park=park,
        fields=fields,
        confirmed_not_duplicate=confirm_not_duplicate,
        admission_override_reason=admission_override_reason,
    )
    plan = project_plan(
        facts=facts, actor=actor, on=on, lookups=plan_lookups(actor=actor, facts=facts, screen=True, parent=parent)
    )
    plan_raise(actor=actor, plan=plan)
    project = plan.apply(Project(stage=Stage.LEAD, stage_on=on, parent=parent, source=source))
    project.created_by = project.updated_by = actor
    project.full_clean(exclude=["investor", "path", "stage_on"])
    admission = plan.admission
    project.investor = enterprise_get_or_create(actor=actor, name=investor_name, credit_code=investor_credit_code)
    project.save()
    ProjectTransition.objects.create(project=project, from_stage="", to_stage=Stage.LEAD, on=on, actor=actor)
    figures_changed()  # a lead has no ledger yet: the roll-up is unchanged, the figures' version moves
    audit_record(actor=actor, action=Action.CREATE, obj=project, after=snapshot(project))
    admission_record(actor=actor, project=project, admission=admission)
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[project.investor_id])
    return project


@audited_refusals(AdmissionRejected, describe=_refused_save)
@transaction.atomic
def project_update(
    *, actor, project: Project, name: str, county, park=None, admission_override_reason: str = "", **fields
) -> Project:
    """Change a project's facts. The stage moves only through ``project_advance``, the investor only through
    ``project_change_investor``; a new county or park must be in the user's jurisdiction too. The admission
    check runs again when the edit changes an admission fact (``admission_facts``; see ``project_create``); a 不招
    already overridden for the same rules needs no second decision. An edit that leaves the facts as they were is
    not checked again, so a rule added or tightened since never blocks it: the recorded verdict stands."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    if project.is_merged:
        raise ValidationError("已合并的项目不能修改")
    before = snapshot(project)
    previous = (project.admission_verdict, project.admission_rules)
    investor = project.investor
    facts = WriteFacts(
        name=name,
        investor_name=investor.name,
        investor_credit_code=investor.credit_code,
        county=county,
        park=park,
        fields=fields,
        admission_override_reason=admission_override_reason,
    )
    lookups = plan_lookups(actor=actor, facts=facts, current=project, investor=investor)
    plan = project_plan(facts=facts, actor=actor, lookups=lookups)
    plan_raise(actor=actor, plan=plan)
    plan.apply(project)
    project.updated_by = actor
    project.full_clean(exclude=["investor", "path", "stage_on"])
    admission = plan.admission
    with rollup_tracking([project.pk]):  # a new county, park, category or industry moves its ledger's sums
        project.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=project, before=before, after=snapshot(project))
    admission_record(actor=actor, project=project, admission=admission, previous=previous)
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[project.investor_id])
    return project


@audited_refusals(AdmissionRejected, describe=_refused_save)
@transaction.atomic
def project_change_investor(
    *,
    actor,
    project: Project,
    investor_name: str,
    on: date,
    credit_code: str = "",
    note: str = "",
    admission_override_reason: str = "",
) -> InvestorChange:
    """换业主: the project and its history stay; from ``on`` it counts under the new investor. The plan runs as on
    any write: the new investor's group brings its 世界500强 / 链主 flags, and the admission check runs again (the
    investor is one of its facts: a 失信 investor is refused as on entry)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    ensure_path_in_scope(actor, project.path)
    if project.is_merged:
        raise ValidationError("已合并的项目不能变更投资方")
    new = enterprise_get_or_create(actor=actor, name=investor_name, credit_code=credit_code)
    if new.pk == project.investor_id:
        raise ValidationError({"investor_name": "新投资方与现投资方相同"})
    last = project.investor_changes.order_by("-on").first()
    if on < EARLIEST_DATE:
        raise ValidationError({"on": f"变更日期不能早于{EARLIEST_DATE:%Y-%m-%d}"})
    if on > timezone.localdate() or (last is not None and on < last.on):
        raise ValidationError({"on": "变更日期不能晚于今天，也不能早于上一次换业主的日期"})
    before = snapshot(project)
    previous = (project.admission_verdict, project.admission_rules)
    facts = WriteFacts(
        name=project.name,
        investor_name=new.name,
        investor_credit_code=new.credit_code,
        county=project.county,
        park=project.park,
        admission_override_reason=admission_override_reason,
    )
    lookups = plan_lookups(actor=actor, facts=facts, current=project, investor=new)
    plan = project_plan(facts=facts, actor=actor, lookups=lookups)
    plan_raise(actor=actor, plan=plan)
    change = InvestorChange.objects.create(
        project=project, from_investor=project.investor, to_investor=new, on=on, note=note, actor=actor
    )
    plan.apply(project)  # the new group's flags, and the check of the new investor
    project.investor, project.updated_by = new, actor
    with rollup_tracking([project.pk]):
        project.save()
    figures_changed()  # the cockpit names a big project's investor
    audit_record(actor=actor, action="change_investor", obj=project, before=before, after=snapshot(project))
    admission_record(actor=actor, project=project, admission=plan.admission, previous=previous)
    projects_written(actor=actor, project_ids=[project.pk], investor_ids=[new.pk])
    return change


def project_duplicates(
    *, name: str, county, investor: Enterprise | None = None, investor_name: str = "", exclude=None, user=None
) -> list[Project]:
    """Likely duplicates (甄别): same county, same investor (or the same name once suffixes are ignored) and a
    similar project name. Merged records are not candidates; with ``user``, only what that user may see."""
    normalised = normalise_enterprise_name(investor.name if investor else investor_name)
    same_investor = Q(investor__normalised_name=normalised) if normalised else Q(pk__in=[])
    if investor is not None:
        same_investor |= Q(investor=investor)
    rows = Project.objects.for_user(user) if user is not None else Project.objects.all()
    rows = rows.counted().filter(same_investor, county=county).select_related("investor", "county", "park")
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [project for project in rows.order_by("pk")[:200] if names_similar(name, project.name)]


@transaction.atomic
def project_merge(*, actor, duplicate: Project, survivor: Project, note: str = "") -> Project:
    """Merge a duplicate record into the survivor, keeping both histories: transitions and ledger entries move to
    the survivor (each marked with ``merged_from``), 增资 children follow; the duplicate keeps its agreements
    and changes of investor, points to the survivor and drops out of every roll-up (so its agreements are not
    counted twice)."""
    if duplicate.pk == survivor.pk:
        raise ValidationError("不能把项目合并到它自己")
    duplicate, survivor = (
        Project.objects.select_for_update().get(pk=duplicate.pk),
        Project.objects.select_for_update().get(pk=survivor.pk),
    )
    ensure_path_in_scope(actor, duplicate.path)
    ensure_path_in_scope(actor, survivor.path)
    if duplicate.is_merged or survivor.is_merged:
        raise ValidationError("已合并的项目不能再合并")
    if duplicate.county_id != survivor.county_id:
        raise ValidationError("只能合并同一县市区的重复项目")
    if survivor.parent_id == duplicate.pk:
        raise ValidationError("不能把原项目合并到它的增资扩产项目")
    before = {"duplicate": snapshot(duplicate), "survivor": snapshot(survivor)}
    moved = {
        "transitions": list(duplicate.transitions.values_list("pk", flat=True)),
        "funding_entries": list(duplicate.funding_entries.values_list("pk", flat=True)),
    }
    with rollup_tracking([duplicate.pk, survivor.pk]):  # the duplicate's entries now count under the survivor
        ProjectTransition.objects.filter(project=duplicate).update(project=survivor, merged_from=duplicate)
        FundingEntry.objects.filter(project=duplicate)._move_for_merge(survivor=survivor, merged=duplicate)
        Project.objects.filter(parent=duplicate).update(parent=survivor)
        Project.objects.filter(merged_into=duplicate).update(merged_into=survivor)
        today = timezone.localdate()
        duplicate.merged_into, duplicate.merged_on, duplicate.updated_by = survivor, today, actor
        duplicate.save()
        signings = [d for d in (survivor.first_signed_on, duplicate.first_signed_on) if d]
        survivor.first_signed_on = min(signings) if signings else None  # still signed once, at the first signing
        survivor.updated_by = actor
        survivor.save()
    after = {"duplicate": snapshot(duplicate), "survivor": snapshot(survivor), "moved": moved, "note": note}
    audit_record(actor=actor, action="merge", obj=duplicate, before=before, after=after)
    audit_record(actor=actor, action="merge", obj=survivor, before=before, after=after)
    projects_written(
        actor=actor,
        project_ids=[duplicate.pk, survivor.pk],  # the duplicate stops counting, the survivor's first signing moves
        investor_ids=[duplicate.investor_id, survivor.investor_id],
    )
    return survivor
