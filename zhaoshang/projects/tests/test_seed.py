import pytest
from django.core.management import call_command
from django.db import transaction

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
