"""/api/v1/agreements/: an API client records agreements (the same service as the page) and so can sign a project."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona, scope_matrix
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Agreement, Project

D = Decimal
pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def kunming_agreement(make_project, kunming_county, sign):
    project = make_project(name="五华数字经济项目", actor=persona("kunming_officer"), county=kunming_county)
    sign(project, actor=persona("kunming_officer"))
    return Agreement.objects.get(project=project)


@pytest.mark.parametrize(
    ("name", "url", "status"),
    scope_matrix(
        list_url="/api/v1/agreements/",
        api_url="/api/v1/agreements/",
        detail_urls={"lufeng": "/api/v1/agreements/{lufeng}/", "kunming": "/api/v1/agreements/{kunming}/"},
    ),
)
def test_agreements_api_is_scoped(as_persona, signed_project, kunming_agreement, name, url, status):
    lufeng = Agreement.objects.get(project=signed_project)
    assert as_persona(name).get(url.format(lufeng=lufeng.pk, kunming=kunming_agreement.pk)).status_code == status


def test_the_list_holds_only_agreements_in_scope(as_persona, signed_project, kunming_agreement):
    rows = as_persona("lufeng_officer").get("/api/v1/agreements/").json()["results"]
    assert [row["project"] for row in rows] == [signed_project.pk]
    assert rows[0]["kind"] == "contract" and rows[0]["amount_wan"] == "50000.00"


def test_an_api_client_signs_a_project_through_agreements(as_persona, make_project):
    project = make_project()
    client = as_persona("lufeng_officer")
    step = f"/api/v1/projects/{project.pk}/transition/"
    assert client.post(step, {"to": "negotiating", "on": "2024-02-01"}, content_type=JSON).status_code == 200
    payload = {
        "project": project.pk,
        "kind": "contract",
        "signed_on": "2024-03-05",
        "amount_wan": "88000.00",
        "term_years": 20,
        "note": "经县政府常务会议研究",
        "clauses": [{"content": "固定资产投资补助", "amount_wan": "300.00", "due_on": "2026-12-31"}],
    }
    response = client.post("/api/v1/agreements/", payload, content_type=JSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["counted_amount_wan"], body["clauses"][0]["content"]) == ("88000.00", "固定资产投资补助")
    agreement = Agreement.objects.get(pk=body["id"])
    assert agreement.created_by == persona("lufeng_officer") and agreement.clauses.count() == 1
    assert Project.objects.get(pk=project.pk).agreed_investment_wan == D("88000")  # as the page's service does
    assert AuditLog.objects.filter(action="agreement", object_id=str(project.pk)).exists()

    response = client.post(step, {"to": "signed", "on": "2024-03-05"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["stage"] == "signed"
    assert Project.objects.get(pk=project.pk).first_signed_on == date(2024, 3, 5)

    upgrade = payload | {"signed_on": "2024-04-01", "amount_wan": "80000.00", "upgrades": agreement.pk, "clauses": []}
    response = client.post("/api/v1/agreements/", upgrade, content_type=JSON)
    assert response.status_code == 400 and "不能低于原协议" in response.json()["amount_wan"][0]
    response = client.post("/api/v1/agreements/", upgrade | {"amount_wan": "120000.00"}, content_type=JSON)
    assert response.status_code == 201 and response.json()["counted_amount_wan"] == "32000.00"


def test_the_service_rules_answer_400(as_persona, make_project):
    project = make_project()  # still a 线索
    client = as_persona("lufeng_officer")
    payload = {"project": project.pk, "signed_on": "2024-03-05", "amount_wan": "1000"}
    response = client.post("/api/v1/agreements/", payload, content_type=JSON)
    assert response.status_code == 400 and "线索阶段" in response.json()["detail"][0]
    assert not Agreement.objects.exists()


def test_another_countys_project_does_not_exist_and_readers_may_not_write(as_persona, make_project, kunming_county):
    project = make_project(name="五华项目", actor=persona("kunming_officer"), county=kunming_county)
    project = services.project_advance(
        project=project, to=Stage.NEGOTIATING, actor=persona("kunming_officer"), on=date(2024, 2, 1)
    )
    payload = {"project": project.pk, "signed_on": "2024-03-05", "amount_wan": "1000"}
    response = as_persona("lufeng_officer").post("/api/v1/agreements/", payload, content_type=JSON)
    assert response.status_code == 400 and "project" in response.json()
    assert as_persona("leader_province").post("/api/v1/agreements/", payload, content_type=JSON).status_code == 403
    assert as_persona(None).post("/api/v1/agreements/", payload, content_type=JSON).status_code == 401
    assert not Agreement.objects.exists()


def test_agreements_cannot_be_changed_or_deleted(as_persona, signed_project):
    agreement = Agreement.objects.get(project=signed_project)
    client = as_persona("lufeng_officer")
    url = f"/api/v1/agreements/{agreement.pk}/"
    assert client.patch(url, {"amount_wan": "1"}, content_type=JSON).status_code == 405
    assert client.delete(url).status_code == 405


def test_schema_documents_the_agreements_endpoint(as_persona):
    schema = as_persona("province_admin").get("/api/schema/", {"format": "json"}).json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/agreements/"])
    assert "get" in schema["paths"]["/api/v1/agreements/{id}/"]
    assert "transition" in schema["paths"]["/api/v1/agreements/"]["post"]["description"]
