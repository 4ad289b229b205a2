"""Every edit page saves unchanged what it shows: open the form, post back what a browser would send of the values
it rendered, and the object has not moved (no date set to today, no field cleared or filled in).

The URL walk below lists every form page that acts on one object (``<int:pk>``); each is either an edit page with a
round-trip case here, or an action that adds a record about the object (a transition, an agreement, a correction…)
and is named in ``ACTION_VIEWS`` with what it adds. A new form page therefore has to be classified."""

from datetime import date
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.core.testing import LUFENG_PARK, browser_form_values, persona
from zhaoshang.core.views import ScopedFormView
from zhaoshang.regions.models import Park, Region

pytestmark = pytest.mark.django_db

# Form pages about one object that add a record rather than edit the object's own fields.
ACTION_VIEWS = {
    "investors:contact_reveal": "查看联系人完整号码（审计）",
    "investors:activity_lead": "由活动生成线索（新项目）",
    "projects:project_transition": "阶段变更（新的变更记录）",
    "projects:agreement_create": "录入协议（新协议）",
    "projects:investor_change": "换业主（新的变更记录）",
    "projects:project_merge": "合并重复项目",
    "projects:funding_correct": "冲销更正（新分录）",
    "projects:correction_decide": "审核更正（新审核记录）",
    "projects:month_unlock": "解除月份锁定（需填写原因）",
    "projects:library_decide": "招大引强申报、审核（新步骤）",
    "projects:transfer_propose": "发起项目流转（新流转及利益共享协议；项目本身待备案后才移动）",
    "projects:transfer_detail": "项目流转确认、备案或退回（新步骤）",
    "regions:park_retire": "撤销/整合园区（需填写日期和原因）",
    "accounts:user_unlock": "解锁账户",
    "accounts:user_password_reset": "重置他人密码（一次性密码，审计）",
    "accounts:user_mfa_reset": "重置动态口令（审计）",
    "accounts:change_decide": "复核三员账户变更（同意或驳回）",
    "chains:node_create": "新增产业链节点（草稿版本中）",
    "chains:flow_create": "新增供给关系（草稿版本中）",
    "portal_admin:listing_mark": "对外发布招商项目（发布记录，待上级审核；项目本身不变）",
    "portal_admin:park_mark": "对外发布园区介绍（发布记录，待上级审核；园区本身不变）",
    "portal_admin:decide": "审核、退回或撤回对外发布",
    "projects:decision_create": "录入集体决策或合法性审查记录（新记录）",
    "risk:warning_action": "确认、排除或解决风险预警（预警的处理记录，审计）",
}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", str(entry.pattern), entry.callback


def object_form_views() -> dict[str, type]:
    found = {}
    for name, route, callback in walk(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None)
        if view_class is not None and issubclass(view_class, ScopedFormView) and "<int:pk>" in route:
            found[name] = view_class
    return found


# -- the objects of the edit pages, each as its user would meet it --------------------------------------------------
def enterprise_case():
    from zhaoshang.catalog.models import KeyIndustry
    from zhaoshang.investors import services

    actor = persona("lufeng_officer")
    enterprise = services.enterprise_create(
        actor=actor,
        name="云南回填测试新材料有限公司",
        hq_province="云南",
        hq_city="昆明",
        former_names="云南回填测试材料厂",
        key_industry=KeyIndustry.objects.order_by("sort_order").first(),
        industry_text="稀贵金属新材料",
        website="https://example.com",
        notes="第一行\n第二行",
        size="large",
    )
    return "lufeng_officer", f"/enterprises/{enterprise.pk}/edit/", enterprise


def follow_up_case():
    from zhaoshang.investors import services

    enterprise = services.enterprise_create(actor=persona("lufeng_officer"), name="云南尚无专人盯科技有限公司")
    return "lufeng_officer", f"/enterprises/{enterprise.pk}/follow-up/", enterprise


def activity_case():
    from zhaoshang.investors import services
    from zhaoshang.investors.choices import ActivityKind, LeaderLevel

    actor = persona("lufeng_officer")
    activity = services.activity_create(
        actor=actor,
        kind=ActivityKind.TRIP,
        title="赴深圳开展新能源电池产业招商",
        start_on=date(2025, 3, 10),
        end_on=date(2025, 3, 12),
        destination_province="广东",
        destination_city="深圳",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
        outcome="达成合作意向\n拟赴禄丰考察",
        follow_up_on=date(2025, 4, 30),
        enterprises=[services.enterprise_get_or_create(actor=actor, name="广东海川电池材料有限公司")],
    )
    return "lufeng_officer", f"/activities/{activity.pk}/edit/", activity


