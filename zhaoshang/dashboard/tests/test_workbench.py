"""The 工作台: each to-do a count that links to the list showing the same rows, the jurisdiction's headline figures
with 序时进度 as the indicator functions compute them, the latest changes in the user's scope in words, and a
number of queries that does not grow with the data."""

import re
from datetime import date, timedelta
from decimal import Decimal as D

import lxml.html
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.testing import persona
from zhaoshang.dashboard.selectors import workbench
from zhaoshang.investors import services as investors
from zhaoshang.investors.choices import ActivityKind, LeaderLevel
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.services.ledger import month_lock
from zhaoshang.regions.models import Region
from zhaoshang.stats.indicators import Period, progress_report
from zhaoshang.stats.services import target_set

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def signed(name, *, county="532302", amount="150000", on=date(2025, 1, 10), actor="lufeng_officer"):
    officer = persona(actor)
    project = projects.project_create(
        actor=officer,
        name=name,
        investor_name=f"{name}投资有限公司",
        county=Region.objects.get(code=county),
        agreed_investment_wan=D(amount),
        on=on,
    )
    project = projects.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=on)
    projects.agreement_create(actor=officer, project=project, signed_on=on, amount_wan=D(amount))
    return projects.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=on)


def follow_up(name, on, owner="lufeng_officer"):
    officer = persona(owner)
    enterprise = investors.enterprise_get_or_create(actor=officer, name=name)
    return investors.enterprise_set_follow_up(actor=officer, enterprise=enterprise, owner=officer, next_follow_up_on=on)


def trip(title, follow_up_on, actor="lufeng_officer"):
    return investors.activity_create(
        actor=persona(actor),
        kind=ActivityKind.TRIP,
        title=title,
        start_on=date(2025, 3, 10),
        destination_province="广东",
        destination_city="深圳",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
        follow_up="回访企业，商谈落地选址",
        follow_up_on=follow_up_on,
    )


def todos_of(response) -> dict[str, dict]:
    document = lxml.html.fromstring(response.content.decode())
    found = {}
    for box in document.xpath("//*[@data-todo]"):
        overdue = box.xpath(".//*[@data-overdue]")
        found[box.get("data-todo")] = {
            "count": int(box.xpath(".//*[@data-count]")[0].text_content()),
            "url": box.xpath(".//*[@data-count]")[0].get("href"),
            "overdue": int(re.search(r"\d+", overdue[0].text_content()).group()) if overdue else 0,
            "overdue_url": overdue[0].get("href") if overdue else "",
        }
    return found


def rows_of(response, table_id: str) -> int:
    document = lxml.html.fromstring(response.content.decode())
    return len(document.xpath(f"//table[@id='{table_id}']/tbody/tr[not(td[@colspan])]"))


def test_a_county_officers_to_dos_are_counts_that_link_to_the_lists_showing_them(client):
    follow_up("云南逾期跟进有限公司", TODAY - timedelta(days=3))
    follow_up("云南本周跟进有限公司", TODAY + timedelta(days=2))
    follow_up("云南下月跟进有限公司", TODAY + timedelta(days=40))  # not yet a to-do
    follow_up("楚雄州跟进有限公司", TODAY - timedelta(days=1), owner="chuxiong_officer")  # someone else's
    trip("赴深圳招商（跟进逾期）", TODAY - timedelta(days=10))
    trip("赴上海招商（本周跟进）", TODAY + timedelta(days=1))
    trip("赴北京招商（无跟进期限）", None)
    trip("昆明赴广州招商", TODAY - timedelta(days=1), actor="kunming_officer")  # another prefecture

    client.force_login(persona("lufeng_officer"))
    home = client.get("/")
    assert home.status_code == 200
    todos = todos_of(home)
    # A county officer approves no corrections and locks no months; the library to-do is the returned entries.
    assert set(todos) == {"follow_ups", "activity_follow_ups", "library"}
    assert todos["follow_ups"]["count"] == 2 and todos["follow_ups"]["overdue"] == 1
    assert todos["activity_follow_ups"]["count"] == 2 and todos["activity_follow_ups"]["overdue"] == 1
    assert todos["library"]["count"] == 0
    text = home.content.decode()
    assert "逾期未跟进的重点企业" in text and "云南逾期跟进有限公司" in text and "楚雄州跟进有限公司" not in text

    assert rows_of(client.get(todos["follow_ups"]["url"]), "follow-up-table") == 2
    assert rows_of(client.get(todos["follow_ups"]["overdue_url"]), "follow-up-table") == 1
    activities = client.get(todos["activity_follow_ups"]["url"])
    assert rows_of(activities, "activity-table") == 2 and "昆明赴广州招商" not in activities.content.decode()
    assert rows_of(client.get(todos["activity_follow_ups"]["overdue_url"]), "activity-table") == 1
    overdue = lxml.html.fromstring(text).xpath("//*[@data-overdue-item]/@data-overdue-item")
    assert overdue == ["follow_ups", "activity_follow_ups"]


