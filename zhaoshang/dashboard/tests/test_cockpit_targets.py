"""The province's cockpit shows its progress against its own targets once the demo targets are seeded."""

from io import StringIO

import pytest
from django.core.management import call_command

from zhaoshang.core.testing import persona
from zhaoshang.dashboard.cockpit import HEADLINE

pytestmark = pytest.mark.django_db


def test_the_province_cockpit_shows_completion_of_every_headline_indicator_after_the_demo_seed(client):
    call_command("seed_demo_targets", stdout=StringIO())
    client.force_login(persona("province_admin"))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    headline = response.context["data"]["headline"]
    assert [row["indicator"] for row in headline] == HEADLINE
    assert all(row["target"] and row["completion_pct"] is not None for row in headline), headline
    page = response.content.decode()
    assert page.count("data-completion") == len(HEADLINE) and "完成全年目标" in page
