"""The demo 项目流转 of `make run`: a completed 禄丰 → 楚雄市 transfer on 30/70 sharing that the figures credit, and
an open offer in 昆明; run twice, nothing is added."""

from io import StringIO

import pytest
from django.core.management import call_command

from zhaoshang.core.testing import persona
from zhaoshang.projects.models import Transfer, TransferStatus
from zhaoshang.projects.tests.transfers import lufeng_project
from zhaoshang.regions.models import Region
from zhaoshang.risk.tests.conftest import make_signed

pytestmark = pytest.mark.django_db


def test_the_demo_transfers_are_made_once_and_each_bureau_sees_its_own():
    call_command("create_demo_accounts", stdout=StringIO())
    project = lufeng_project()
    make_signed(persona("kunming_officer"), Region.objects.get(code="530102"), "五华数字经济演示项目")
    call_command("seed_demo_transfers", stdout=StringIO())
    done = Transfer.objects.get(project=project)
    assert done.status == TransferStatus.COMPLETED and done.sharing.target_share == 70
    project.refresh_from_db()
    assert project.county.code == "532301"
    open_offer = Transfer.objects.exclude(pk=done.pk).get()
    assert open_offer.status == TransferStatus.PROPOSED and open_offer.to_county.code == "530103"
    assert set(Transfer.objects.for_user(persona("lufeng_officer"))) == {done}
    assert set(Transfer.objects.for_user(persona("kunming_officer"))) == {open_offer}
    call_command("seed_demo_transfers", stdout=StringIO())
    assert Transfer.objects.count() == 2
