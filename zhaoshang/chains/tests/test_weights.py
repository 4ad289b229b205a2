"""The weights page of a chain: the province edits the five factor weights (sum 1), a rejected form keeps what was
typed, each save is one audited version that the ranking names; everyone else is refused (403) or, signed out, sent
to sign in."""

import pytest

from zhaoshang.chains.choices import AuditAction
from zhaoshang.chains.targeting_selectors import targeting_for
from zhaoshang.chains.tests.world import YEAR
from zhaoshang.chains.weights import weights_version, weights_versions
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import client_for

GOOD = {"fit": "0.5", "signals": "0.2", "presence": "0.1", "scale": "0.1", "proximity": "0.1"}


def url(chain) -> str:
    return f"/chains/{chain.pk}/weights/"


def test_the_province_sets_the_weights_and_each_save_is_a_version(client, world, silicon):
    from zhaoshang.chains.selectors import area_lookup
    from zhaoshang.core.testing import persona

    admin = client_for(client, "province_admin")
    page = admin.get(url(silicon))
    assert page.status_code == 200 and 'value="0.35"' in page.content.decode()  # the shipped defaults to start
    area = area_lookup(persona("lufeng_officer"), "532302")
    before = targeting_for(chain=silicon, area=area, year=YEAR)
    assert before.weights_version.number == 0
    response = admin.post(url(silicon), GOOD)
    assert response.status_code == 302
    silicon.refresh_from_db()
    assert silicon.targeting_weights == {"fit": 0.5, "signals": 0.2, "presence": 0.1, "scale": 0.1, "proximity": 0.1}
    assert AuditLog.objects.filter(action=AuditAction.WEIGHTS, object_id=str(silicon.pk)).count() == 1
    admin.post(url(silicon), GOOD | {"fit": "0.45", "signals": "0.25"})
    silicon.refresh_from_db()
    versions = weights_versions(silicon)
    assert [v.number for v in versions] == [2, 1, 0]
    assert (
        versions[0].weights["fit"] == 0.45 and versions[1].weights["fit"] == 0.5 and versions[2].weights["fit"] == 0.35
    )
    assert weights_version(silicon).number == 2
    after = targeting_for(chain=silicon, area=area, year=YEAR)
    assert after.weights_version.number == 2 and after.weights["fit"] == 0.45
    listing = admin.get(url(silicon)).content.decode()
    assert 'data-version="2"' in listing and 'data-version="0"' in listing
    api = client_for(client, "lufeng_officer").get(f"/api/v1/targeting/?region=532302&chain={silicon.pk}&top=5")
    assert api.json()["weights_version"]["number"] == 2


def test_a_rejected_form_keeps_what_was_typed_and_says_why(client, world, silicon):
    admin = client_for(client, "province_admin")
    typed = GOOD | {"fit": "0.6"}  # sums to 1.1
    response = admin.post(url(silicon), typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "各项权重之和须为1，现为 1.1" in html and 'value="0.6"' in html
    assert response.context["form"].data["fit"] == "0.6"
    response = admin.post(url(silicon), GOOD | {"scale": "-0.1", "fit": "0.7"})
    assert "权重不能为负" in response.content.decode()
    response = admin.post(url(silicon), GOOD | {"presence": "很多"})
    assert "权重须为数字" in response.content.decode() and 'value="很多"' in response.content.decode()
    silicon.refresh_from_db()
    assert silicon.targeting_weights == {}
    assert not AuditLog.objects.filter(action=AuditAction.WEIGHTS).exists()


@pytest.mark.parametrize("who", ["chuxiong_officer", "lufeng_officer", "kunming_officer", "enterprise_user"])
def test_only_the_province_may_edit_the_weights(client, world, silicon, who):
    user = client_for(client, who)
    assert user.get(url(silicon)).status_code == 403
    assert user.post(url(silicon), GOOD).status_code == 403
    silicon.refresh_from_db()
    assert silicon.targeting_weights == {}


def test_an_industry_department_revises_chains_but_not_the_weights(client, world, silicon):
    from zhaoshang.accounts.roles import INDUSTRY_DEPARTMENT

    assert "chains.change_industrychain" in INDUSTRY_DEPARTMENT.permissions
    assert "chains.approve_industrychain" not in INDUSTRY_DEPARTMENT.permissions


def test_signed_out_is_sent_to_sign_in_and_an_unknown_chain_is_404(client, world, silicon):
    response = client.get(url(silicon))
    assert response.status_code == 302 and "login" in response.url
    assert client_for(client, "province_admin").get("/chains/999999/weights/").status_code == 404
