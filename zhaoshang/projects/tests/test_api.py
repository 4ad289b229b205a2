from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.testing import persona, scope_matrix
from zhaoshang.projects import services
from zhaoshang.projects.models import FundingEntry, Project

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def kunming_project(make_project, kunming_county):
    return make_project(name="五华数字经济项目", actor=persona("kunming_officer"), county=kunming_county)


@pytest.mark.parametrize(
    ("name", "url", "status"),
    scope_matrix(
        list_url="/api/v1/projects/",
        api_url="/api/v1/funding-entries/",
        detail_urls={"lufeng": "/api/v1/projects/{lufeng}/", "kunming": "/api/v1/projects/{kunming}/"},
    ),
)
def test_project_api_is_scoped(as_persona, make_project, kunming_project, name, url, status):
    lufeng = make_project()
    assert as_persona(name).get(url.format(lufeng=lufeng.pk, kunming=kunming_project.pk)).status_code == status


def test_create_retrieve_and_update_through_the_api(as_persona, lufeng_park):
    client = as_persona("lufeng_officer")
    payload = {
        "name": "禄丰绿色硅材料项目",
        "investor_name": "四川永晟硅材料股份有限公司",
        "county": "532302",
        "park": lufeng_park.code,
        "key_industry": "green_silicon",
        "industry_class": "3985",
        "agreed_investment_wan": "200000.00",
        "source_province": "四川",
        "is_china500": True,
        "on": "2024-01-08",
    }
    response = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["stage"], body["region_group"], body["path"]) == ("lead", "cheng_yu", lufeng_park.path)
    assert body["agreed_investment_wan"] == "200000.00" and body["investor"]["name"] == "四川永晟硅材料股份有限公司"
    assert Project.objects.get(pk=body["id"]).source == "api"
    response = client.patch(f"/api/v1/projects/{body['id']}/", {"jobs": 800}, content_type="application/json")
    assert response.status_code == 200 and response.json()["jobs"] == 800
    response = client.patch(
        f"/api/v1/projects/{body['id']}/", {"investor_name": "别的公司"}, content_type="application/json"
    )
    assert response.status_code == 400 and "换业主" in response.json()["investor_name"][0]


def test_an_officer_cannot_create_in_or_move_to_another_county(as_persona, make_project):
    client = as_persona("lufeng_officer")
    payload = {"name": "越界项目", "investor_name": "某公司", "county": "530102"}
    assert client.post("/api/v1/projects/", payload, content_type="application/json").status_code == 400
    project = make_project()
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"county": "530102"}, content_type="application/json")
    assert response.status_code == 400
    assert Project.objects.get(pk=project.pk).county.code == "532302"
    kunming = as_persona("kunming_officer")
    assert (
        kunming.patch(f"/api/v1/projects/{project.pk}/", {"jobs": 1}, content_type="application/json").status_code
        == 404
    )


def test_leader_reads_but_cannot_write(as_persona, make_project):
    project = make_project()
    client = as_persona("leader_province")
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/projects/{project.pk}/", {"jobs": 1}, content_type="application/json").status_code == 403
    )
    assert (
        client.post(f"/api/v1/projects/{project.pk}/transition/", {}, content_type="application/json").status_code
        == 403
    )


def test_transition_endpoint_answers_409_on_an_illegal_step(as_persona, make_project):
    project = make_project()
    client = as_persona("lufeng_officer")
    url = f"/api/v1/projects/{project.pk}/transition/"
    response = client.post(url, {"to": "signed", "on": "2024-02-01"}, content_type="application/json")
    assert response.status_code == 409
    assert "须先经过“在谈”" in response.json()["detail"][0]
    response = client.post(
        url, {"to": "negotiating", "on": "2024-02-01", "note": "洽谈"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["stage"] == "negotiating"
    response = client.post(url, {"to": "signed", "on": "2024-02-02"}, content_type="application/json")
    assert response.status_code == 409 and "协议" in response.json()["detail"][0]
    assert client.post(url, {"to": "bogus", "on": "2024-02-02"}, content_type="application/json").status_code == 400
    kunming = as_persona("kunming_officer")
    assert (
        kunming.post(url, {"to": "terminated", "on": "2024-02-02"}, content_type="application/json").status_code == 404
    )


def test_funding_entries_are_created_by_month_and_listed_in_scope(as_persona, signed_project, make_project):
    client = as_persona("lufeng_officer")
    payload = {
        "project": signed_project.pk,
        "month": "2024-04",
        "amount_wan": "1500.00",
        "outside_province_wan": "1000.00",
        "foreign_usd_wan": "0",
    }
    response = client.post("/api/v1/funding-entries/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["month"] == "2024-04" and response.json()["status"] == "有效"
    assert FundingEntry.objects.get().month == date(2024, 4, 1)
    bad = client.post("/api/v1/funding-entries/", payload | {"month": "2024/04"}, content_type="application/json")
    assert bad.status_code == 400
    unsigned = make_project(name="未签约")
    bad = client.post("/api/v1/funding-entries/", payload | {"project": unsigned.pk}, content_type="application/json")
    assert bad.status_code == 400 and "签约后" in bad.json()["detail"][0]
    assert as_persona("chuxiong_officer").get("/api/v1/funding-entries/").json()["count"] == 1
    kunming = as_persona("kunming_officer")
    assert kunming.get("/api/v1/funding-entries/").json()["count"] == 0
    assert kunming.post("/api/v1/funding-entries/", payload, content_type="application/json").status_code == 400
    entry = FundingEntry.objects.get()
    changed = payload | {"amount_wan": "1.00"}
    assert client.put(f"/api/v1/funding-entries/{entry.pk}/", changed, content_type="application/json").status_code in (
        403,
        405,
    )
    assert client.delete(f"/api/v1/funding-entries/{entry.pk}/").status_code in (403, 405)
    assert FundingEntry.objects.get().amount_wan == D("1500")


def test_locked_month_is_refused_by_the_api(as_persona, signed_project):
    from zhaoshang.regions.models import Region

    services.month_lock(
        actor=persona("chuxiong_officer"), prefecture=Region.objects.get(code="532300"), month=date(2024, 4, 1)
    )
    payload = {"project": signed_project.pk, "month": "2024-04", "amount_wan": "1"}
    response = as_persona("lufeng_officer").post("/api/v1/funding-entries/", payload, content_type="application/json")
    assert response.status_code == 400 and "锁定" in response.json()["month"][0]


def test_schema_documents_projects_transition_and_stage_codes(as_persona):
    schema = as_persona("province_admin").get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/projects/{id}/transition/" in schema["paths"]
    assert "/api/v1/funding-entries/" in schema["paths"]
    transition = schema["paths"]["/api/v1/projects/{id}/transition/"]["post"]
    assert "409" in transition["responses"]
    text = str(schema)
    assert "under_construction=开工" in text and "in_production=投产" in text
