from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import KUNMING_PARK, LUFENG_PARK, scope_matrix
from zhaoshang.regions.models import Park


def park_pk(code):
    return Park.objects.get(code=code).pk


def fill(template):
    return template.format(lufeng=park_pk(LUFENG_PARK), kunming=park_pk(KUNMING_PARK))


PAGE_CASES = scope_matrix(
    list_url="/parks/",
    api_url="/api/v1/parks/",
    detail_urls={"lufeng": "/parks/{lufeng}/", "kunming": "/parks/{kunming}/"},
)
API_CASES = scope_matrix(
    list_url="/api/v1/parks/",
    api_url="/api/v1/parks/",
    detail_urls={"lufeng": "/api/v1/parks/{lufeng}/", "kunming": "/api/v1/parks/{kunming}/"},
)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "status"), PAGE_CASES + API_CASES)
def test_park_pages_and_api_are_scoped(as_persona, name, url, status):
    response = as_persona(name).get(fill(url))
    assert response.status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "expected"), [("province_admin", 78), ("chuxiong_officer", 4), ("lufeng_officer", 1)])
def test_park_list_counts(as_persona, name, expected):
    client = as_persona(name)
    assert client.get("/api/v1/parks/").json()["count"] == expected
    assert client.get("/parks/").context["paginator"].count == expected


@pytest.mark.django_db
def test_chuxiong_sees_lufeng_parks_and_lufeng_gets_404_for_kunming(as_persona):
    client = as_persona("chuxiong_officer")
    assert LUFENG_PARK in client.get("/parks/").content.decode()
    client = as_persona("lufeng_officer")
    assert client.get(f"/parks/{park_pk(KUNMING_PARK)}/").status_code == 404
    assert client.get(f"/api/v1/parks/{park_pk(KUNMING_PARK)}/").status_code == 404


@pytest.mark.django_db
def test_park_list_filters_and_sorts(as_persona):
    client = as_persona("province_admin")
    national = client.get("/parks/", {"level": "national"}).context["paginator"].count
    assert national == 15
    names = [p.name for p in client.get("/parks/", {"q": "工业园区", "sort": "-area"}).context["object_list"]]
    areas = [Park.objects.get(name=n).approved_area_ha for n in names]
    assert areas == sorted(areas, reverse=True)
    chuxiong = Park.objects.get(code="S537004").region
    assert client.get("/parks/", {"region": chuxiong.pk}).context["paginator"].count == 4


