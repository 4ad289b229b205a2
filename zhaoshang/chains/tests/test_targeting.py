"""靶向寻商: the score's factors, hard filters, explanations, determinism, acting on a candidate and its outcome,
signals (entry and the all-or-nothing import), weights as data, and the scope of outcomes."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from zhaoshang.chains import targeting
from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.choices import OutcomeStatus, SignalKind
from zhaoshang.chains.models import Signal, TargetOutcome
from zhaoshang.chains.selectors import area_of
from zhaoshang.chains.targeting_reports import conversion_report
from zhaoshang.chains.targeting_selectors import targeting_for
from zhaoshang.chains.tests.world import YEAR, make_enterprise, node, place_world
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region

TODAY = date(YEAR, 12, 1)


def lufeng():
    return Region.objects.get(code="532302")


def ranked(world, **kwargs):
    return targeting_for(chain=world.silicon, area=area_of(lufeng()), year=YEAR, today=TODAY, **kwargs)


def by_name(t):
    return {c.facts.name: c for c in t.candidates}


# -- the pure score ------------------------------------------------------------------------------------------------
def grade(pk, g, key=False):
    return targeting.NodeGrade(pk, f"节点{pk}", g, key, "")


def test_fit_takes_the_best_node_and_a_key_link_counts_more():
    weights = targeting.weights_for({})
    facts = targeting.CandidateFacts(enterprise_id=1, name="甲", node_ids=(1, 2))
    grades = {1: grade(1, "strong"), 2: grade(2, "weak", key=True)}
    c = targeting.score(facts, grades=grades, weights=weights, today=TODAY)
    assert c.factor("fit").value == pytest.approx(0.96)  # 薄弱 0.8 × 1.2 for a key link
    assert c.factor("fit").evidence == "补强薄弱环节：节点2（关键环节）"


def test_signals_decay_with_age_and_a_closed_subsidiary_counts_against():
    weights = targeting.weights_for({})
    fresh = targeting.SignalFact("expansion", "扩产", TODAY, "公告")
    old = targeting.SignalFact("expansion", "扩产", TODAY - timedelta(days=365), "公告")
    closed = targeting.SignalFact("closed_subsidiary", "注销子公司", TODAY, "工商")
    value = targeting.signals_factor((fresh,), weights["signals"], TODAY).value
    assert value == pytest.approx(0.8)
    assert targeting.signals_factor((old,), weights["signals"], TODAY).value == pytest.approx(0.4)
    assert targeting.signals_factor((fresh, closed), weights["signals"], TODAY).value == pytest.approx(0.3)
    assert targeting.signals_factor((closed,), weights["signals"], TODAY).value == 0


def test_ties_are_ranked_by_enterprise_id_whatever_the_input_order():
    weights = targeting.weights_for({})
    cands = [
        targeting.score(
            targeting.CandidateFacts(enterprise_id=pk, name=str(pk)), grades={}, weights=weights, today=TODAY
        )
        for pk in (5, 3, 9)
    ]
    assert [c.facts.enterprise_id for c in targeting.rank(cands)] == [3, 5, 9]


# -- candidates of a region ----------------------------------------------------------------------------------------
def test_lufeng_gets_the_makers_of_its_empty_key_link_first_with_reasons_in_chinese(world):
    t = ranked(world)
    names = by_name(t)
    glass = names["曲靖测试光伏玻璃有限公司"]
    assert glass.factor("fit").evidence.startswith("填补空白环节：")
    assert "光伏玻璃" in glass.factor("fit").evidence
    assert any(r.startswith("集团已在云南投资1个项目（曲靖市1个）") for r in glass.reasons)
    assert all(isinstance(r, str) and r for c in t.candidates for r in c.reasons)
    # the best candidates fill an empty node, before those that only grow a present one
    top = t.candidates[0]
    assert top.factor("fit").value >= max(c.factor("fit").value for c in t.candidates)


def test_an_enterprise_already_on_the_node_in_the_region_stays_marked_for_expansion(world):
    longji = by_name(ranked(world))["隆基测试绿能有限公司"]
    assert longji.expansion
    assert longji.reasons[0] == "已在本地区该环节布局，可争取增资扩产"


def test_dishonest_and_deregistered_enterprises_are_filtered_out_with_the_reason(world):
    from zhaoshang.investors.choices import CreditStatus

    glass = world.enterprises["glass"]
    glass.credit_status = CreditStatus.DISHONEST
    glass.save()
    services.signal_create(
        actor=persona("province_admin"),
        enterprise=world.enterprises["flat"],
        kind=SignalKind.DEREGISTERED,
        on=date(YEAR, 6, 1),
        source="国家企业信用信息公示系统",
    )
    t = ranked(world)
    assert "曲靖测试光伏玻璃有限公司" not in by_name(t) and "福莱特测试玻璃集团" not in by_name(t)
    reasons = {f.name: f.reason for f in t.filtered}
    assert "失信" in reasons["曲靖测试光伏玻璃有限公司"]
    assert "注销" in reasons["福莱特测试玻璃集团"]


def test_a_node_the_admission_rules_refuse_takes_its_only_candidates_out(chains):
    """电解铝 is a severe-overcapacity industry: a new plant is refused, so its makers are not targets for it."""
    aluminium = chains["green_aluminium"]
    smelter = make_enterprise("测试电解铝冶炼有限公司", notes="主营电解铝、铝液")
    place_world({"smelter": smelter})
    t = targeting_for(chain=aluminium, area=area_of(lufeng()), year=YEAR, today=TODAY)
    reasons = {f.name: f.reason for f in t.filtered}
    assert smelter.name in reasons and "准入" in reasons[smelter.name]


def test_a_node_filter_keeps_the_candidates_of_its_subtree(world):
    glass_node = node(world.silicon, "pv_glass")
    t = ranked(world, node=glass_node)
    assert set(by_name(t)) >= {"曲靖测试光伏玻璃有限公司", "福莱特测试玻璃集团"}
    assert "合盛测试硅业有限公司" not in by_name(t)


def test_the_same_data_gives_the_same_ranking(world):
    first, second = ranked(world).payload(), ranked(world).payload()
    assert first == second


def test_a_signal_lifts_a_candidate_and_shows_in_its_reasons(world):
    before = by_name(ranked(world))["福莱特测试玻璃集团"].score
    services.signal_create(
        actor=persona("lufeng_officer"),
        enterprise=world.enterprises["flat"],
        kind=SignalKind.PLANNED_PROJECT,
        on=date(YEAR, 11, 1),
        source="企业公告",
        evidence="拟在西南新建光伏玻璃基地",
    )
    after = by_name(ranked(world))["福莱特测试玻璃集团"]
    assert after.score > before
    assert "拟建项目（2025-11，拟在西南新建光伏玻璃基地）" in after.factor("signals").evidence


def test_weights_are_data_per_chain_and_must_sum_to_one(world):
    admin = persona("province_admin")
    with pytest.raises(ValidationError):
        services.targeting_weights_set(actor=admin, chain=world.silicon, weights={"fit": 0.9, "signals": 0.9})
    services.targeting_weights_set(
        actor=admin,
        chain=world.silicon,
        weights={"fit": 0, "signals": 0, "presence": 0, "scale": 1, "proximity": 0},
    )
    world.silicon.refresh_from_db()
    t = ranked(world)
    assert t.weights["scale"] == 1
    assert t.candidates[0].factor("scale").value == max(c.factor("scale").value for c in t.candidates)
    assert t.candidates[0].score == t.candidates[0].factor("scale").value


# -- acting on a candidate -----------------------------------------------------------------------------------------
def test_following_creating_a_lead_and_the_outcome_shown_next_time(world):
    from zhaoshang.projects.models import Project

    officer = persona("lufeng_officer")
    flat = world.enterprises["flat"]
    services.candidate_follow(actor=officer, region=lufeng(), enterprise=flat, owner=officer, chain=world.silicon)
    flat.refresh_from_db()
    assert flat.owner == officer
    project = services.candidate_create_lead(
        actor=officer,
        region=lufeng(),
        enterprise=flat,
        chain=world.silicon,
        name="福莱特禄丰光伏玻璃项目",
        county=lufeng(),
        on=date(YEAR, 11, 20),
        land_mu=300,
        agreed_investment_wan=150000,
    )
    assert Project.objects.for_user(officer).filter(pk=project.pk, stage="lead", investor=flat).exists()
    t = targeting_for(chain=world.silicon, area=area_of(lufeng()), year=YEAR, today=TODAY, user=officer)
    row = next(r for r in t.payload() if r["enterprise"] == flat.name)
    assert row["outcome"] == "在谈"
    report = conversion_report(user=officer)
    assert report == [
        {
            "region": "禄丰市",
            "code": "532302",
            "candidates": 1,
            "contacting": 0,
            "declined": 0,
            "negotiating": 1,
            "signed": 0,
            "leads": 1,
            "projects": 0,
            "lead_rate": 100.0,
        }
    ]


def test_a_visit_planned_with_a_candidate_goes_to_its_headquarters_or_else_to_the_region(world):
    officer = persona("lufeng_officer")
    away = make_enterprise("江苏拜访测试光伏有限公司", hq_province="江苏", hq_city="无锡")
    unknown = make_enterprise("总部未知拜访测试有限公司")
    for enterprise in (away, unknown):
        outcome = services.candidate_plan_activity(
            actor=officer, region=lufeng(), enterprise=enterprise, kind="trip", title=f"拜访{enterprise.name}",
            start_on=date(YEAR, 11, 25), leader_level="county_head", chain=world.silicon,
        )  # fmt: skip
        assert outcome.status == OutcomeStatus.CONTACTING and outcome.activity.enterprises.filter(pk=enterprise.pk)
    assert (away.activities.get().destination_province, away.activities.get().destination_city) == ("江苏", "无锡")
    assert unknown.activities.get().destination_region == lufeng()


def test_an_officer_cannot_record_an_outcome_for_another_county(world):
    with pytest.raises(OutOfScope):
        services.outcome_record(
            actor=persona("kunming_officer"),
            region=lufeng(),
            enterprise=world.enterprises["flat"],
            status=OutcomeStatus.CONTACTING,
        )
    assert not TargetOutcome.objects.exists()


def test_outcomes_of_lufeng_are_404_for_kunming(client, world):
    from zhaoshang.core.testing import client_for

    services.outcome_record(
        actor=persona("lufeng_officer"), region=lufeng(), enterprise=world.enterprises["flat"], status="contacting"
    )
    assert client_for(client, "lufeng_officer").get("/chains/targeting/outcomes/?region=532302").status_code == 200
    kunming = client_for(client, "kunming_officer")
    assert kunming.get("/chains/targeting/outcomes/?region=532302").status_code == 404
    assert kunming.get(f"/chains/targeting/?region=532302&chain={world.silicon.pk}").status_code == 404
    assert kunming.get("/api/v1/targeting/?region=532302&chain=绿色硅").status_code == 404
    assert kunming.get("/chains/targeting/report/").content.decode().count("禄丰") == 0


# -- signals import ------------------------------------------------------------------------------------------------
def workbook(rows) -> bytes:
    book = load_workbook(io.BytesIO(services.signals_template()))
    sheet = book.worksheets[0]
    for row in range(sheet.max_row, 1, -1):
        sheet.delete_rows(row)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_signal_import_writes_nothing_when_one_row_is_wrong(world):
    admin = persona("province_admin")
    bad = workbook(
        [
            ["福莱特测试玻璃集团", "", "扩产", "2025-05-01", "企业公告", "扩建压延玻璃窑炉"],
            ["不存在的企业有限公司", "", "融资", "2025-05-01", "新闻", ""],
            ["隆基测试绿能有限公司", "", "不知道", "2025-05-01", "新闻", ""],
        ]
    )
    report = services.signals_import(actor=admin, content=bad)
    assert not report.ok and not Signal.objects.exists()
    assert any(e.startswith("第3行") and "企业库中没有" in e for e in report.errors) or any(
        e.startswith("第4行") for e in report.errors
    )
    good = workbook([["福莱特测试玻璃集团", "", "扩产", "2025-05-01", "企业公告", "扩建压延玻璃窑炉"]])
    report = services.signals_import(actor=admin, content=good)
    assert report.ok and Signal.objects.get().kind == SignalKind.EXPANSION


def test_the_ranking_score_is_the_explained_score(world):
    """The list is ranked by ``quick_score`` and explained by ``score``: the two must agree for every candidate."""
    services.signal_create(
        actor=persona("province_admin"),
        enterprise=world.enterprises["hesheng"],
        kind=SignalKind.FINANCING,
        on=date(YEAR, 3, 1),
        source="公告",
    )
    t = ranked(world)
    assert t.count >= 5
    for index, (quick, facts) in enumerate(t.ranked):
        assert t.candidate(index).score == quick, facts.name


# -- the ranking kept per process ------------------------------------------------------------------------------------
def test_the_ranking_is_kept_over_a_sign_in_and_made_again_after_a_write(world):
    from zhaoshang.chains.targeting_selectors import _RANKINGS
    from zhaoshang.core.audit import audit_record
    from zhaoshang.core.choices import Action

    first = ranked(world)
    assert len(_RANKINGS) == 1
    audit_record(actor=persona("lufeng_officer"), action=Action.LOGIN, object_type="accounts.User")
    assert ranked(world).ranked is first.ranked  # a sign-in changes no data: the same ranking
    flat = world.enterprises["flat"]
    before = by_name(first)[flat.name].score
    services.signal_create(
        actor=persona("province_admin"), enterprise=flat, kind=SignalKind.EXPANSION, on=TODAY, source="测试"
    )
    again = ranked(world)
    assert again.ranked is not first.ranked
    assert by_name(again)[flat.name].score > before


@pytest.mark.django_db
def test_the_menus_targeting_link_answers_before_any_chain_is_loaded(client):
    """The menu links to /chains/targeting/ without a chain; on a platform with no chain loaded yet it said 404."""
    from zhaoshang.core.testing import client_for

    page = client_for(client, "province_admin").get("/chains/targeting/")
    assert page.status_code == 200 and "尚未载入产业链" in page.content.decode()


def _same(kept, afresh):
    """Two rankings are the same: order, scores, every candidate's facts, and the filtered with their reasons."""
    assert [(score, f.enterprise_id) for score, f in kept.ranked] == [
        (score, f.enterprise_id) for score, f in afresh.ranked
    ]
    assert [f for _, f in kept.ranked] == [f for _, f in afresh.ranked]
    assert [(x.enterprise_id, x.reason) for x in kept.filtered] == [
        (x.enterprise_id, x.reason) for x in afresh.filtered
    ]
    assert kept.payload() == afresh.payload()


