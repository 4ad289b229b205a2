"""Every channel gives the same verdict with the rules that fired, the evidence in its clause, and what was not
checked (issue 12): the catalog API, the batch command, the project API and the project form."""

import json

import pytest
from django.core.management import call_command

from zhaoshang.regions.models import Region

pytestmark = pytest.mark.django_db

GLASS = {"name": "浮法玻璃项目", "description": "新建平板玻璃生产线，置换产能指标正在协调中"}
CLAUSE = "「置换产能指标正在协调中」"
NOT_CHECKED = "未填写用地面积（亩），未校验投资强度和亩均税收。"


def overcapacity_reason(reasons):
    (reason,) = [r for r in reasons if r.startswith("产能严重过剩")]
    return reason


def test_the_catalog_api_and_the_command_agree(as_persona, tmp_path):
    response = as_persona("lufeng_officer").post(
        "/api/v1/catalog/admission-check/", {"id": 1, **GLASS}, content_type="application/json"
    )
    api = response.json()
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1, **GLASS}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("admission_check", jsonl=str(path), stdout=Sink())
    command = json.loads("".join(out).strip())
    assert api == command
    assert api["verdict"] == "reject" and "overcapacity" in api["rules"]
    assert CLAUSE in overcapacity_reason(api["reasons"])
    assert NOT_CHECKED in api["not_checked"]
    assert any(f["rule"] == "overcapacity" and "平板玻璃" in f["evidence"] for f in api["findings"])


def test_the_project_api_and_form_refuse_with_the_same_reasons(as_persona):
    client = as_persona("lufeng_officer")
    payload = {**GLASS, "investor_name": "云南某某玻璃有限公司", "county": "532302", "on": "2024-01-10"}
    refused = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert refused.status_code == 409
    body = refused.json()
    assert CLAUSE in overcapacity_reason(body["reasons"]) and NOT_CHECKED in body["not_checked"]

    lufeng = Region.objects.get(code="532302")
    form = {
        **GLASS,
        "investor_name": "云南某某玻璃有限公司",
        "county": lufeng.pk,
        "agreed_investment_wan": "80000",
        "currency": "CNY",
        "on": "2024-01-10",
    }
    page = client.post("/projects/new/", form).content.decode()
    assert CLAUSE in page and "未校验投资强度和亩均税收" in page


def test_the_import_refuses_the_row_with_the_clause_and_what_was_not_checked():
    from zhaoshang.core.testing import persona
    from zhaoshang.projects.importers import projects_import
    from zhaoshang.projects.tests.test_import import row, workbook

    report = projects_import(
        content=workbook([row(1, name=GLASS["name"], description=GLASS["description"])]),
        actor=persona("lufeng_officer"),
    )
    (error,) = report.errors
    assert error.startswith("第2行 项目名称: 准入检查结论为“不招”，不能导入：") and CLAUSE in error
    assert "未检查：" in error and "未校验投资强度和亩均税收" in error
