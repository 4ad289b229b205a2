"""Issue 11 item 9: 变更记录 and the audit trail read as Chinese. Objects are changed through every service, then
their history panels and the audit trail (list and detail of every row) are rendered: the page text must not
show an English field key, a ``{…}`` dict dump, an ``app.Model`` label or a snake_case code."""

import re
from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.apps import apps
from django.test import Client

from zhaoshang.accounts.models import User
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.investors import services as investor_services
from zhaoshang.investors.choices import ActivityKind, TagKind
from zhaoshang.investors.models import Enterprise
from zhaoshang.projects import services
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.services import park_create, park_retire, park_update
from zhaoshang.stats.services import target_set

D = Decimal
pytestmark = pytest.mark.django_db

DICT_DUMP = re.compile(r"[{}]")
MODEL_LABEL = re.compile(r"\b[a-z]+\.[A-Z][A-Za-z]+\b")
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CEMENT = "新建日产4000吨水泥熟料生产线"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Refusals are rate-limited in the cache: earlier tests' refusals must not hide this test's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def trail_reader() -> User:
    """A reader of the trail who is not the audit administrator (who sees business values masked, test_pii.py):
    the readable detail page is checked with the values in clear."""
    from django.contrib.auth.models import Permission

    admin = persona("province_admin")
    reader, _ = User.objects.get_or_create(username="trail_reader", defaults={"org_unit": admin.org_unit})
    reader.user_permissions.add(Permission.objects.get(codename="view_auditlog"))
    return reader


def main_text(html: str) -> str:
    document = lxml.html.fromstring(html)
    for element in document.xpath("//script|//style"):
        element.drop_tree()
    main = document.xpath("//main") or [document]
    return " ".join(main[0].text_content().split())


def json_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def english_keys() -> set[str]:
    """Every field name of our models and every key the audit trail holds (``id`` and ``on`` are words a
    Chinese page may never show either)."""
    names = set()
    for model in apps.get_models():
        if model.__module__.startswith("zhaoshang."):
            for field in model._meta.concrete_fields:
                names |= {field.name, field.attname}
    for before, after in AuditLog.objects.values_list("before", "after"):
        names |= json_keys(before) | json_keys(after)
    return {name for name in names if re.fullmatch(r"[a-z][a-z0-9_]*", name)}


def problems_of(url: str, html: str, keys: set[str]) -> list[str]:
    """What reads as code in the page. Account names (``lufeng_officer``: what a user signs in with) and the
    addresses a refusal names (``/projects/6/``) are data, not labels, and are left out first."""
    text = main_text(html)
    for username in User.objects.values_list("username", flat=True):
        text = text.replace(username, "")
    text = re.sub(r"(?<![\w.])/[\w\-./?=&%]*", "", text)
    found = []
    for pattern in (DICT_DUMP, MODEL_LABEL, SNAKE_CASE):
        for match in pattern.finditer(text):
            found.append(f"{url}: {match.group()!r} in …{text[max(0, match.start() - 40) : match.end() + 40]}…")
    words = set(re.findall(r"(?<![A-Za-z0-9_.])[a-z][a-z0-9_]*(?![A-Za-z0-9_])", text))  # not a file's .xlsx
    for key in sorted(words & keys):
        found.append(f"{url}: English key {key!r}")
    return found


