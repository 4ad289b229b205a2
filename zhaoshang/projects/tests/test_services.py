"""Every lifecycle rule, agreement rule and 甄别 rule of DOMAIN.md, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import AgreementKind, Stage
from zhaoshang.projects.models import Project, ProjectTransition
from zhaoshang.projects.services import IllegalTransition

D = Decimal
pytestmark = pytest.mark.django_db


def advance(project, to, on, actor, note=""):
    return services.project_advance(project=project, to=to, actor=actor, on=on, note=note)


# --- lifecycle -------------------------------------------------------------------------------------------------


def test_a_new_project_is_a_lead_with_its_first_transition_and_an_audit_row(make_project, officer, lufeng):
    project = make_project()
    assert (project.stage, project.stage_on, project.path) == (Stage.LEAD, date(2024, 1, 5), lufeng.path)
    row = project.transitions.get()
    assert (row.from_stage, row.to_stage, row.actor) == ("", Stage.LEAD, officer)
    assert AuditLog.objects.filter(action="create", object_id=str(project.pk), actor=officer).exists()


def test_a_project_in_a_park_takes_the_parks_path(make_project, lufeng_park):
    assert make_project(park=lufeng_park).path == lufeng_park.path


def test_a_park_of_another_county_is_refused(make_project, kunming_county):
    from zhaoshang.regions.models import Park

    with pytest.raises(ValidationError, match="不属于"):
        make_project(park=Park.objects.get(code="G531042"))


def test_each_step_is_dated_with_actor_and_note_and_audited(make_project, officer):
    project = advance(make_project(), Stage.NEGOTIATING, date(2024, 2, 1), officer, note="首次洽谈")
    step = project.transitions.order_by("id").last()
    assert (step.from_stage, step.to_stage, step.on, step.actor, step.note) == (
        Stage.LEAD,
        Stage.NEGOTIATING,
        date(2024, 2, 1),
        officer,
        "首次洽谈",
    )
    audit = AuditLog.objects.filter(action="transition", object_id=str(project.pk)).get()
    assert (audit.before["stage"], audit.after["stage"]) == ("lead", "negotiating")


def test_stages_cannot_be_skipped(make_project, officer):
    project = make_project()
    with pytest.raises(IllegalTransition, match="不能从“线索”直接进入“签约”，须先经过“在谈”"):
        advance(project, Stage.SIGNED, date(2024, 2, 1), officer)
    assert Project.objects.get(pk=project.pk).stage == Stage.LEAD
    assert ProjectTransition.objects.filter(project=project).count() == 1


def test_construction_needs_a_signed_project(make_project, officer):
    project = advance(make_project(), Stage.NEGOTIATING, date(2024, 2, 1), officer)
    with pytest.raises(IllegalTransition, match="须先经过“签约”"):
        advance(project, Stage.UNDER_CONSTRUCTION, date(2024, 3, 1), officer)


def test_stages_cannot_go_back_or_repeat(signed_project, officer):
    with pytest.raises(IllegalTransition, match="不能从“签约”退回到“在谈”"):
        advance(signed_project, Stage.NEGOTIATING, date(2024, 4, 1), officer)
    with pytest.raises(IllegalTransition, match="已处于“签约”阶段"):
        advance(signed_project, Stage.SIGNED, date(2024, 4, 1), officer)


def test_signing_needs_an_agreement_signed_by_that_date(make_project, officer):
    project = advance(make_project(), Stage.NEGOTIATING, date(2024, 2, 1), officer)
    with pytest.raises(IllegalTransition, match="签约须先录入投资协议"):
        advance(project, Stage.SIGNED, date(2024, 3, 1), officer)
    services.agreement_create(actor=officer, project=project, signed_on=date(2024, 3, 10), amount_wan=D("100"))
    with pytest.raises(IllegalTransition, match="签约须先录入投资协议"):
        advance(project, Stage.SIGNED, date(2024, 3, 1), officer)
    project = advance(project, Stage.SIGNED, date(2024, 3, 10), officer)
    assert (project.stage, project.first_signed_on) == (Stage.SIGNED, date(2024, 3, 10))


def test_the_full_path_to_production_then_nothing_more(signed_project, officer):
    project = signed_project
    for stage, day in [
        (Stage.REGISTERED, date(2024, 4, 1)),
        (Stage.UNDER_CONSTRUCTION, date(2024, 6, 1)),
        (Stage.IN_PRODUCTION, date(2025, 6, 1)),
    ]:
        project = advance(project, stage, day, officer)
    assert [t.to_stage for t in project.transitions.all()] == [
        "lead",
        "negotiating",
        "signed",
        "registered",
        "under_construction",
        "in_production",
    ]
    assert project.first_signed_on == date(2024, 3, 1)  # signed once, at its first signing
    with pytest.raises(IllegalTransition, match="已投产"):
        advance(project, Stage.TERMINATED, date(2025, 7, 1), officer, note="x")


def test_termination_needs_a_reason_and_ends_the_lifecycle(make_project, officer):
    project = make_project()
    with pytest.raises(IllegalTransition, match="终止项目须说明原因"):
        advance(project, Stage.TERMINATED, date(2024, 2, 1), officer)
    project = advance(project, Stage.TERMINATED, date(2024, 2, 1), officer, note="投资方放弃")
    with pytest.raises(IllegalTransition, match="项目已终止"):
        advance(project, Stage.NEGOTIATING, date(2024, 3, 1), officer)


def test_dates_may_not_precede_the_current_stage_or_lie_in_the_future(make_project, officer):
    project = make_project()
    with pytest.raises(IllegalTransition, match="不能早于进入当前阶段的日期（2024-01-05）"):
        advance(project, Stage.NEGOTIATING, date(2024, 1, 1), officer)
    with pytest.raises(IllegalTransition, match="不能晚于今天"):
        advance(project, Stage.NEGOTIATING, timezone.localdate() + timedelta(days=1), officer)


def test_unknown_stage_codes_are_refused(make_project, officer):
    with pytest.raises(IllegalTransition, match="未知的阶段代码"):
        advance(make_project(), "approved", date(2024, 2, 1), officer)


def test_an_officer_cannot_move_a_project_outside_their_jurisdiction(make_project):
    project = make_project()
    with pytest.raises(Http404):
        advance(project, Stage.NEGOTIATING, date(2024, 2, 1), persona("kunming_officer"))


def test_a_county_officer_cannot_create_or_move_a_project_into_another_county(make_project, officer, kunming_county):
    with pytest.raises(Http404):
        make_project(county=kunming_county)
    project = make_project()
    with pytest.raises(Http404):
        services.project_update(actor=officer, project=project, name=project.name, county=kunming_county)
    assert Project.objects.get(pk=project.pk).county.code == "532302"


# --- agreements: 升格, 增资, 换业主 -----------------------------------------------------------------------------


def test_a_lead_takes_no_agreement(make_project, officer):
    with pytest.raises(ValidationError, match="线索阶段"):
        services.agreement_create(actor=officer, project=make_project(), signed_on=date(2024, 2, 1), amount_wan=D(1))


def test_agreement_keeps_its_incentive_clauses_as_rows(make_project, officer):
    project = advance(make_project(), Stage.NEGOTIATING, date(2024, 2, 1), officer)
    agreement = services.agreement_create(
        actor=officer,
        project=project,
        signed_on=date(2024, 2, 20),
        amount_wan=D("120000"),
        term_years=30,
        clauses=[
            {"content": "前三年地方留成税收全额奖励", "amount_wan": D("3000"), "due_on": date(2027, 12, 31)},
            {"content": "用地按工业用地基准价出让", "conditions": "按期开工"},
            {"content": ""},
        ],
    )
    assert list(agreement.clauses.values_list("content", flat=True)) == [
        "前三年地方留成税收全额奖励",
        "用地按工业用地基准价出让",
    ]
    assert agreement.counted_amount_wan == D("120000")
    assert Project.objects.get(pk=project.pk).agreed_investment_wan == D("120000")


def test_an_upgrade_counts_only_its_increment(make_project, sign, officer):
    project = make_project(on=date(2023, 1, 5))
    project = sign(project, on=date(2023, 5, 1), amount=D("100000"), kind=AgreementKind.FRAMEWORK)
    framework = project.agreements.get()
    with pytest.raises(ValidationError, match="已有协议"):
        services.agreement_create(actor=officer, project=project, signed_on=date(2024, 2, 1), amount_wan=D("120000"))
    with pytest.raises(ValidationError, match="不能低于原协议"):
        services.agreement_create(
            actor=officer, project=project, signed_on=date(2024, 2, 1), amount_wan=D("90000"), upgrades=framework
        )
    contract = services.agreement_create(
        actor=officer, project=project, signed_on=date(2024, 2, 1), amount_wan=D("120000"), upgrades=framework
    )
    assert contract.counted_amount_wan == D("20000")
    project.refresh_from_db()
    assert (project.agreed_investment_wan, project.first_signed_on) == (D("120000"), date(2023, 5, 1))
    assert list(project.current_agreements()) == [contract]
    with pytest.raises(ValidationError, match="现行有效"):
        services.agreement_create(
            actor=officer, project=project, signed_on=date(2024, 3, 1), amount_wan=D("130000"), upgrades=framework
        )


def test_a_capital_increase_is_a_linked_child_carrying_only_the_increment(make_project, sign, officer):
    lead = make_project(name="禄丰钛白粉项目")
    with pytest.raises(ValidationError, match="已签约"):
        make_project(name="禄丰钛白粉项目（增资）", parent=lead)
    parent = sign(lead, amount=D("80000"))
    child = make_project(name="禄丰钛白粉项目二期增资", parent=parent, agreed_investment_wan=D("20000"))
    assert child.parent == parent and list(parent.capital_increases.all()) == [child]
    assert Project.objects.filter(pk__in=[parent.pk, child.pk]).agreed_total_wan() == D("100000")


def test_a_change_of_investor_keeps_history_and_counts_under_the_new_one_from_that_date(signed_project, officer):
    old = signed_project.investor
    change = services.project_change_investor(
        actor=officer,
        project=signed_project,
        investor_name="云南新业主科技有限公司",
        on=date(2024, 6, 15),
        note="股权转让",
    )
    project = Project.objects.get(pk=signed_project.pk)
    assert (change.from_investor, change.to_investor, project.investor) == (old, project.investor, change.to_investor)
    assert project.investor_on(date(2024, 6, 14)) == old
    assert project.investor_on(date(2024, 6, 15)) == change.to_investor
    assert [t.to_stage for t in project.transitions.all()] == ["lead", "negotiating", "signed"]  # history kept
    with pytest.raises(ValidationError, match="相同"):
        services.project_change_investor(
            actor=officer, project=project, investor_name="云南新业主科技有限公司", on=date(2024, 7, 1)
        )
    assert AuditLog.objects.filter(action="change_investor", object_id=str(project.pk)).count() == 1


# --- 甄别: duplicates and merging -------------------------------------------------------------------------------


def test_same_investor_similar_name_same_county_is_a_duplicate_candidate(make_project, lufeng):
    first = make_project(name="禄丰年产10万吨磷酸铁锂项目")
    found = services.project_duplicates(
        name="禄丰10万吨磷酸铁锂项目", county=lufeng, investor_name="云南星辰新材料有限公司"
    )
    assert found == [first]


def test_an_investor_named_with_another_suffix_is_the_same_investor(make_project, lufeng):
    first = make_project(name="禄丰铝材深加工项目", investor_name="云南星辰（集团）股份有限公司")
    for typed in ("云南星辰有限公司", "云南星辰集团", "云南星辰(集团)有限责任公司"):
        assert services.project_duplicates(name="铝材深加工项目", county=lufeng, investor_name=typed) == [first]


def test_another_county_or_another_investor_or_a_different_name_is_no_candidate(make_project, lufeng):
    from zhaoshang.regions.models import Region

    make_project(name="禄丰铝材深加工项目")
    investor = "云南星辰新材料有限公司"
    chuxiong_city = Region.objects.get(code="532301")
    assert services.project_duplicates(name="禄丰铝材深加工项目", county=chuxiong_city, investor_name=investor) == []
    assert services.project_duplicates(name="禄丰铝材深加工项目", county=lufeng, investor_name="另一家公司") == []
    assert services.project_duplicates(name="文旅康养小镇", county=lufeng, investor_name=investor) == []


def test_name_similarity_is_containment_or_a_ratio_of_at_least_point_six():
    assert services.names_similar("禄丰钛白粉项目", "禄丰钛白粉项目（一期）")
    assert services.names_similar("年产5万吨钛白粉", "年产6万吨钛白粉")
    assert not services.names_similar("禄丰钛白粉项目", "楚雄文旅康养综合体")


def test_candidates_are_limited_to_what_the_user_may_see_and_exclude_merged_records(make_project, lufeng, officer):
    first = make_project(name="禄丰铝材深加工项目")
    second = make_project(name="禄丰铝材深加工项目一期")
    kunming = persona("kunming_officer")
    typed = {"name": "禄丰铝材深加工", "county": lufeng, "investor_name": "云南星辰新材料有限公司"}
    assert services.project_duplicates(**typed, user=kunming) == []
    services.project_merge(actor=officer, duplicate=second, survivor=first)
    assert services.project_duplicates(**typed, user=officer) == [first]


def test_a_merge_keeps_both_histories_and_counts_once(make_project, sign, officer):
    survivor = sign(make_project(name="禄丰铝材深加工项目"), on=date(2024, 3, 1))
    duplicate = sign(make_project(name="禄丰铝材深加工项目（州报）"), on=date(2024, 2, 1))
    entry = services.funding_record(actor=officer, project=duplicate, month=date(2024, 4, 1), amount_wan=D("500"))
    moved_transitions = list(duplicate.transitions.values_list("pk", flat=True))
    services.project_merge(actor=officer, duplicate=duplicate, survivor=survivor, note="州县重复上报")
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.merged_on == timezone.localdate()
    assert set(moved_transitions) <= set(survivor.transitions.values_list("pk", flat=True))
    assert survivor.transitions.filter(merged_from=duplicate).count() == 3
    entry.refresh_from_db()
    assert (entry.project, entry.merged_from, entry.amount_wan) == (survivor, duplicate, D("500"))
    assert duplicate.agreements.count() == 1  # its agreement stays with it and no longer counts
    assert list(Project.objects.filter(pk__in=[survivor.pk, duplicate.pk]).counted()) == [survivor]
    assert survivor.first_signed_on == date(2024, 2, 1)  # still one signing, the first
    assert AuditLog.objects.filter(action="merge", object_id__in=[str(survivor.pk), str(duplicate.pk)]).count() == 2


def test_merges_are_refused_across_counties_onto_itself_or_twice(make_project, officer, chuxiong):
    a, b = make_project(name="甲项目"), make_project(name="甲项目二")
    with pytest.raises(ValidationError, match="自己"):
        services.project_merge(actor=officer, duplicate=a, survivor=a)
    from zhaoshang.regions.models import Region

    other = make_project(name="甲项目三", actor=chuxiong, county=Region.objects.get(code="532301"))
    with pytest.raises(ValidationError, match="同一县市区"):
        services.project_merge(actor=chuxiong, duplicate=a, survivor=other)
    services.project_merge(actor=officer, duplicate=b, survivor=a)
    with pytest.raises(ValidationError, match="已合并"):
        services.project_merge(actor=officer, duplicate=b, survivor=a)
    with pytest.raises(IllegalTransition, match="已合并入"):
        advance(Project.objects.get(pk=b.pk), Stage.NEGOTIATING, date(2024, 2, 1), officer)
