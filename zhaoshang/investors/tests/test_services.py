from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import Workbook

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.investors import services
from zhaoshang.investors.choices import LeaderLevel, Place, TagKind
from zhaoshang.investors.counting import activity_counts, summary_lines
from zhaoshang.investors.importers import COLUMNS, import_enterprise_list
from zhaoshang.investors.models import Contact, Enterprise, mask
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.investors.presence import global500_presence
from zhaoshang.investors.tests.conftest import with_check_char
from zhaoshang.projects.services import project_create, project_update


def wrong_check_char(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_a_wrong_credit_code_is_refused_with_its_reason(lufeng_officer):
    good = with_check_char("91530102MA6K0001X")
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(
            actor=lufeng_officer, name="云南测试科技有限公司", credit_code=wrong_check_char(good)
        )
    assert error.value.message_dict == {"credit_code": ["统一社会信用代码校验位错误"]}
    with pytest.raises(ValidationError) as error:
        services.enterprise_get_or_create(actor=lufeng_officer, name="云南测试科技有限公司", credit_code="123")
    assert error.value.message_dict == {"investor_credit_code": ["统一社会信用代码必须为18位"]}
    created = services.enterprise_create(actor=lufeng_officer, name="云南测试科技有限公司", credit_code=good.lower())
    assert created.credit_code == good


def test_one_by_one_and_the_project_import_pick_the_same_of_two_enterprises_sharing_a_credit_code(lufeng_officer):
    from zhaoshang.projects.services.importing import ProjectRow, _enterprises_by_code_and_name

    code = with_check_char("91530102MA6K0003X")
    # Two records with one code (older data may hold such pairs); the older one sorts after the newer by name.
    older = Enterprise.objects.create(name="甲乙丙工贸有限公司", credit_code=code)
    Enterprise.objects.create(name="乙丙丁工贸有限公司", credit_code=code)
    found = services.enterprise_get_or_create(actor=lufeng_officer, name="另一个名字有限公司", credit_code=code)
    row = ProjectRow(number=2, name="某项目", investor_name="另一个名字有限公司", county=None, credit_code=code)
    assert found == older == _enterprises_by_code_and_name([row])[0][code]


def test_duplicates_are_found_by_credit_code_or_normalised_name(lufeng_officer):
    code = with_check_char("91530102MA6K0002X")
    first = services.enterprise_create(actor=lufeng_officer, name="云南滇池（集团）股份有限公司", credit_code=code)
    assert normalise_enterprise_name("云南滇池集团有限公司") == first.normalised_name
    with pytest.raises(ValidationError, match="企业库中已有"):
        services.enterprise_create(actor=lufeng_officer, name="云南滇池有限公司")
    with pytest.raises(ValidationError, match="企业库中已有"):
        services.enterprise_create(actor=lufeng_officer, name="完全不同的名字", credit_code=code)
    assert services.enterprise_get_or_create(actor=lufeng_officer, name="云南滇池【集团】有限公司") == first


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_chinese_500_list_imports_all_or_nothing(lufeng_officer):
    good = with_check_char("91110000MA0A0001X")
    bad = wrong_check_char(with_check_char("91110000MA0A0002X"))
    rows = [
        ["中国示例控股集团有限公司", "中国500强", 2024, 12, good, "北京", "北京市", "综合"],
        ["民营示例科技股份有限公司", "民营500强", 2024, 30, bad, "浙江", "杭州市", "电子"],
    ]
    before = Enterprise.objects.count()
    report = import_enterprise_list(actor=lufeng_officer, content=xlsx(rows))
    assert report.errors == ["第3行 统一社会信用代码: 统一社会信用代码校验位错误"]
    assert Enterprise.objects.count() == before
    rows[1][4] = ""
    report = import_enterprise_list(actor=lufeng_officer, content=xlsx(rows))
    assert report.ok and report.created == 2
    again = import_enterprise_list(actor=lufeng_officer, content=xlsx(rows))
    assert again.ok and again.created == 0 and again.updated == 2
    assert Enterprise.objects.count() == before + 2
    china = Enterprise.objects.get(credit_code=good)
    assert china.is_china500 and china.tags.get(kind=TagKind.CHINA500).rank == 12


def test_contacts_are_masked_and_revealing_needs_the_permission_a_reason_and_is_audited(lufeng_officer):
    enterprise = services.enterprise_get_or_create(actor=lufeng_officer, name="云南联系人测试有限公司")
    contact = services.contact_create(
        actor=lufeng_officer, enterprise=enterprise, name="李四", phone="13812345678", id_number="53230119800101123X"
    )
    assert contact.masked_phone == "138****5678" and mask("13812345678") == "138****5678"
    created_row = AuditLog.objects.filter(object_type="investors.Contact", object_id=str(contact.pk)).get()
    assert "13812345678" not in str(created_row.after)
    assert "李四" not in str(created_row.after) + created_row.object_repr
    with pytest.raises(ValidationError, match="没有查看联系人完整信息的权限"):
        services.contact_reveal(actor=lufeng_officer, contact=contact, reason="安排考察对接")
    chuxiong = persona("chuxiong_officer")
    with pytest.raises(ValidationError):
        services.contact_reveal(actor=chuxiong, contact=contact, reason="")
    assert services.contact_reveal(actor=chuxiong, contact=contact, reason="安排考察对接") == {
        "name": "李四",
        "phone": "13812345678",
        "id_number": "53230119800101123X",
        "email": "",
    }
    row = AuditLog.objects.filter(action="reveal_contact").latest("id")
    assert row.actor == chuxiong and row.after["reason"] == "安排考察对接"
    assert Contact.objects.for_user(persona("kunming_officer")).filter(pk=contact.pk).exists()  # masked, not hidden


def test_overdue_follow_ups_show_on_the_owners_home_page(client, lufeng_officer):
    enterprise = services.enterprise_get_or_create(actor=lufeng_officer, name="云南跟进测试有限公司")
    yesterday = timezone.localdate() - timedelta(days=1)
    services.enterprise_set_follow_up(
        actor=lufeng_officer, enterprise=enterprise, owner=lufeng_officer, next_follow_up_on=yesterday
    )
    client.force_login(lufeng_officer)
    page = client.get("/").content.decode()
    assert "逾期未跟进的重点企业" in page and "云南跟进测试有限公司" in page
    assert "云南跟进测试有限公司" in client.get("/enterprises/follow-ups/").content.decode()
    client.force_login(persona("chuxiong_officer"))
    # Not 楚雄州's to-do (the 工作台's recent changes in its scope may still name the enterprise).
    assert "逾期未跟进的重点企业" not in client.get("/").content.decode()


def test_trips_and_meetings_are_counted_by_leader_level_and_place(lufeng_officer, make_trip, region):
    lufeng, chuxiong, kunming = region("532302"), region("532300"), region("530100")
    make_trip()  # 省外, county head
    make_trip(destination_province="云南", destination_city="", destination_region=region("530102"))  # 州外省内
    make_trip(
        kind="meeting", destination_province="云南", destination_city="", destination_region=lufeng, enterprises=()
    )  # 州内
    make_trip(start_on=date(2024, 12, 1))  # outside the period
    counts = activity_counts(region=lufeng, start=date(2025, 1, 1), end=date(2025, 12, 31), user=lufeng_officer)
    trips = counts["trips"]
    assert trips["total"] == 2
    assert trips["matrix"][LeaderLevel.COUNTY_HEAD][Place.OUTSIDE_PROVINCE] == 1
    assert trips["by_place"][Place.OUTSIDE_PREFECTURE] == 1
    assert counts["meetings"]["by_place"][Place.IN_PREFECTURE] == 1
    assert counts["enterprises_met"] == 2
    assert "县市区党政一把手外出招商（省外）1次" in summary_lines(counts)[0]
    # rolled up to the prefecture; a sibling prefecture sees none; another jurisdiction's figures are 404
    assert activity_counts(region=chuxiong, start=date(2025, 1, 1), end=date(2025, 12, 31))["trips"]["total"] == 2
    assert activity_counts(region=kunming, start=date(2025, 1, 1), end=date(2025, 12, 31))["trips"]["total"] == 0
    from django.http import Http404

    with pytest.raises(Http404):
        activity_counts(region=chuxiong, start=date(2025, 1, 1), end=date(2025, 12, 31), user=lufeng_officer)


def test_a_trip_needs_a_leader_level_and_a_place_in_yunnan(make_trip):
    with pytest.raises(ValidationError) as error:
        make_trip(leader_level="", destination_province="云南", destination_city="")
    assert set(error.value.message_dict) == {"leader_level", "destination_region"}


def test_a_lead_created_from_an_activity_is_a_project_linked_to_it(lufeng_officer, make_trip, region):
    trip = make_trip()
    investor = trip.enterprises.order_by("pk").first()
    project = services.activity_create_lead(
        actor=lufeng_officer,
        activity=trip,
        name="海川电池材料项目",
        investor=investor,
        county=region("532302"),
        on=date(2025, 3, 12),
    )
    assert project.stage == "lead" and project.investor == investor
    counts = activity_counts(region=region("532302"), start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert counts["leads_created"] == 1


def test_a_project_by_a_subsidiary_of_a_global500_group_counts_and_moves_the_presence(lufeng_officer, region):
    walmart = Enterprise.objects.get(source_key="fg500:walmart")
    before = global500_presence()
    assert walmart.pk not in {row["id"] for row in before["present"]}
    assert before["target"] == 150
    china = Enterprise(name="沃尔玛（中国）投资有限公司", parent=walmart)
    china.save()
    yunnan = Enterprise(name="沃尔玛华南百货有限公司", parent=china)
    yunnan.save()
    assert yunnan.group_root == walmart and yunnan.is_global500_group and not yunnan.is_global500
    project = project_create(
        actor=lufeng_officer,
        name="沃尔玛禄丰配送中心项目",
        investor_name="沃尔玛华南百货有限公司",
        county=region("532302"),
        on=date(2025, 2, 1),
    )
    assert project.is_global500
    project = project_update(actor=lufeng_officer, project=project, name=project.name, county=project.county)
    assert project.is_global500
    after = global500_presence()
    assert after["present_count"] == before["present_count"] + 1
    assert {"id": walmart.pk, "name": "沃尔玛公司", "rank": 1, "via": "项目"} in after["present"]


def test_presence_seen_by_a_county_counts_only_its_own_projects(lufeng_officer, region):
    from zhaoshang.core.testing import persona

    walmart = Enterprise.objects.get(source_key="fg500:walmart")
    Enterprise(name="沃尔玛华南百货有限公司", parent=walmart).save()
    project_create(
        actor=lufeng_officer,
        name="沃尔玛禄丰配送中心项目",
        investor_name="沃尔玛华南百货有限公司",
        county=region("532302"),
        on=date(2025, 2, 1),
    )
    seen = {
        name: {row["id"] for row in global500_presence(user=persona(name))["present"]}
        for name in ("province_admin", "chuxiong_officer", "kunming_officer")
    }
    assert walmart.pk in seen["province_admin"] and walmart.pk in seen["chuxiong_officer"]
    assert walmart.pk not in seen["kunming_officer"]


def test_an_enterprise_joins_a_group_but_a_group_never_contains_itself(lufeng_officer):
    def company(name):
        return services.enterprise_create(actor=lufeng_officer, name=name)

    group, member, branch = (
        company("云南集团测试控股有限公司"),
        company("云南集团测试材料有限公司"),
        company("云南集团测试分公司"),
    )
    services.enterprise_update(actor=lufeng_officer, enterprise=member, name=member.name, parent=group)
    services.enterprise_update(actor=lufeng_officer, enterprise=branch, name=branch.name, parent=member)
    assert Enterprise.objects.get(pk=branch.pk).group_root == group
    for new_parent in (branch, group):  # a member of its own group, and itself
        with pytest.raises(ValidationError, match="所属集团不能是本企业或其下属企业"):
            services.enterprise_update(actor=lufeng_officer, enterprise=group, name=group.name, parent=new_parent)