@pytest.fixture
def changed_everywhere(make_project, sign, officer, chuxiong, lufeng, lufeng_park):
    """Objects changed by every service that writes an audit row, with the pages that show their history."""
    province, security = persona("province_admin"), persona("security_admin")
    # Projects: create, update, lifecycle, agreement, 换业主, merge, ledger, month locks, library, admission
    project = make_project(name="禄丰钛白粉深加工项目", agreed_investment_wan=D("150000"), land_mu=D("300"))
    project = services.project_update(
        actor=officer,
        project=project,
        name="禄丰钛白粉精深加工项目",
        county=lufeng,
        park=lufeng_park,
        **{name: getattr(project, name) for name in services.PROJECT_FIELDS}
        | {"land_mu": D("320"), "category": "industry", "stalled": True, "stalled_note": "征地未完成"},
    )
    project = sign(project, amount=D("150000"))
    services.project_change_investor(
        actor=officer, project=project, investor_name="云南钛业集团有限公司", on=date(2024, 4, 1), note="股权转让"
    )
    duplicate = make_project(name="禄丰钛白粉精深加工", investor_name="云南钛业集团有限公司")
    services.project_merge(actor=officer, duplicate=duplicate, survivor=project, note="县州重复上报")
    entry = services.funding_record(actor=officer, project=project, month=date(2024, 4, 1), amount_wan=D("1200"))
    correction = services.funding_correct(actor=officer, entry=entry, reason="重复录入")
    services.correction_decide(actor=chuxiong, entry=correction, approve=True, note="核实")
    chuxiong_region = Region.objects.get(code="532300")
    lock = services.month_lock(actor=chuxiong, prefecture=chuxiong_region, month=date(2024, 1, 1))
    services.month_unlock(actor=province, lock=lock, reason="补录一月份到位资金")
    services.library_submit(actor=officer, project=project, reason="符合入库条件")
    services.library_return(actor=chuxiong, project=project, reason="请补充协议扫描件")
    services.library_submit(actor=officer, project=project)
    services.library_review(actor=chuxiong, project=project)
    services.library_approve(actor=province, project=project)
    services.library_threshold_set(actor=province, threshold_wan=D("120000"), effective_from=date(2025, 1, 1))
    overridden = services.project_create(
        actor=chuxiong,
        name=CEMENT,
        investor_name="云南某某建材有限公司",
        county=lufeng,
        on=date(2024, 1, 10),
        agreed_investment_wan=D("80000"),
        admission_override_reason="已落实省内等量产能置换方案，经州政府常务会研究同意",
    )
    cautious = make_project(name="禄丰大宗商品贸易结算中心", description="在当地注册贸易结算中心，开展大宗商品过账贸易")
    # Enterprises and contacts
    enterprise = investor_services.enterprise_create(actor=officer, name="云南滇中新材料有限公司")
    enterprise = investor_services.enterprise_update(
        actor=officer, enterprise=enterprise, name="云南滇中新材料股份有限公司", hq_province="云南", size="large"
    )
    investor_services.enterprise_set_tag(actor=officer, enterprise=enterprise, kind=TagKind.CHAIN_LEADER, year=2024)
    investor_services.enterprise_set_follow_up(
        actor=officer, enterprise=enterprise, owner=officer, next_follow_up_on=date(2024, 6, 1)
    )
    contact = investor_services.contact_create(
        actor=officer, enterprise=enterprise, name="张三", title="董事长", phone="13812345678"
    )
    investor_services.contact_reveal(actor=chuxiong, contact=contact, reason="约见洽谈需要电话")
    # Activities
    activity = investor_services.activity_create(
        actor=officer,
        kind=ActivityKind.TRIP,
        title="赴江苏招商",
        start_on=date(2024, 3, 5),
        destination_province="江苏",
        leader_level="county_head",
        enterprises=[enterprise],
    )
    investor_services.activity_update(actor=officer, activity=activity, title="赴江苏、浙江招商")
    investor_services.activity_link_project(actor=officer, activity=activity, project=project)
    investor_services.activity_create_lead(
        actor=officer,
        activity=activity,
        name="禄丰新材料产业园项目",
        investor=enterprise,
        county=lufeng,
        on=date(2024, 3, 6),
    )
    # Parks, targets, accounts
    park = park_create(actor=chuxiong, region=lufeng, name="禄丰新材料产业园", level="provincial", zone_type="工业园区")
    park = park_update(actor=chuxiong, park=park, region=lufeng, name="禄丰新材料产业园区", leading_industries="新材料")
    park_retire(actor=chuxiong, park=park, on=date(2024, 5, 1), reason="整合入云南禄丰产业园区")
    target = target_set(
        actor=province,
        year=2024,
        region=chuxiong_region,
        indicator="funds_outside_province",
        value=D("800"),
        unit="亿元",
    )
    target_set(
        actor=province,
        year=2024,
        region=chuxiong_region,
        indicator="funds_outside_province",
        value=D("850"),
        unit="亿元",
    )
    target_set(
        actor=province,
        year=2024,
        region=chuxiong_region,
        indicator="projects_1b",
        value=D("10"),
        unit="个",
        industry_code="new_materials",
    )
    # An import of projects from a file (one audit row per jurisdiction node it filled)
    from zhaoshang.projects.importers import projects_import
    from zhaoshang.projects.tests.test_import import row, workbook

    imported = projects_import(content=workbook([row(1), row(2)]), actor=chuxiong, source_name="楚雄州台账.xlsx")
    assert imported.created == 2
    from zhaoshang.accounts.services import account_unlock, user_set_roles

    user_set_roles(actor=security, user=persona("leader_province"), role_codes={"leader", "province_admin"})
    account_unlock(actor=security, user=persona("kunming_officer"))
    return {
        "project": project,
        "duplicate": duplicate,
        "overridden": overridden,
        "cautious": cautious,
        "enterprise": enterprise,
        "park": Park.objects.get(pk=park.pk),
        "target": target,
    }


