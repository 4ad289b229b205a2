from datetime import date

import pytest

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona, scope_matrix
from zhaoshang.investors import services
from zhaoshang.investors.models import Enterprise


@pytest.fixture
def trips(make_trip, region):
    lufeng = make_trip()
    kunming = make_trip(actor=persona("kunming_officer"), title="昆明赴上海招商", enterprises=("上海测试有限公司",))
    return {"lufeng": f"/activities/{lufeng.pk}/", "kunming": f"/activities/{kunming.pk}/"}


def test_activities_are_scoped_by_the_organisers_jurisdiction(client, trips):
    for name, url, expected in scope_matrix(list_url="/activities/", api_url="/api/v1/activities/", detail_urls=trips):
        client.logout()
        if name:
            client.force_login(persona(name))
        assert client.get(url).status_code == expected, (name, url)


def test_the_activity_list_exports_the_users_activities_to_excel(client, trips):
    client.force_login(persona("chuxiong_officer"))
    response = client.get("/activities/?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert AuditLog.objects.filter(action="export", object_type="investors.Activity").exists()


def test_the_summary_page_shows_the_counts_and_exports_them(client, trips):
    client.force_login(persona("lufeng_officer"))
    page = client.get("/activities/summary/?start=2025-01-01&end=2025-12-31").content.decode()
    assert 'data-stat="trips">1<' in page and "县市区党政一把手外出招商（省外）1次" in page
    assert client.get("/activities/summary/?start=2025-01-01&end=2025-12-31&export=xlsx").status_code == 200
    client.force_login(persona("kunming_officer"))
    page = client.get("/activities/summary/?start=2025-01-01&end=2025-12-31").content.decode()
    assert 'data-stat="trips">1<' in page  # 昆明's own trip only


def test_an_officer_records_a_trip_and_creates_a_lead_from_it_in_the_pages(client, region):
    client.force_login(persona("lufeng_officer"))
    response = client.post(
        "/activities/new/",
        {
            "kind": "trip",
            "title": "赴浙江招商",
            "start_on": "2025-04-01",
            "destination_province": "浙江",
            "destination_city": "杭州",
            "leader_name": "王五",
            "leader_level": "county_head",
            "enterprise_names": "浙江甲科技有限公司\n浙江乙材料有限公司",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity_url = response["Location"]
    activity_id = int(activity_url.strip("/").split("/")[-1])
    investor = Enterprise.objects.named("浙江甲科技").get()
    response = client.post(
        f"/activities/{activity_id}/lead/",
        {"name": "浙江甲科技禄丰项目", "investor": investor.pk, "county": region("532302").pk, "on": "2025-04-02"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(activity_url).content.decode()
    assert "浙江甲科技禄丰项目" in page and "由活动产生的线索" in page


def test_the_enterprise_page_shows_masked_contacts_and_its_timeline_and_the_list_exports(client, make_trip):
    officer = persona("lufeng_officer")
    trip = make_trip()
    enterprise = trip.enterprises.order_by("pk").first()
    services.contact_create(actor=officer, enterprise=enterprise, name="赵六", phone="13912345678")
    client.force_login(officer)
    page = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page and trip.title in page
    assert "赵*" in page and "赵六" not in page  # the name is personal information too
    assert "查看完整信息" not in page  # a county officer may not reveal
    contact = enterprise.contacts.get()
    assert client.get(f"/contacts/{contact.pk}/reveal/").status_code == 403
    client.force_login(persona("chuxiong_officer"))
    page = client.post(f"/contacts/{contact.pk}/reveal/", {"reason": "联系安排来访"}).content.decode()
    assert "13912345678" in page and "赵六" in page
    client.force_login(persona("kunming_officer"))
    page = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert trip.title not in page  # 禄丰's activity is not in 昆明's timeline
    response = client.get("/enterprises/?q=平安银行&export=xlsx")
    assert response.status_code == 200


def test_the_import_template_downloads_and_a_bad_file_writes_nothing(client, db):
    client.force_login(persona("lufeng_officer"))
    assert client.get("/enterprises/import/?template=1").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.core.models import Job

    page = client.post(
        "/enterprises/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    ).content.decode()
    assert "文件内容不是" in page and not Job.objects.exists()  # refused by its content before a job starts


def test_the_global500_page_shows_the_presence_against_the_target(client, db):
    client.force_login(persona("province_admin"))
    page = client.get("/enterprises/global500/").content.decode()
    assert 'id="presence-target">150<' in page and "沃尔玛公司" in page
    assert client.get("/enterprises/global500/?export=xlsx").status_code == 200
    client.force_login(persona("enterprise_user"))
    assert client.get("/enterprises/global500/").status_code == 403


def test_dates_in_the_future_are_refused(make_trip):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_trip(start_on=date(2999, 1, 1))