def test_a_prefecture_sees_corrections_to_approve_submissions_to_review_and_months_to_lock(client):
    lufeng, chuxiong = persona("lufeng_officer"), persona("chuxiong_officer")
    big = signed("禄丰绿色铝精深加工项目", amount="200000")
    entry = projects.funding_record(actor=lufeng, project=big, month=date(2025, 3, 1), amount_wan=D("1000"))
    projects.funding_correct(actor=lufeng, entry=entry, reason="重复录入")  # entered by 禄丰: 楚雄州 decides
    own = projects.funding_record(actor=chuxiong, project=big, month=date(2025, 4, 1), amount_wan=D("500"))
    projects.funding_correct(actor=chuxiong, entry=own, reason="金额有误")  # its own: someone else decides
    projects.library_submit(actor=lufeng, project=big)
    year, month = Period.default().year, Period.default().month
    prefecture = Region.objects.get(code="532300")
    month_lock(actor=chuxiong, prefecture=prefecture, month=date(year, month, 1))

    client.force_login(chuxiong)
    home = client.get("/")
    todos = todos_of(home)
    assert todos["corrections"]["count"] == 1
    assert rows_of(client.get(todos["corrections"]["url"]), "correction-table") == 1
    assert todos["library"]["count"] == 1
    assert "禄丰绿色铝精深加工项目" in client.get(todos["library"]["url"]).content.decode()
    # Every month of the reporting year before the last complete month is still open, hence overdue.
    assert todos["months_to_lock"]["count"] == month - 1 == todos["months_to_lock"]["overdue"]

    client.force_login(persona("province_admin"))
    province = todos_of(client.get("/"))
    assert province["corrections"]["count"] == 2  # both, entered by others
    assert province["library"]["count"] == 0  # waiting for the prefecture, not the province
    assert "months_to_lock" not in province


def test_months_to_lock_counts_the_reporting_year_up_to_the_last_complete_month():
    chuxiong = persona("chuxiong_officer")
    prefecture = Region.objects.get(code="532300")
    for month in (3, 6):
        month_lock(actor=chuxiong, prefecture=prefecture, month=date(2025, month, 1))
    data = workbench(chuxiong, today=date(2025, 7, 1))
    todo = next(t for t in data["todos"] if t.key == "months_to_lock")
    assert (todo.count, todo.overdue) == (4, 4) and todo.note == "2025年：1月、2月、4月、5月"
    data = workbench(chuxiong, today=date(2025, 8, 20))  # July is now due, not overdue
    todo = next(t for t in data["todos"] if t.key == "months_to_lock")
    assert (todo.count, todo.overdue) == (5, 4)
    data = workbench(chuxiong, today=date(2026, 1, 5))  # in January: December of last year
    todo = next(t for t in data["todos"] if t.key == "months_to_lock")
    assert todo.count == 10 and todo.note.startswith("2025年：")


def test_the_headline_is_the_indicator_functions_for_the_last_complete_month(client):
    period = Period.default()
    project = signed("禄丰钛材深加工项目", on=date(period.year, 1, 10))
    projects.funding_record(
        actor=persona("lufeng_officer"),
        project=project,
        month=date(period.year, 1, 1),
        amount_wan=D("356274.08"),
        outside_province_wan=D("356274.08"),
    )
    lufeng = Region.objects.get(code="532302")
    target_set(
        actor=persona("chuxiong_officer"),
        year=period.year,
        region=lufeng,
        indicator="funds_outside_province",
        value=D("50"),
        unit="亿元",
    )
    client.force_login(persona("lufeng_officer"))
    home = client.get("/")
    data = home.context["panels"][0].data
    assert data["period"] == period
    rows = {row.indicator: row for row in data["headline"]}
    report = progress_report("funds_outside_province", lufeng, period)
    row = rows["funds_outside_province"]
    assert (row.actual, row.completion_pct, row.elapsed_pct, row.ahead_points) == (
        report["actual"],
        report["completion_pct"],
        report["elapsed_pct"],
        report["ahead_points"],
    )
    assert row.sentence == report["sentence"]
    document = lxml.html.fromstring(home.content.decode())
    cell = document.xpath("//table[@id='workbench-figures']//tr[@data-indicator='funds_outside_province']")[0]
    assert cell.xpath(".//*[@data-actual]")[0].text_content() == "356,274.08万元"
    assert "500,000.00万元" in cell.text_content()  # the target, 50 亿元
    expected = "超序时" if report["ahead_points"] > 0 else "滞后序时"
    assert expected in cell.text_content()
    assert "未设" in document.xpath("//tr[@data-indicator='agreed_investment']")[0].text_content()
    assert document.xpath("//*[@id='workbench-period']")[0].text_content() == f"{period.year}年1—{period.month}月" or (
        period.month == 1
    )