def test_history_panels_and_the_audit_trail_read_as_chinese(changed_everywhere, client):
    objects = changed_everywhere
    # Logins, failed logins, an export and refusals belong to the trail too.
    Client().post("/accounts/login/", {"username": "lufeng_officer", "password": "wrong-password"})
    officer = Client()
    officer.force_login(persona("lufeng_officer"))
    officer.get("/projects/?export=xlsx")
    officer.get("/audit/")  # a permission refusal
    kunming = Region.objects.get(code="530102")
    other = services.project_create(
        actor=persona("kunming_officer"),
        name="五华数字经济项目",
        investor_name="昆明某科技公司",
        county=kunming,
        on=date(2024, 1, 5),
    )
    officer.get(f"/projects/{other.pk}/")  # out of scope
    officer.post(
        "/projects/new/",
        {
            "name": CEMENT + "二期",
            "investor_name": "云南某某建材有限公司",
            "county": Region.objects.get(code="532302").pk,
            "agreed_investment_wan": "80000",
            "currency": "CNY",
            "on": "2024-01-10",
            "confirm_not_duplicate": "on",
        },
    )  # a refused 不招 save

    keys = english_keys()
    problems = []
    client.force_login(persona("province_admin"))
    pages = [
        f"/projects/{objects['project'].pk}/",
        f"/projects/{objects['duplicate'].pk}/",
        f"/projects/{objects['overridden'].pk}/",
        f"/projects/{objects['cautious'].pk}/",
        f"/enterprises/{objects['enterprise'].pk}/",
        f"/parks/{objects['park'].pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += problems_of(url, response.content.decode(), keys)

    client.force_login(persona("audit_admin"))
    listing = client.get("/audit/?page_size=200")
    problems += problems_of("/audit/", listing.content.decode(), keys)
    rows = list(AuditLog.objects.order_by("id"))
    assert {"refused_scope", "refused_permission", "refused_admission"} <= {row.action for row in rows}
    for row in rows:
        url = f"/audit/{row.pk}/"
        response = client.get(url)
        assert response.status_code == 200, url
        problems += problems_of(url, response.content.decode(), keys)
    assert not problems, "\n".join(problems[:80])


def test_the_audit_detail_shows_each_changed_field_with_its_old_and_new_value(make_project, officer, lufeng, client):
    project = make_project(name="禄丰钛白粉深加工项目", land_mu=D("300"))
    services.project_update(
        actor=officer,
        project=project,
        name="禄丰钛白粉精深加工项目",
        county=lufeng,
        park=None,
        **{name: getattr(project, name) for name in services.PROJECT_FIELDS} | {"land_mu": D("320.5")},
    )
    row = AuditLog.objects.get(action="update", object_id=str(project.pk))
    client.force_login(trail_reader())
    html = client.get(f"/audit/{row.pk}/").content.decode()
    document = lxml.html.fromstring(html)
    changed = {
        " ".join(tr.xpath("string(td[1])").split()): (
            " ".join(tr.xpath("string(td[2])").split()),
            " ".join(tr.xpath("string(td[3])").split()),
        )
        for tr in document.xpath("//table[@id='changes']//tr[contains(@class, 'changed')]")
    }
    assert changed["项目名称"] == ("禄丰钛白粉深加工项目", "禄丰钛白粉精深加工项目")
    assert changed["用地（亩）"] == ("300", "320.5")
    assert "协议投资额（万元）" not in changed  # unchanged fields are listed but not highlighted
    unchanged = document.xpath("//table[@id='changes']//tr[not(contains(@class, 'changed'))]/td[1]/text()")
    assert "协议投资额（万元）" in [" ".join(t.split()) for t in unchanged]
    assert "项目" in main_text(html) and "projects.Project" not in html


def test_the_history_panel_lists_what_changed_in_words(make_project, officer, lufeng, client):
    project = make_project(name="禄丰钛白粉深加工项目")
    services.project_update(
        actor=officer,
        project=project,
        name="禄丰钛白粉精深加工项目",
        county=lufeng,
        park=None,
        **{name: getattr(project, name) for name in services.PROJECT_FIELDS}
        | {"stalled": True, "stalled_note": "缺水"},
    )
    client.force_login(officer)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    history = main_text(lxml.html.tostring(lxml.html.fromstring(html).get_element_by_id("history"), encoding=str))
    assert "项目名称：禄丰钛白粉深加工项目 → 禄丰钛白粉精深加工项目" in history
    assert "停滞：否 → 是" in history


def test_admission_rules_are_named_not_coded_on_the_project_page(as_persona, lufeng):
    project = services.project_create(
        actor=persona("chuxiong_officer"),
        name=CEMENT,
        investor_name="云南某某建材有限公司",
        county=lufeng,
        on=date(2024, 1, 10),
        agreed_investment_wan=D("80000"),
        admission_override_reason="已落实省内等量产能置换方案，经州政府常务会研究同意",
    )
    html = as_persona("chuxiong_officer").get(f"/projects/{project.pk}/").content.decode()
    text = main_text(html)
    assert "产能严重过剩" in text and "overcapacity" not in text


def test_the_users_on_a_row_are_named_by_their_names(make_project, officer, client):
    project = make_project()
    row = AuditLog.objects.get(action="create", object_id=str(project.pk))
    client.force_login(trail_reader())
    text = main_text(client.get(f"/audit/{row.pk}/").content.decode())
    assert User.objects.get(username="lufeng_officer").full_name in text
    assert Enterprise.objects.get(pk=project.investor_id).name in text


def test_an_export_is_recorded_with_its_search_in_words(make_project, lufeng, client):
    make_project()
    client.force_login(persona("lufeng_officer"))
    assert client.get(f"/projects/?export=xlsx&stage=lead&county={lufeng.pk}").status_code == 200
    row = AuditLog.objects.get(action="export")
    assert row.after["conditions"] == {"阶段": "线索", "县市区": "禄丰市"} and row.after["rows"] == 1
    assert row.object_repr == "项目台账（阶段：线索；县市区：禄丰市）"


def test_the_project_export_names_the_admission_rules(lufeng, client):
    from io import BytesIO

    from openpyxl import load_workbook

    services.project_create(
        actor=persona("chuxiong_officer"),
        name=CEMENT,
        investor_name="云南某某建材有限公司",
        county=lufeng,
        on=date(2024, 1, 10),
        agreed_investment_wan=D("80000"),
        admission_override_reason="已落实省内等量产能置换方案，经州政府常务会研究同意",
    )
    client.force_login(persona("chuxiong_officer"))
    sheet = load_workbook(BytesIO(client.get("/projects/?export=xlsx").content)).active
    headers = [cell.value for cell in sheet[1]]
    column, name = headers.index("触发的准入规则"), headers.index("项目名称")
    values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[name] == CEMENT]
    assert values == ["产能严重过剩"]
