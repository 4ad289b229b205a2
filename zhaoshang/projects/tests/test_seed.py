import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Agreement, FundingEntry, Project

pytestmark = pytest.mark.django_db


def seed(n, s=7):
    call_command("seed_demo", projects=n, seed=s, stdout=open("/dev/null", "w"))


def test_seed_demo_covers_every_county_and_stage_and_runs_once():
    seed(400)
    projects = Project.objects.all()
    assert projects.count() == 400
    assert projects.values("county").distinct().count() == 129
    assert set(projects.values_list("stage", flat=True)) == set(Stage.values)
    signed = projects.filter(first_signed_on__isnull=False)
    assert Agreement.objects.filter(project__in=signed).values("project").distinct().count() == signed.count()
    assert FundingEntry.objects.exists()
    assert Agreement.objects.filter(upgrades__isnull=False).exists()
    names = list(projects.order_by("pk").values_list("name", "agreed_investment_wan")[:20])
    seed(400)  # a second run adds nothing
    assert Project.objects.count() == 400
    assert list(Project.objects.order_by("pk").values_list("name", "agreed_investment_wan")[:20]) == names


def test_seed_demo_is_deterministic():
    def snapshot():
        rows = Project.objects.order_by("name").values_list("name", "county__code", "stage", "agreed_investment_wan")
        return list(rows), FundingEntry.objects.count()

    with transaction.atomic():
        seed(150, s=11)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Project.objects.exists()
    seed(150, s=11)
    assert snapshot() == first


def _county_officers_for_chuxiong():
    """Officers like ``lufeng_officer`` for every county of 楚雄州, so that more counties have a submitter."""
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.core.testing import persona
    from zhaoshang.regions.models import Region

    model = persona("lufeng_officer")
    for county in (
        Region.objects.counties().filter(path__startswith="530000/532300/").exclude(pk=model.org_unit.region_id)
    ):
        unit = OrgUnit.objects.create(
            code=f"demo-{county.code}",
            name=f"{county.name}投资促进局",
            kind=model.org_unit.kind,
            region=county,
            path=county.path,
        )
        user = User.objects.create_user(username=f"officer_{county.code}", password="x", org_unit=unit)
        user.groups.set(model.groups.all())


def test_seed_demo_fills_the_big_project_library_by_the_rules():
    from zhaoshang.core.scope import path_within, user_node_path
    from zhaoshang.projects.choices import SIGNED_OR_LATER, TEN_BILLION_WAN
    from zhaoshang.projects.models.library import LibraryEntry, LibraryLevel, LibraryStatus, LibraryStep
    from zhaoshang.projects.services.library import actor_level

    def snapshot():
        rows = LibraryStep.objects.order_by("entry__project__name", "created_at", "id")
        return list(rows.values_list("entry__project__name", "action", "level", "on", "reason", "actor__username"))

    _county_officers_for_chuxiong()
    with transaction.atomic():  # deterministic: the same seed gives the same library
        seed(3870, s=5)
        first = snapshot()
        transaction.set_rollback(True)
    seed(3870, s=5)
    assert snapshot() == first
    entries = list(LibraryEntry.objects.select_related("project", "submitted_by__org_unit"))
    assert len(entries) >= 20
    # from all over Yunnan: bureaus without a demo account get a staff account that cannot sign in
    assert len({e.project.path.split("/")[1] for e in entries}) >= 12
    from zhaoshang.accounts.models import OrgUnit, User

    bureaus = OrgUnit.objects.filter(kind__in=["prefecture_bureau", "county_bureau"], code__startswith="BUREAU-")
    assert bureaus.count() == 16 + 129 and not bureaus.filter(user__isnull=True).exists()
    staff = User.objects.filter(username__startswith="staff_")
    assert staff.count() == 16 + 129 - 3  # 楚雄, 昆明 and 禄丰 have demo accounts
    assert not any(user.has_usable_password() for user in staff)
    assert {e.status for e in entries} == set(LibraryStatus.values)
    expected_step = {
        LibraryStatus.SUBMITTED: LibraryLevel.PREFECTURE,
        LibraryStatus.REVIEWED: LibraryLevel.PROVINCE,
        LibraryStatus.APPROVED: LibraryLevel.DONE,
        LibraryStatus.RETURNED: LibraryLevel.COUNTY,
    }
    resubmitted = 0
    for entry in entries:
        project = entry.project
        assert project.stage in SIGNED_OR_LATER and project.agreed_investment_wan >= TEN_BILLION_WAN
        assert entry.amount_wan == project.agreed_investment_wan and entry.threshold_wan == TEN_BILLION_WAN
        assert entry.step == expected_step[entry.status]
        steps = list(
            LibraryStep.objects.filter(entry=entry).select_related("actor__org_unit").order_by("created_at", "id")
        )
        assert steps[0].action == "submit" and steps[0].from_status == ""
        assert steps[-1].to_status == entry.status
        previous = project.first_signed_on
        for before, step in zip([None, *steps], steps, strict=False):
            assert previous <= step.on <= timezone.localdate()
            previous = step.on
            if before is not None:
                assert step.from_status == before.to_status
            # each step at its own level, by a user whose jurisdiction covers the project
            assert actor_level(step.actor) == step.level and path_within(project.path, user_node_path(step.actor))
            if step.action == "return":
                assert step.reason and step.level in (LibraryLevel.PREFECTURE, LibraryLevel.PROVINCE)
        resubmitted += sum(s.action == "submit" for s in steps) > 1
        if entry.status == LibraryStatus.RETURNED:
            assert entry.last_reason == steps[-1].reason
        if entry.status == LibraryStatus.APPROVED:
            assert entry.approved_on == steps[-1].on
        assert entry.submitted_by == [s for s in steps if s.action == "submit"][-1].actor
    assert resubmitted