@pytest.mark.django_db
def test_export_holds_exactly_the_users_search_and_is_audited(as_persona):
    client = as_persona("chuxiong_officer")
    response = client.get("/parks/", {"export": "xlsx", "level": "provincial"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("园区编码", "园区名称")
    assert sorted(r[0] for r in rows[1:]) == sorted(
        Park.objects.filter(path__startswith="530000/532300/", level="provincial").values_list("code", flat=True)
    )
    row = AuditLog.objects.filter(action="export").latest("id")
    assert row.actor_name == "chuxiong_officer" and row.after["rows"] == 4


@pytest.mark.django_db
def test_export_neutralises_formula_like_text(as_persona):
    park = Park.objects.get(code=LUFENG_PARK)
    Park.objects.filter(pk=park.pk).update(leading_industries='=HYPERLINK("http://x")')
    response = as_persona("lufeng_officer").get("/parks/", {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=2, column=9).value == '\'=HYPERLINK("http://x")'


@pytest.mark.django_db
def test_county_officer_cannot_add_parks(as_persona):
    assert as_persona("lufeng_officer").get("/parks/new/").status_code == 403


@pytest.mark.django_db
def test_prefecture_officer_adds_a_park_in_own_county(as_persona):
    client = as_persona("chuxiong_officer")
    lufeng = Park.objects.get(code=LUFENG_PARK).region
    response = client.post(
        "/parks/new/",
        {"name": "云南禄丰产业园区", "level": "provincial", "zone_type": "产业园区", "region": lufeng.pk},
    )
    park = Park.objects.get(name="云南禄丰产业园区")
    assert response.status_code == 302
    assert (park.code, park.path) == ("Y532302-01", "530000/532300/532302/Y532302-01")
    assert park.location_approximate and park.lon == lufeng.center_lon
    assert AuditLog.objects.filter(action="create", object_id=str(park.pk)).exists()


@pytest.mark.django_db
def test_a_rejected_park_form_keeps_what_was_typed(as_persona):
    client = as_persona("chuxiong_officer")
    lufeng = Park.objects.get(code=LUFENG_PARK).region
    response = client.post(
        "/parks/new/",
        {
            "name": "新园区甲",
            "level": "provincial",
            "zone_type": "产业园区",
            "region": lufeng.pk,
            "lon": "80",
            "lat": "25",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "坐标不在云南省范围内" in html and 'value="新园区甲"' in html
    assert not Park.objects.filter(name="新园区甲").exists()


@pytest.mark.django_db
def test_prefecture_officer_cannot_place_a_park_in_another_prefecture(as_persona):
    client = as_persona("chuxiong_officer")
    kunming = Park.objects.get(code=KUNMING_PARK).region
    response = client.post(
        "/parks/new/", {"name": "越界园区", "level": "provincial", "zone_type": "产业园区", "region": kunming.pk}
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors
    assert not Park.objects.filter(name="越界园区").exists()


@pytest.mark.django_db
def test_editing_another_prefectures_park_is_404(as_persona):
    client = as_persona("chuxiong_officer")
    assert client.get(f"/parks/{park_pk(KUNMING_PARK)}/edit/").status_code == 404
    assert (
        client.post(f"/parks/{park_pk(KUNMING_PARK)}/retire/", {"retired_on": "2023-01-01", "reason": "x"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_edit_and_retire_a_park_with_history(as_persona):
    client = as_persona("chuxiong_officer")
    pk = park_pk(LUFENG_PARK)
    park = Park.objects.get(pk=pk)
    data = {
        "name": "云南禄丰工业园区",
        "level": "provincial",
        "zone_type": "工业园区",
        "region": park.region_id,
        "leading_industries": "冶金、建材、机械、新材料",
        "lon": "102.077436",
        "lat": "25.153826",
        "approved_area_ha": "532.77",
    }
    assert client.post(f"/parks/{pk}/edit/", data).status_code == 302
    assert Park.objects.get(pk=pk).leading_industries.endswith("新材料")
    response = client.post(f"/parks/{pk}/retire/", {"retired_on": "2022-06-30", "reason": "整合并入云南禄丰产业园区"})
    assert response.status_code == 302
    park = Park.objects.get(pk=pk)
    assert park.status == "retired" and park.retire_reason == "整合并入云南禄丰产业园区"
    detail = client.get(f"/parks/{pk}/").content.decode()
    assert "已撤销/整合" in detail and 'data-action="retire"' in detail
    assert AuditLog.objects.filter(object_id=str(pk), action__in=["update", "retire"]).count() == 2


@pytest.mark.django_db
def test_map_data_holds_only_the_users_parks(as_persona):
    points = as_persona("lufeng_officer").get("/parks/map/data/").json()["parks"]
    assert [p["name"] for p in points] == ["云南禄丰工业园区"]
    assert as_persona("province_admin").get("/parks/map/data/").json()["parks"].__len__() == 78


@pytest.mark.django_db
def test_boundaries_ship_with_the_platform(as_persona):
    client = as_persona("lufeng_officer")
    province = client.get("/geo/yunnan.json").json()
    assert len(province["features"]) == 16
    chuxiong = client.get("/geo/532300.json").json()
    assert len(chuxiong["features"]) == 10
    assert client.get("/geo/999999.json").status_code == 404


def jurisdiction_summary_of(page) -> dict:
    (summary,) = [panel.data for panel in page.context["panels"] if panel.template == "regions/panels/summary.html"]
    return summary


@pytest.mark.django_db
def test_home_page_summarises_the_users_region(as_persona):
    html = as_persona("chuxiong_officer").get("/").content.decode()
    assert "楚雄彝族自治州投资促进局" in html
    summary = jurisdiction_summary_of(as_persona("chuxiong_officer").get("/"))
    assert (summary["counties"], summary["parks"]) == (10, 4)


@pytest.mark.django_db
def test_a_new_park_gets_its_committee_and_a_valid_code(as_persona):
    client = as_persona("chuxiong_officer")
    lufeng = Park.objects.get(code=LUFENG_PARK).region
    base = {"level": "provincial", "zone_type": "产业园区", "region": lufeng.pk}
    bad = client.post("/parks/new/", base | {"name": "斜杠园区", "code": "S539053/X"})
    assert bad.status_code == 200 and "园区编码只能由" in bad.content.decode()
    assert client.post("/parks/new/", base | {"name": "新园区乙", "code": "y532302-09"}).status_code == 302
    park = Park.objects.get(code="Y532302-09")
    committee = OrgUnit.objects.get(park=park)
    assert committee.path == park.path and committee.kind == "park_committee"


@pytest.mark.django_db
def test_a_retired_park_cannot_be_edited_and_retirement_is_not_in_the_future(as_persona):
    client = as_persona("chuxiong_officer")
    pk = park_pk(LUFENG_PARK)
    future = client.post(f"/parks/{pk}/retire/", {"retired_on": "2099-01-01", "reason": "整合"})
    assert future.status_code == 200 and "不能晚于今天" in future.content.decode()
    client.post(f"/parks/{pk}/retire/", {"retired_on": "2022-06-30", "reason": "整合"})
    park = Park.objects.get(pk=pk)
    data = {"name": "改名", "level": "provincial", "zone_type": "工业园区", "region": park.region_id}
    response = client.post(f"/parks/{pk}/edit/", data)
    assert response.status_code == 200 and "不能再修改" in response.content.decode()


@pytest.mark.django_db
def test_a_park_officer_sees_their_park_and_county_on_the_home_page(client):
    from zhaoshang.accounts.models import User
    from zhaoshang.accounts.services import user_set_roles

    officer = User.objects.create_user(
        "lufeng_park_officer", password="Park-officer#1", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=officer, role_codes={"park_officer"})
    client.force_login(officer)
    page = client.get("/")
    summary = jurisdiction_summary_of(page)
    assert summary["node"].code == "532302" and summary["parks"] == 1 and "辖区：禄丰市" in page.content.decode()
    assert client.get(f"/parks/{park_pk(KUNMING_PARK)}/").status_code == 404
    assert client.get("/parks/map/").context["start_prefecture"] == "532300"