def test_recent_changes_are_those_of_my_scope_in_words(client):
    signed("禄丰新能源电池材料项目")
    signed("昆明生物医药产业园项目", county="530102", actor="kunming_officer")
    lufeng = persona("lufeng_officer")
    audit_record(actor=lufeng, action=Action.LOGIN)  # not a change
    audit_record(actor=lufeng, action=Action.REFUSED_SCOPE, after={"url": "/projects/1/"})  # not a change either

    client.force_login(lufeng)
    home = client.get("/")
    changes = home.context["panels"][0].data["changes"]
    assert changes and {row["action"] for row in changes} <= {"create", "transition", "agreement", "update"}
    text = lxml.html.fromstring(home.content.decode()).xpath("//table[@id='recent-changes']")[0].text_content()
    assert "禄丰新能源电池材料项目" in text and "昆明" not in text
    assert "阶段变更" in text and "projects.Project" not in text and "stage" not in text
    links = lxml.html.fromstring(home.content.decode()).xpath("//table[@id='recent-changes']//a/@href")
    assert links and all(client.get(url).status_code == 200 for url in set(links))

    client.force_login(persona("chuxiong_officer"))
    text = client.get("/").content.decode()
    assert "禄丰新能源电池材料项目" in text and "昆明生物医药产业园项目" not in text
    client.force_login(persona("province_admin"))
    assert "昆明生物医药产业园项目" in client.get("/").content.decode()
    # 三员分立: the security administrator's node is the province, but it reads no business data.
    client.force_login(persona("security_admin"))
    text = client.get("/").content.decode()
    assert "禄丰新能源电池材料项目" not in text and "昆明生物医药产业园项目" not in text


def _home_queries(client, name) -> int:
    client.force_login(persona(name))
    client.get("/")  # the session's renewal and the like, once
    cache.clear()  # the figures computed afresh
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def _batch(n: int, owner: str) -> None:
    """One of each thing the 工作台 reads: a signed project with funds, a follow-up, two activities (more than the
    ten rows of recent changes, so the changes shown are of the same kinds after one batch or after many)."""
    year = Period.default().year
    project = signed(f"禄丰第{n}号产业项目", on=date(year, 1, 10))
    projects.funding_record(
        actor=persona("lufeng_officer"), project=project, month=date(year, 1, 1), amount_wan=D("10")
    )
    follow_up(f"云南第{n}号跟进有限公司", TODAY - timedelta(days=n), owner=owner)
    trip(f"赴第{n}个城市招商", TODAY + timedelta(days=n))
    trip(f"赴第{n}个城市招商（回访）", TODAY - timedelta(days=n + 1))


@pytest.mark.parametrize("name", ["lufeng_officer", "chuxiong_officer", "province_admin"])
def test_the_number_of_queries_does_not_grow_with_the_data(client, name):
    _batch(0, name)
    before = _home_queries(client, name)
    for n in range(1, 8):
        _batch(n, name)
    after = _home_queries(client, name)
    assert after == before, f"{name}: {before} queries before, {after} after"
    assert after <= 60, f"{name}: {after} queries"
    # The figures are cached until the data changes: the next visit reads only the counts and the changes.
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert len(warm) <= after - 10


def test_an_enterprise_account_gets_no_workbench(client):
    client.force_login(persona("enterprise_user"))
    response = client.get("/")
    assert response.status_code == 200 and "panels" not in response.context
    document = lxml.html.fromstring(response.content.decode())
    assert not document.xpath("//*[@id='todos' or @id='recent-changes' or @id='workbench-figures']")


def test_a_park_committee_is_sent_to_its_park_page_for_figures(client):
    from zhaoshang.accounts.models import OrgUnit, User
    from zhaoshang.accounts.services import user_set_roles

    officer = User.objects.create_user(
        "park_workbench", password="Park-officer#1", org_unit=OrgUnit.objects.get(code="PARK-S539053")
    )
    user_set_roles(actor=None, user=officer, role_codes={"park_officer"})
    client.force_login(officer)
    response = client.get("/")
    document = lxml.html.fromstring(response.content.decode())
    assert not document.xpath("//*[@id='workbench-figures']")
    link = document.xpath("//*[@id='workbench-park']//a/@href")[0]
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("name", ["lufeng_officer", "chuxiong_officer", "province_admin"])
def test_no_workbench_link_repeats_a_menu_entrys_words(client, name):
    """A link of the 工作台 whose words contain a menu entry's ("招商活动后续跟进" and 招商活动) makes "the link
    招商活动" ambiguous for a screen reader and for a browser test; recent changes name objects and are left out."""
    from zhaoshang.core.menu import MENU

    trip("赴深圳招商（跟进逾期）", TODAY - timedelta(days=1))
    client.force_login(persona(name))
    document = lxml.html.fromstring(client.get("/").content.decode())
    links = [a.text_content().strip() for a in document.xpath("//main//a[not(ancestor::table[@id='recent-changes'])]")]
    assert links
    clashes = [(text, item.label) for text in links for item in MENU if item.label in text]
    assert clashes == []