def afresh(world):
    from zhaoshang.chains.targeting_selectors import _RANKINGS

    _RANKINGS.clear()
    return ranked(world)


def test_after_writes_the_kept_ranking_reads_only_the_touched_candidates_and_equals_a_fresh_one(world):
    """Issue 16 leftovers: a write no longer ranks every candidate afresh. The enterprises the writes touched (a
    signal, an enterprise's province, a listing, a project ended, an activity that met one) are read again; every other
    candidate keeps its facts (the same objects); the result is exactly what ranking afresh gives."""
    from zhaoshang.chains.targeting_selectors import _RANKINGS
    from zhaoshang.investors.services import activity_create, enterprise_set_tag, enterprise_update
    from zhaoshang.projects.services import project_advance

    admin = persona("province_admin")
    e, p = world.enterprises, world.projects
    first = ranked(world)
    kept_facts = {f.enterprise_id: f for _, f in first.ranked}
    services.signal_create(actor=admin, enterprise=e["flat"], kind=SignalKind.EXPANSION, on=TODAY, source="测试")
    enterprise_update(actor=admin, enterprise=e["glass"], name=e["glass"].name, hq_province="云南")
    enterprise_set_tag(actor=admin, enterprise=e["lufeng_si"], kind="listed", code="600000")
    project_advance(actor=admin, project=p["lufeng_lead"], to="terminated", on=date(YEAR, 11, 1), note="企业放弃")
    activity_create(
        actor=admin,
        kind="online",
        title="网络洽谈",
        start_on=date(YEAR, 11, 20),
        destination_region=lufeng(),
        enterprises=[e["longji"]],
    )
    kept = ranked(world)
    touched = {e[k].pk for k in ("flat", "glass", "lufeng_si", "kunming_module", "longji")}
    assert {f.enterprise_id for _, f in kept.ranked} - touched  # some candidates were not touched
    for _, f in kept.ranked:
        if f.enterprise_id not in touched:
            assert f is kept_facts[f.enterprise_id], f.name  # not read again
    assert len(_RANKINGS) == 1
    _same(kept, afresh(world))
    assert by_name(kept)[e["flat"].name].score > by_name(first)[e["flat"].name].score


