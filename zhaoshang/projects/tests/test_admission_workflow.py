"""Issue 6 part 4: admission (准入) in the project workflow — live classification and verdict on the form, 不招
blocks saving unless an authorised user records an override with a reason, 慎招 saves and is flagged."""

from decimal import Decimal

import pytest

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.core.models import AppendOnlyError, AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import AdmissionDecision, Project

D = Decimal
pytestmark = pytest.mark.django_db

CEMENT = "新建日产4000吨水泥熟料生产线"
TOPCON = "年产10GW N型TOPCon电池片"
TRADE_CENTRE = ("禄丰大宗商品贸易结算中心", "在当地注册贸易结算中心，开展大宗商品过账贸易")


def form_data(county, name, **extra):
    data = {
        "name": name,
        "investor_name": "云南某某建材有限公司",
        "county": county.pk,
        "agreed_investment_wan": "80000",
        "currency": "CNY",
        "on": "2024-01-10",
    }
    data.update(extra)
    return data


def api_payload(name, **extra):
    return {"name": name, "investor_name": "云南某某建材有限公司", "county": "532302", "on": "2024-01-10"} | extra


# -- 不招 blocks saving -------------------------------------------------------------------------------------------
def test_the_cement_clinker_line_is_blocked_on_the_page_with_the_overcapacity_rule_named(as_persona, lufeng):
    client = as_persona("lufeng_officer")
    response = client.post("/projects/new/", form_data(lufeng, CEMENT))
    assert response.status_code == 200
    assert not Project.objects.filter(name=CEMENT).exists()
    form = response.context["form"]
    errors = " ".join(form.non_field_errors())
    assert "不招" in errors and "产能严重过剩行业（水泥" in errors and "一律不招" in errors
    assert form["name"].value() == CEMENT  # the form keeps what was typed
    html = response.content.decode()
    assert 'data-rule="overcapacity"' in html and 'id="admission-blocked"' in html
    assert "admission_override_reason" not in form.fields  # a county officer may not override


