"""The province's reference figures of a diagnosis are cached on the figures' version (what they read), not on the
audit head: a write that leaves the figures leaves the cache, a project or placement write that changes the counts
changes the answer at once."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.chains.models import ChainNode
from zhaoshang.chains.selectors import area_of, diagnosis_for
from zhaoshang.chains.tests.world import YEAR
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region

BASE_QUERY = "COUNT(DISTINCT pairs.investor_id)"  # the province's counts (selectors.province_counts)


def chuxiong_diagnosis(world):
    return diagnosis_for(chain=world.silicon, area=area_of(Region.objects.get(code="532300")), year=YEAR)


def glass_base(world) -> int:
    glass = ChainNode.objects.get(chain=world.silicon, name="光伏玻璃")
    return next(r.base_enterprises for r in chuxiong_diagnosis(world).result.nodes if r.node.id == glass.pk)


def base_recomputed(world) -> bool:
    with CaptureQueriesContext(connection) as queries:
        chuxiong_diagnosis(world)
    return any(BASE_QUERY in q["sql"] for q in queries.captured_queries)


def test_a_write_outside_the_figures_keeps_the_province_counts(world):
    from zhaoshang.chains.choices import SignalKind
    from zhaoshang.chains.targeting_services import signal_create

    assert base_recomputed(world)  # first time: counted
    assert not base_recomputed(world)  # then cached
    # a signal on an enterprise writes an audit row (the audit head moves) but no figure
    signal_create(
        actor=persona("province_admin"),
        enterprise=world.enterprises["flat"],
        kind=SignalKind.FINANCING,
        on=date(YEAR, 6, 1),
        source="测试",
    )
    assert not base_recomputed(world)


def test_a_project_write_that_changes_the_counts_changes_the_answer(world):
    from zhaoshang.projects.services import agreement_create, project_advance, project_create

    officer = persona("province_admin")
    assert glass_base(world) == 1  # 曲靖's glass maker
    project = project_create(
        actor=officer,
        name="曲靖光伏压延玻璃二期项目",
        investor_name=world.enterprises["flat"].name,  # placed on 光伏玻璃, no project in Yunnan yet
        county=Region.objects.get(code="530302"),
        on=date(YEAR, 10, 1),
        agreed_investment_wan=Decimal(50000),
    )
    assert glass_base(world) == 1  # a lead is not present
    project = project_advance(project=project, to="negotiating", actor=officer, on=date(YEAR, 10, 5))
    agreement_create(actor=officer, project=project, signed_on=date(YEAR, 11, 1), amount_wan=Decimal(50000))
    project_advance(project=project, to="signed", actor=officer, on=date(YEAR, 11, 2))
    assert glass_base(world) == 2


def test_a_placement_decision_changes_the_answer(world):
    from zhaoshang.chains.models import EnterpriseNodeLink, ProjectNodeLink
    from zhaoshang.chains.services import placement_decide

    assert glass_base(world) == 1
    # 曲靖's glass maker is on the node by its own placement and by its project's: reject both
    enterprise_link = EnterpriseNodeLink.objects.get(enterprise=world.enterprises["glass"], node__name="光伏玻璃")
    project_link = ProjectNodeLink.objects.get(project=world.projects["qujing_glass"], node__name="光伏玻璃")
    placement_decide(
        actor=persona("province_admin"),
        decision="rejected",
        enterprise_links=[enterprise_link.pk],
        project_links=[project_link.pk],
    )
    assert glass_base(world) == 0
