from zhaoshang.core.testing import persona
from zhaoshang.investors.models import Activity


def test_enterprise_search_by_name_fragment_or_code(client, db):
    assert client.get("/api/v1/enterprises/?q=平安").status_code == 401
    client.force_login(persona("kunming_officer"))
    names = [row["name"] for row in client.get("/api/v1/enterprises/?q=平安银行股份有限公司").json()["results"]]
    assert names == ["平安银行"]
    brief = client.get("/api/v1/enterprises/?q=walmart&brief=1").json()["results"]
    assert [row["name"] for row in brief] == ["沃尔玛公司"]
    by_code = client.get("/api/v1/enterprises/?q=000001.SZ").json()["results"]
    assert [row["name"] for row in by_code] == ["平安银行"]
    client.force_login(persona("enterprise_user"))
    assert client.get("/api/v1/enterprises/?q=平安").status_code == 403


def test_activities_api_lists_the_users_scope_and_creates_for_their_org_unit(client, make_trip):
    make_trip()
    client.force_login(persona("kunming_officer"))
    assert client.get("/api/v1/activities/").json()["count"] == 0
    response = client.post(
        "/api/v1/activities/",
        {
            "kind": "meeting",
            "title": "会见上海客商",
            "start_on": "2025-05-01",
            "destination_province": "云南",
            "destination_region": "530102",
            "leader_level": "prefecture_head",
            "leader_name": "市长",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    created = Activity.objects.get(pk=response.json()["id"])
    assert created.path == persona("kunming_officer").scope_path and created.place == "in_prefecture"
    bad = client.post(
        "/api/v1/activities/",
        {"kind": "trip", "title": "x", "start_on": "2025-05-01", "destination_province": "云南"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "leader_level" in bad.json()
    client.force_login(persona("chuxiong_officer"))
    assert client.get("/api/v1/activities/").json()["count"] == 1
