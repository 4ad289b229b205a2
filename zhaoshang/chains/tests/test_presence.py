"""The presence tables the diagnosis reads are kept by the writes themselves (``chains/presence.py``): after any
sequence of writes of every kind — create, advance, agreement, merge, industry filled in, ledger entry, placement
confirmed or rejected, change of investor, move to another county — the kept tables equal a rebuild from scratch,
and the diagnosis read from them equals the one computed from the placements and the projects."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.chains import presence
from zhaoshang.chains.choices import Decision
from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, NodePresence, ProjectNodeLink
from zhaoshang.chains.selectors import area_of, diagnosis_for, province_counts, region_figures
from zhaoshang.chains.tests.world import YEAR
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region

NAMES = ["年产5万吨高纯多晶硅项目", "光伏压延玻璃生产线项目", "工业硅冶炼项目", "单晶硅棒拉晶项目", "高效光伏组件项目"]
INVESTORS = ["合盛测试硅业有限公司", "隆基测试绿能有限公司", "福莱特测试玻璃集团", "新来测试硅材料有限公司"]
COUNTIES = ["532301", "532302", "532323", "530302", "530112"]
OPERATIONS = ["create", "advance", "agreement", "merge", "industry", "fund", "decide", "investor", "move"]


def assert_kept_equals_rebuilt(silicon):
    assert presence.presence_differences() == []
    nodes = list(ChainNode.objects.filter(chain=silicon))
    ids, roots = [n.pk for n in nodes], [n.pk for n in nodes if n.parent_id is None]
    for year in (YEAR, YEAR + 1):
        assert presence.province_counts(node_ids=ids, root_ids=roots, year=year) == province_counts(
            nodes=nodes, year=year
        )
        for code in ("530000", "532300", "532302"):
            path = Region.objects.get(code=code).path
            kept = region_figures(nodes=nodes, area_path=path, year=year, kept=True)
            assert kept == region_figures(nodes=nodes, area_path=path, year=year, kept=False)


def _next_day(project) -> date:
    return min(project.stage_on + timedelta(days=3), date.today())


def apply(operation: str, pick: int, silicon) -> None:
    """One write through the services (or, for the industry, as an import leaves it and its last step fills it)."""
    from zhaoshang.chains.services import placement_decide
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import (
        agreement_create,
        funding_record,
        project_advance,
        project_change_investor,
        project_create,
        project_merge,
        project_update,
    )
    from zhaoshang.projects.services.admission import projects_suggest_industries

    actor = persona("province_admin")
    projects = list(Project.objects.counted().order_by("pk"))
    project = projects[-1 - pick % len(projects)] if projects else None  # the newest first
    if operation == "create" or project is None:
        project_create(
            actor=actor,
            name=NAMES[pick % len(NAMES)],
            investor_name=INVESTORS[pick % len(INVESTORS)],
            county=Region.objects.get(code=COUNTIES[pick % len(COUNTIES)]),
            on=date(YEAR, 1 + pick % 12, 1),
            agreed_investment_wan=Decimal(10000 + 1000 * pick),
        )
    elif operation == "advance":
        following = {"lead": "negotiating", "negotiating": "signed", "signed": "registered", "registered": "terminated"}
        to = following.get(project.stage)
        if to == "signed" and not project.agreements.exists():
            agreement_create(actor=actor, project=project, signed_on=_next_day(project), amount_wan=Decimal(30000))
            project.refresh_from_db()
        if to:
            project_advance(project=project, to=to, actor=actor, on=_next_day(project), note="测试终止")
    elif operation == "agreement":
        current = project.current_agreements().first()
        if project.stage == "negotiating" and current is None:
            agreement_create(actor=actor, project=project, signed_on=_next_day(project), amount_wan=Decimal(20000))
        elif current is not None:
            agreement_create(
                actor=actor,
                project=project,
                signed_on=max(current.signed_on, _next_day(project)),
                amount_wan=current.amount_wan + 5000,
                upgrades=current,
            )
    elif operation == "merge":
        others = [p for p in projects if p.county_id == project.county_id and p.pk != project.pk]
        if others:
            project_merge(actor=actor, duplicate=project, survivor=others[pick % len(others)], note="测试合并")
    elif operation == "industry":
        Project.objects.filter(pk=project.pk).update(key_industry=None, industry_class=None)  # as an import left it
        projects_suggest_industries(actor=actor, project_ids=[project.pk])
    elif operation == "fund" and project.first_signed_on is not None:
        funding_record(actor=actor, project=project, month=date(YEAR, 12, 1), amount_wan=Decimal(100))
    elif operation == "decide":
        decision = Decision.CONFIRMED if pick % 2 else Decision.REJECTED
        links = list(EnterpriseNodeLink.objects.filter(node__chain=silicon).order_by("pk").values_list("pk", flat=True))
        own = list(ProjectNodeLink.objects.filter(node__chain=silicon).order_by("pk").values_list("pk", flat=True))
        placement_decide(
            actor=actor,
            decision=decision,
            enterprise_links=links[pick % len(links) :][:1] if links else [],
            project_links=own[pick % len(own) :][:1] if own and pick % 3 else [],
        )
    elif operation == "investor":
        project_change_investor(
            actor=actor, project=project, investor_name=INVESTORS[(pick + 1) % len(INVESTORS)], on=date.today()
        )
    elif operation == "move":
        project_update(
            actor=actor,
            project=project,
            name=project.name,
            county=Region.objects.get(code=COUNTIES[pick % len(COUNTIES)]),
            is_chain_leader=not project.is_chain_leader,
        )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_each_kind_of_write_keeps_the_presence_tables(world, operation):
    # two leads in 楚雄市, the newer advanced to 签约 (with its agreement), then the operation on the newest three
    steps = [("create", 0), ("create", 5), ("advance", 0), ("advance", 0)]
    for kind, pick in [*steps, (operation, 0), (operation, 1), (operation, 2)]:
        try:
            apply(kind, pick, world.silicon)
        except ValidationError:
            continue  # a write the services refuse changes nothing
        assert_kept_equals_rebuilt(world.silicon)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 40)), min_size=1, max_size=8))
def test_any_sequence_of_writes_keeps_the_presence_tables(world, steps):
    with transaction.atomic():  # each example from the same world
        for operation, pick in steps:
            try:
                with transaction.atomic():
                    apply(operation, pick, world.silicon)
            except ValidationError:
                pass
        assert_kept_equals_rebuilt(world.silicon)
        transaction.set_rollback(True)


def test_a_project_written_around_the_services_is_found_by_the_check_and_mended_by_the_rebuild(world):
    from zhaoshang.projects.models import Project

    project = world.projects["chuxiong_si"]
    Project.objects.filter(pk=project.pk).update(stage="terminated")  # not through project_advance: no hook
    assert presence.presence_differences()
    with pytest.raises(Exception, match="不一致"):
        call_command("rebuild_chain_presence", "--check")
    call_command("rebuild_chain_presence")
    assert presence.presence_differences() == []
    assert NodePresence.objects.filter(project_id=project.pk, stage="terminated").exists()


def test_the_diagnosis_after_an_advance_counts_the_new_signing(world):
    """project_advance called no hook before: a presence table would have kept the project as a lead."""
    from zhaoshang.projects.services import agreement_create, project_advance, project_create

    officer = persona("province_admin")
    chuxiong = Region.objects.get(code="532300")
    area = area_of(chuxiong)
    before = diagnosis_for(chain=world.silicon, area=area, year=YEAR).result.region_enterprises
    project = project_create(
        actor=officer,
        name="楚雄光伏压延玻璃项目",
        investor_name="福莱特测试玻璃集团",
        county=Region.objects.get(code="532301"),
        on=date(YEAR, 9, 1),
        agreed_investment_wan=Decimal(50000),
    )
    project = project_advance(project=project, to="negotiating", actor=officer, on=date(YEAR, 9, 2))
    agreement_create(actor=officer, project=project, signed_on=date(YEAR, 9, 3), amount_wan=Decimal(50000))
    project_advance(project=project, to="signed", actor=officer, on=date(YEAR, 9, 4))
    assert diagnosis_for(chain=world.silicon, area=area, year=YEAR).result.region_enterprises == before + 1