def test_the_cement_clinker_line_is_refused_by_the_api_with_409_and_the_reasons(as_persona):
    response = as_persona("lufeng_officer").post(
        "/api/v1/projects/", api_payload(CEMENT), content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["verdict"] == "reject" and body["rules"] == ["overcapacity"]
    assert "不招" in body["detail"] and any("水泥熟料" in reason for reason in body["reasons"])
    assert not Project.objects.filter(name=CEMENT).exists()


def test_chuxiong_officer_overrides_the_reject_with_a_reason_on_the_page_and_it_is_audited(as_persona, lufeng):
    client = as_persona("chuxiong_officer")
    blocked = client.post("/projects/new/", form_data(lufeng, CEMENT))
    assert blocked.status_code == 200
    assert "请填写放行决定理由" in " ".join(blocked.context["form"].errors["admission_override_reason"])

    reason = "已落实省内等量产能置换方案（置换指标来源：某水泥厂关停2500吨/日生产线），经州政府常务会研究同意"
    response = client.post("/projects/new/", form_data(lufeng, CEMENT, admission_override_reason=reason))
    project = Project.objects.get(name=CEMENT)
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/"
    assert (project.admission_verdict, project.admission_rules) == ("reject", ["overcapacity"])
    assert project.needs_collective_decision is False
    decision = project.admission_decisions.get()
    assert decision.overridden and decision.reason == reason and decision.decided_by == persona("chuxiong_officer")
    assert decision.rules == ["overcapacity"] and any("水泥" in r for r in decision.reasons)
    audit = AuditLog.objects.get(action="admission_override", object_id=str(project.pk))
    assert audit.actor_name == "chuxiong_officer" and audit.after["reason"] == reason

    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="override-badge"' in detail and reason in detail and "决定放行" in detail


def test_chuxiong_officer_overrides_through_the_api(as_persona):
    payload = api_payload(CEMENT, admission_override_reason="产能置换方案已经省工信厅公示")
    response = as_persona("chuxiong_officer").post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["admission_verdict"] == "reject" and body["admission_rules"] == ["overcapacity"]
    assert "admission_override_reason" not in body
    assert AdmissionDecision.objects.get(project_id=body["id"]).reason == "产能置换方案已经省工信厅公示"
    assert AuditLog.objects.filter(action="admission_override", object_id=str(body["id"])).count() == 1


def test_lufeng_officer_cannot_override(as_persona, lufeng):
    client = as_persona("lufeng_officer")
    typed = form_data(lufeng, CEMENT, admission_override_reason="县里很需要这个项目")
    response = client.post("/projects/new/", typed)  # the field is not on the form: the reason is ignored
    assert response.status_code == 200 and "不招" in " ".join(response.context["form"].non_field_errors())

    payload = api_payload(CEMENT, admission_override_reason="县里很需要这个项目")
    response = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 409
    assert "没有放行" in response.json()["detail"] and response.json()["rules"] == ["overcapacity"]
    with pytest.raises(services.AdmissionRejected):
        services.project_create(
            actor=persona("lufeng_officer"),
            name=CEMENT,
            investor_name="云南某某建材有限公司",
            county=lufeng,
            on=lufeng_today(),
            admission_override_reason="县里很需要这个项目",
        )
    assert not Project.objects.filter(name=CEMENT).exists() and not AdmissionDecision.objects.exists()
    assert not AuditLog.objects.filter(action="admission_override").exists()


def lufeng_today():
    from django.utils import timezone

    return timezone.localdate()


def test_an_override_covers_later_edits_while_the_same_rules_fire_but_a_new_reject_is_blocked(lufeng, chuxiong):
    project = services.project_create(
        actor=chuxiong,
        name=CEMENT,
        investor_name="云南某某建材有限公司",
        county=lufeng,
        on=lufeng_today(),
        admission_override_reason="产能置换方案已批复",
    )
    officer = persona("lufeng_officer")
    project = services.project_update(actor=officer, project=project, name=CEMENT, county=lufeng, jobs=300)
    assert project.jobs == 300 and project.admission_decisions.count() == 1
    with pytest.raises(services.AdmissionRejected) as caught:  # a rule that the decision did not cover
        services.project_update(
            actor=officer,
            project=project,
            name=CEMENT,
            county=lufeng,
            land_mu=D("500"),
            agreed_investment_wan=D("1000"),
        )
    assert caught.value.admission.rules == ["overcapacity", "intensity"]
    assert Project.objects.get(pk=project.pk).land_mu is None


def test_an_edit_that_turns_a_project_into_a_reject_is_blocked_by_the_api(as_persona, make_project):
    project = make_project(name="禄丰建材项目")
    response = as_persona("lufeng_officer").patch(
        f"/api/v1/projects/{project.pk}/", {"name": CEMENT}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["rules"] == ["overcapacity"]
    assert Project.objects.get(pk=project.pk).name == "禄丰建材项目"


# -- the live panel -----------------------------------------------------------------------------------------------
def test_topcon_is_classified_green_silicon_with_evidence_on_the_live_partial_and_saves(as_persona, lufeng):
    client = as_persona("lufeng_officer")
    response = client.post("/projects/new/admission/", {"name": TOPCON, "county": lufeng.pk, "key_industry": ""})
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["projects/_admission_panel.html"]
    context, html = response.context, response.content.decode()
    assert context["admission"].verdict == "pass" and context["admission"].industries[0]["name"] == "绿色硅"
    assert {"topcon", "电池片", "n型"} <= set(context["admission"].industries[0]["evidence"])
    assert 'data-verdict="pass"' in html and "绿色硅" in html and "topcon、电池片" in html.lower()
    green_silicon = KeyIndustry.objects.get(name="绿色硅")
    assert context["suggested_industry"] == green_silicon
    assert f'data-fill-value="{green_silicon.pk}"' in html and "采用建议产业：绿色硅" in html
    assert 'data-code="3825"' in html  # suggested GB/T 4754 small class (光伏设备及元器件制造)

    filled = client.post("/projects/new/admission/", {"name": TOPCON, "key_industry": green_silicon.pk})
    assert "use-suggested-industry" not in filled.content.decode()  # only offered while the field is empty

    response = client.post("/projects/new/", form_data(lufeng, TOPCON, key_industry=green_silicon.pk))
    project = Project.objects.get(name=TOPCON)
    assert response.status_code == 302
    assert (project.admission_verdict, project.needs_collective_decision) == ("pass", False)
    assert not project.admission_decisions.exists()


def test_the_panel_uses_land_tax_and_the_county_threshold(as_persona, lufeng):
    typed = {
        "name": "禄丰新型建材产业园",
        "county": lufeng.pk,
        "agreed_investment_wan": "3000",
        "land_mu": "300",
        "expected_annual_tax_wan": "150",
    }
    context = as_persona("lufeng_officer").post("/projects/new/admission/", typed).context
    assert context["admission"].verdict == "reject"
    assert {"intensity", "tax_per_mu"} <= set(context["admission"].rules)
    assert any("10.00 万元/亩" in reason for reason in context["admission"].reasons)


def test_an_empty_name_shows_the_hint_and_junk_numbers_are_ignored(as_persona):
    client = as_persona("lufeng_officer")
    response = client.post("/projects/new/admission/", {"name": "", "land_mu": "abc"})
    assert response.status_code == 200 and 'id="admission-hint"' in response.content.decode()
    response = client.post("/projects/new/admission/", {"name": TOPCON, "land_mu": "abc"})
    assert response.context["admission"].verdict == "pass"


def test_the_edit_form_shows_the_saved_projects_check_and_its_preview_is_scoped(as_persona, make_project):
    project = make_project(name=TOPCON)
    client = as_persona("lufeng_officer")
    page = client.get(f"/projects/{project.pk}/edit/")
    assert page.context["admission"].industries[0]["name"] == "绿色硅"
    assert f'hx-post="/projects/{project.pk}/edit/admission/"' in page.content.decode()
    assert client.post(f"/projects/{project.pk}/edit/admission/", {"name": CEMENT}).context["admission"].verdict == (
        "reject"
    )
    assert (
        as_persona("kunming_officer").post(f"/projects/{project.pk}/edit/admission/", {"name": "x"}).status_code == 404
    )
    assert as_persona("leader_province").post("/projects/new/admission/", {"name": "x"}).status_code == 403
    assert as_persona(None).post("/projects/new/admission/", {"name": "x"}).status_code == 302
    assert as_persona("lufeng_officer").get("/projects/new/admission/").status_code == 405


# -- 慎招 is saved and flagged --------------------------------------------------------------------------------------
def test_a_cautious_project_saves_is_flagged_for_collective_decision_and_recorded(as_persona, lufeng, make_project):
    make_project(name=TOPCON)
    client = as_persona("lufeng_officer")
    name, description = TRADE_CENTRE
    response = client.post("/projects/new/", form_data(lufeng, name, description=description))
    project = Project.objects.get(name=name)
    assert response.status_code == 302
    assert (project.admission_verdict, project.admission_rules) == ("review", ["short_term_gdp"])
    assert project.needs_collective_decision is True and project.description == description
    decision = project.admission_decisions.get()
    assert (decision.verdict, decision.overridden, decision.decided_by.username) == ("review", False, "lufeng_officer")
    assert AuditLog.objects.filter(action="admission_review", object_id=str(project.pk)).exists()
    assert [p.name for p in Project.objects.needing_collective_decision()] == [name]

    listing = client.get("/projects/?collective=1")
    assert [p["name"] for p in listing.context["object_list"]] == [name]
    assert "collective-badge" in listing.content.decode()
    assert TOPCON in [p["name"] for p in client.get("/projects/?collective=0").context["object_list"]]
    assert [p["name"] for p in client.get("/projects/?admission_verdict=review").context["object_list"]] == [name]
    assert 'id="collective-badge"' in client.get(f"/projects/{project.pk}/").content.decode()

    services.project_update(
        actor=persona("lufeng_officer"), project=project, name=name, county=lufeng, description=description, jobs=5
    )
    assert project.admission_decisions.count() == 1  # the same verdict is not recorded twice

    api = client.get("/api/v1/projects/?needs_collective_decision=true").json()
    assert [row["name"] for row in api["results"]] == [name]
    assert api["results"][0]["admission_verdict"] == "review"


def test_admission_decisions_are_append_only(lufeng, chuxiong):
    project = services.project_create(
        actor=chuxiong,
        name=CEMENT,
        investor_name="云南某某建材有限公司",
        county=lufeng,
        on=lufeng_today(),
        admission_override_reason="产能置换方案已批复",
    )
    decision = project.admission_decisions.get()
    decision.reason = "改掉理由"
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        AdmissionDecision.objects.filter(pk=decision.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        decision.delete()


def test_only_the_province_admin_and_prefecture_officers_hold_the_override_permission():
    holders = {name for name in ("province_admin", "chuxiong_officer", "kunming_officer", "lufeng_officer")}
    allowed = {name for name in holders if persona(name).has_perm("projects.override_admission")}
    assert allowed == {"province_admin", "chuxiong_officer", "kunming_officer"}