def project_case():
    from zhaoshang.projects import services

    project = services.project_create(
        actor=persona("lufeng_officer"),
        name="禄丰钛材深加工项目",
        investor_name="云南钛业股份有限公司",
        county=Region.objects.get(code="532302"),
        park=Park.objects.get(code=LUFENG_PARK),
        on=date(2024, 1, 5),
        description="建设年产2万吨钛材深加工生产线\n配套研发中心",
        agreed_investment_wan=Decimal("60000"),
        land_mu=Decimal("120"),
        expected_annual_tax_wan=Decimal("1500"),
        jobs=300,
        source_province="江苏",
        responsible_person="李华",
    )
    return "lufeng_officer", f"/projects/{project.pk}/edit/", project


def park_case():
    park = Park.objects.get(code=LUFENG_PARK)
    assert park.approved_on is not None  # the reference data carries the date the page must keep
    return "chuxiong_officer", f"/parks/{park.pk}/edit/", park


def target_case():
    from zhaoshang.stats.services import target_set

    target = target_set(
        actor=persona("province_admin"),
        year=2025,
        region=Region.objects.get(code="532300"),
        indicator="funds_outside_province",
        value=Decimal("1200000"),
        unit="万元",
        source="省政府下达",
    )
    return "province_admin", f"/stats/targets/{target.pk}/edit/", target


def user_roles_case():
    return "security_admin", f"/accounts/users/{persona('lufeng_officer').pk}/roles/", persona("lufeng_officer")


def user_move_case():
    return "security_admin", f"/accounts/users/{persona('lufeng_officer').pk}/org/", persona("lufeng_officer")


def chain_draft():
    from zhaoshang.chains.models import IndustryChain
    from zhaoshang.chains.services import chain_draft_create, chains_load_shipped

    chains_load_shipped(actor=None)
    current = IndustryChain.objects.current().get(code="green_silicon")
    return chain_draft_create(actor=persona("province_admin"), chain=current, revision_note="第一行说明")


def chain_case():
    draft = chain_draft()
    return "province_admin", f"/chains/{draft.pk}/edit/", draft


def chain_node_case():
    node = chain_draft().nodes.get(key="metal_si_smelt")
    assert "\n" in node.keywords and node.exclude_words  # lines and exclusions the page must keep
    return "province_admin", f"/chains/nodes/{node.pk}/edit/", node


def chain_weights_case():
    from zhaoshang.chains.models import IndustryChain
    from zhaoshang.chains.targeting_services import targeting_weights_set

    current = chain_draft().based_on or IndustryChain.objects.current().get(code="green_silicon")
    weights = {"fit": 0.4, "signals": 0.2, "presence": 0.15, "scale": 0.15, "proximity": 0.1}
    chain = targeting_weights_set(actor=persona("province_admin"), chain=current, weights=weights)
    return "province_admin", f"/chains/{chain.pk}/weights/", chain


def risk_rule_case():
    from zhaoshang.risk.models import RiskRule

    rule = RiskRule.objects.get(code="no_funds")
    assert rule.params == {"months": 3}  # parameters the page must give back as they are
    return "province_admin", f"/risk/rules/{rule.pk}/", rule


EDIT_CASES = {
    "risk:rule_edit": risk_rule_case,
    "investors:enterprise_update": enterprise_case,
    "investors:enterprise_follow_up": follow_up_case,
    "investors:activity_update": activity_case,
    "projects:project_update": project_case,
    "regions:park_update": park_case,
    "stats:target_update": target_case,
    "accounts:user_roles": user_roles_case,
    "accounts:user_move": user_move_case,
    "chains:chain_update": chain_case,
    "chains:node_update": chain_node_case,
    "chains:weights": chain_weights_case,
}
IGNORED = {"updated_at", "updated_by", "last_login"}


def state(obj) -> dict:
    """Every stored field of the object and its many-to-many links (who last saved it and when excepted)."""
    obj = type(obj).objects.get(pk=obj.pk)
    data = {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in IGNORED}
    data.update(
        {k: sorted(getattr(v, "pk", v) for v in vs) for k, vs in model_to_dict(obj).items() if isinstance(vs, list)}
    )
    for link in ("enterprise_links", "groups"):
        if hasattr(obj, link):
            data[link] = sorted(str(row) for row in getattr(obj, link).all())
    return data


def test_every_form_page_about_one_object_is_an_edit_with_a_round_trip_case_or_a_named_action():
    views = object_form_views()
    edits = {name for name, view in views.items() if getattr(view, "edits_object", False)}
    assert edits == set(EDIT_CASES)
    assert set(views) - edits == set(ACTION_VIEWS)


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_saving_an_edit_form_unchanged_changes_nothing(client, name):
    who, url, obj = EDIT_CASES[name]()
    before = state(obj)
    client.force_login(persona(who))
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, browser_form_values(page.content.decode(), url))
    errors = response.context["form"].errors if response.status_code == 200 and response.context else None
    assert response.status_code == 302, errors
    assert state(obj) == before