def test_a_write_that_cannot_be_tied_to_enterprises_ranks_afresh(world):
    from zhaoshang.chains.models import ChainNode
    from zhaoshang.core.audit import audit_record
    from zhaoshang.core.choices import Action

    first = ranked(world)
    node_row = ChainNode.objects.filter(chain=world.silicon).first()
    audit_record(actor=persona("province_admin"), action=Action.UPDATE, obj=node_row)  # a chain's node: not tied
    again = ranked(world)
    assert again.ranked[0][1] is not first.ranked[0][1]  # every candidate read again
    _same(again, afresh(world))


def test_after_a_signal_alone_the_diagnosis_is_not_asked_again_and_the_ranking_equals_a_fresh_one(world):
    first = ranked(world)
    services.signal_create(
        actor=persona("province_admin"),
        enterprise=world.enterprises["hesheng"],
        kind=SignalKind.PLANNED_PROJECT,
        on=TODAY,
        source="测试",
    )
    kept = ranked(world)
    assert kept.grades is first.grades  # a signal moves no figure of the diagnosis
    assert kept.ranked is not first.ranked
    _same(kept, afresh(world))


def test_planning_a_trip_from_the_candidate_page_asks_for_the_leader_level_and_then_records_it(client, world):
    from zhaoshang.core.testing import client_for

    officer = client_for(client, "lufeng_officer")
    flat = world.enterprises["flat"]
    url = f"/chains/targeting/candidates/{flat.pk}/?region=532302&chain={world.silicon.pk}"
    typed = {"act": "activity", "activity-kind": "trip", "activity-title": "拜访福莱特"}
    typed["activity-start_on"] = f"{YEAR}-11-25"
    refused = officer.post(url, typed)
    assert refused.status_code == 400 and "外出招商和会见客商须填写领导级别" in refused.content.decode()
    assert 'value="拜访福莱特"' in refused.content.decode(), "the form keeps what was typed"
    assert officer.post(url, typed | {"activity-leader_level": "county_head"}).status_code == 302
    assert flat.activities.get().title == "拜访福莱特"
