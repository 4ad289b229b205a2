import json

import pytest
from django.core.management import call_command

from zhaoshang.core.testing import persona

CLASSIFY = "/api/v1/catalog/classify/"
ADMISSION = "/api/v1/catalog/admission-check/"
CEMENT = {"id": 1, "name": "新建日产4000吨水泥熟料生产线", "description": "", "total_investment_wan": 120000,
          "land_mu": 500, "expected_annual_tax_wan": 6000}  # fmt: skip


def post(client, url, data):
    return client.post(url, data=json.dumps(data, ensure_ascii=False), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CLASSIFY, ADMISSION])
def test_anonymous_users_are_refused(client, url):
    assert post(client, url, {"id": 1, "text": "茶叶"}).status_code in (401, 403)


@pytest.mark.django_db
def test_users_without_the_catalog_permission_get_403(as_persona):
    user = persona("enterprise_user")
    assert not user.has_perm("catalog.view_keyindustry")
    assert post(as_persona("enterprise_user"), CLASSIFY, {"id": 1, "text": "茶叶"}).status_code == 403


@pytest.mark.django_db
def test_county_officer_classifies_topcon_as_green_silicon(as_persona):
    response = post(as_persona("lufeng_officer"), CLASSIFY, {"id": "x", "text": "年产10GW N型TOPCon电池片"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "x" and body["industries"][0]["name"] == "绿色硅"
    assert "电池片" in body["industries"][0]["evidence"]


@pytest.mark.django_db
def test_admission_check_blocks_cement_naming_overcapacity(as_persona):
    body = post(as_persona("chuxiong_officer"), ADMISSION, CEMENT).json()
    assert body["verdict"] == "reject" and body["rules"] == ["overcapacity"]
    assert "水泥" in body["reasons"][0]


@pytest.mark.django_db
def test_a_list_gets_a_list_in_the_same_order(as_persona):
    body = post(
        as_persona("province_admin"), CLASSIFY, [{"id": 1, "text": "普洱茶"}, {"id": 2, "text": "数据中心"}]
    ).json()
    assert [b["industries"][0]["name"] for b in body] == ["高原特色现代农业", "数字经济"]


@pytest.mark.django_db
def test_malformed_objects_get_400_naming_the_field(as_persona):
    client = as_persona("province_admin")
    response = post(client, ADMISSION, {"id": 1, "name": "x", "land_mu": "abc"})
    assert response.status_code == 400 and response.json()["detail"] == "land_mu: 必须为数字"
    response = post(client, CLASSIFY, [{"id": 1, "text": "茶"}, {"id": 2}])
    assert response.status_code == 400 and response.json()["detail"] == "第2个对象 text: 缺少此字段"


@pytest.mark.django_db
def test_api_and_command_give_the_same_answers(as_persona, tmp_path):
    objects = [CEMENT, {"id": 2, "name": "年产10GW N型TOPCon电池片", "total_investment_wan": 600000, "land_mu": 800,
                        "expected_annual_tax_wan": 30000}]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects), encoding="utf-8")
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("admission_check", jsonl=str(path), stdout=Sink())
    from_command = [json.loads(line) for line in "".join(out).splitlines()]
    from_api = post(as_persona("kunming_officer"), ADMISSION, objects).json()
    assert from_api == from_command


@pytest.mark.django_db
def test_a_park_outside_the_users_jurisdiction_is_answered_as_unknown(as_persona):
    from decimal import Decimal

    from zhaoshang.catalog.models import LandUseThreshold
    from zhaoshang.core.testing import KUNMING_PARK, LUFENG_PARK
    from zhaoshang.regions.models import Park

    LandUseThreshold.objects.create(
        park=Park.objects.get(code=KUNMING_PARK), min_intensity_wan_per_mu=Decimal(500), min_tax_wan_per_mu=Decimal(5)
    )
    lufeng = as_persona("lufeng_officer")  # one test client: sign in as the next persona only after these
    outside = post(lufeng, ADMISSION, {**CEMENT, "park_code": KUNMING_PARK})
    assert outside.status_code == 400 and outside.json()["detail"] == "park_code: 园区编码不存在"
    assert post(lufeng, ADMISSION, {**CEMENT, "region_code": "530102"}).json()["field"] == "region_code"
    assert post(lufeng, ADMISSION, {**CEMENT, "park_code": LUFENG_PARK}).status_code == 200
    inside = post(as_persona("kunming_officer"), ADMISSION, {**CEMENT, "park_code": KUNMING_PARK})
    assert inside.status_code == 200 and "昆明经济技术开发区标准" in "".join(inside.json()["reasons"])
