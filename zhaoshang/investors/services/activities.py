"""Recording activities, linking them to enterprises and projects, and creating leads from them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope
from zhaoshang.investors.choices import ProjectLink
from zhaoshang.investors.models import Activity, ActivityEnterprise, ActivityProject, Enterprise

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "start_on",
    "end_on",
    "destination_province",
    "destination_region",
    "destination_city",
    "leader_name",
    "leader_level",
    "participants",
    "online",
    "organisers",
    "enterprise_count",
    "viewer_count",
    "signing_count",
    "signed_amount_wan",
    "outcome",
    "follow_up",
    "follow_up_on",
)
TEXT_FIELDS = {"title", "destination_city", "leader_name", "participants", "organisers", "outcome", "follow_up"}


def _apply(activity: Activity, fields: dict) -> None:
    for key, value in fields.items():
        if key not in ACTIVITY_FIELDS:
            raise ValueError(f"activity field {key} cannot be set here")
        setattr(activity, key, (value or "").strip() if key in TEXT_FIELDS else value)
    if activity.start_on and activity.start_on > timezone.localdate():
        raise ValidationError({"start_on": "只登记已开展的活动：开始日期不能晚于今天"})
    activity.full_clean(exclude=["path", "place", "created_by", "updated_by"])
    activity.place = activity.place_for()
    activity.path = activity.organiser.path


def _link(*, actor, activity: Activity, enterprises, projects) -> None:
    if enterprises is not None:
        wanted = {e.pk for e in enterprises}
        ActivityEnterprise.objects.filter(activity=activity).exclude(enterprise_id__in=wanted).delete()
        have = set(ActivityEnterprise.objects.filter(activity=activity).values_list("enterprise_id", flat=True))
        ActivityEnterprise.objects.bulk_create(
            [ActivityEnterprise(activity=activity, enterprise_id=pk) for pk in sorted(wanted - have)]
        )
    if projects is not None:
        from zhaoshang.projects.models import Project

        wanted = {p.pk for p in projects}
        visible = set(Project.objects.for_user(actor).filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - visible:
            raise ValidationError({"projects": "只能关联本辖区的项目"})
        ActivityProject.objects.filter(activity=activity, relation=ProjectLink.LINKED).exclude(
            project_id__in=wanted
        ).delete()
        have = set(ActivityProject.objects.filter(activity=activity).values_list("project_id", flat=True))
        ActivityProject.objects.bulk_create(
            [ActivityProject(activity=activity, project_id=pk) for pk in sorted(wanted - have)]
        )


def activity_snapshot(activity: Activity) -> dict:
    data = snapshot(activity)
    data["enterprises"] = sorted(activity.enterprise_links.values_list("enterprise_id", flat=True))
    data["projects"] = sorted(activity.project_links.values_list("project_id", flat=True))
    return data


@transaction.atomic
def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    start_on: date,
    organiser=None,
    enterprises: list[Enterprise] | None = None,
    projects=None,
    **fields,
) -> Activity:
    """Record an activity for the organiser (the actor's own org unit by default); the organiser must be in the
    actor's jurisdiction."""
    organiser = organiser or actor.org_unit
    if organiser is None:
        raise ValidationError("您的账户不属于任何机构，不能登记招商活动")
    ensure_path_in_scope(actor, organiser.path)
    activity = Activity(organiser=organiser, created_by=actor, updated_by=actor)
    _apply(activity, {"kind": kind, "title": title, "start_on": start_on, **fields})
    activity.save()
    _link(actor=actor, activity=activity, enterprises=enterprises or [], projects=projects or [])
    audit_record(actor=actor, action=Action.CREATE, obj=activity, after=activity_snapshot(activity))
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, enterprises=None, projects=None, **fields) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_path_in_scope(actor, activity.path)
    before = activity_snapshot(activity)
    activity.updated_by = actor
    _apply(activity, fields)
    ensure_path_in_scope(actor, activity.path)
    activity.save()
    _link(actor=actor, activity=activity, enterprises=enterprises, projects=projects)
    audit_record(actor=actor, action=Action.UPDATE, obj=activity, before=before, after=activity_snapshot(activity))
    return activity


@transaction.atomic
def activity_link_project(*, actor, activity: Activity, project) -> ActivityProject:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_path_in_scope(actor, activity.path)
    ensure_path_in_scope(actor, project.path)
    link, _ = ActivityProject.objects.get_or_create(activity=activity, project=project)
    audit_record(actor=actor, action="activity_link", obj=activity, after={"project": project.pk})
    return link


@transaction.atomic
def activity_create_lead(
    *, actor, activity: Activity, name: str, investor: Enterprise, county, on: date, park=None, **fields
):
    """“由活动生成线索”: a 线索 project entered through the projects service (same checks, audit and 500强
    rule), linked to the activity as created from it."""
    from zhaoshang.projects.services import project_create

    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_path_in_scope(actor, activity.path)
    project = project_create(
        actor=actor,
        name=name,
        investor_name=investor.name,
        investor_credit_code=investor.credit_code,
        county=county,
        park=park,
        on=on,
        **fields,
    )
    ActivityProject.objects.update_or_create(
        activity=activity, project=project, defaults={"relation": ProjectLink.CREATED}
    )
    ActivityEnterprise.objects.get_or_create(activity=activity, enterprise=project.investor)
    audit_record(actor=actor, action="activity_lead", obj=activity, after={"project": project.pk, "name": project.name})
    return project
