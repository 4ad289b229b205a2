"""The diagnosis formulas (pure): LQ, HHI, CR4, the grades against their thresholds and the actions."""

from decimal import Decimal

from zhaoshang.chains.diagnosis import (
    EMPTY,
    EXTEND,
    FILL,
    NONE,
    POTENTIAL,
    STRENGTHEN,
    STRONG,
    WEAK,
    NodeInfo,
    Presence,
    Thresholds,
    cr4,
    cr4_from,
    figures_of,
    grade,
    hhi,
    hhi_from,
    location_quotient,
)
from zhaoshang.chains.diagnosis import diagnose as diagnose_figures
from zhaoshang.chains.reference import default_thresholds

T = Thresholds.from_dict(default_thresholds())
D = Decimal


def test_location_quotient_is_the_share_in_the_region_over_the_share_in_the_base():
    # 3 of the region's 10 chain enterprises, 20 of the province's 200: (3/10) / (20/200) = 3.00
    assert location_quotient(3, 10, 20, 200) == D("3.00")
    assert location_quotient(1, 3, 1, 3) == D("1.00")
    assert location_quotient(1, 6, 4, 10) == D("0.42")  # 0.1666… / 0.4 = 0.4166… → 0.42
    assert location_quotient(1, 0, 4, 10) is None
    assert location_quotient(1, 5, 0, 10) is None


def diagnose(*, presence, **kwargs):
    """The diagnosis from the enterprises one by one, summed per node as the database does."""
    figures = {node: figures_of(rows) for node, rows in presence.items()}
    total = len({p.enterprise_id for rows in presence.values() for p in rows if p.present})
    return diagnose_figures(figures=figures, region_total=total, **kwargs)


def test_hhi_and_cr4_from_the_databases_sums_equal_those_from_the_shares():
    money = [D(60), D(30), D(10), D("7.5"), D(2)]
    total, squares = sum(money), sum(m * m for m in money)
    assert hhi_from(squares, total) == hhi(money)
    assert cr4_from(sum(sorted(money, reverse=True)[:4]), total) == cr4(money)
    assert hhi_from(D(0), D(0)) is None


def test_hhi_and_cr4_are_computed_on_money_shares():
    assert hhi([D(100)]) == D("1.0000")
    assert hhi([D(50), D(50)]) == D("0.5000")
    assert hhi([D(60), D(30), D(10)]) == D("0.4600")  # .36 + .09 + .01
    assert hhi([]) is None and hhi([D(0)]) is None
    assert cr4([D(40), D(30), D(10), D(10), D(10)]) == D("0.9000")


def test_no_present_enterprise_is_empty():
    assert grade(enterprises=0, lq=None, hhi_value=None, leaders=0, pipeline=3, t=T)[0] == EMPTY


def test_strong_needs_lq_count_and_spread_and_the_reason_names_them():
    g, reason = grade(enterprises=3, lq=D("1.20"), hhi_value=D("0.40"), leaders=0, pipeline=0, t=T)
    assert g == STRONG
    assert reason == "企业3家≥3，区位熵1.20≥1.2，集中度HHI 0.40≤0.5"


def test_too_concentrated_is_only_potential_and_says_why():
    g, reason = grade(enterprises=4, lq=D("2.00"), hhi_value=D("0.8172"), leaders=0, pipeline=0, t=T)
    assert g == POTENTIAL
    assert "集中度HHI 0.8172>0.5（过于集中）" in reason


def test_a_chain_leader_makes_a_node_strong_at_lq_one():
    assert grade(enterprises=1, lq=D("1.00"), hhi_value=D("1"), leaders=1, pipeline=0, t=T)[0] == STRONG
    assert grade(enterprises=1, lq=D("0.99"), hhi_value=D("1"), leaders=1, pipeline=0, t=T)[0] == POTENTIAL


def test_potential_by_lq_or_pipeline_else_weak():
    assert grade(enterprises=1, lq=D("0.80"), hhi_value=None, leaders=0, pipeline=0, t=T)[0] == POTENTIAL
    assert grade(enterprises=1, lq=D("0.50"), hhi_value=None, leaders=0, pipeline=2, t=T)[0] == POTENTIAL
    g, reason = grade(enterprises=1, lq=D("0.79"), hhi_value=None, leaders=0, pipeline=1, t=T)
    assert g == WEAK and reason == "企业1家，区位熵0.79<0.8，在谈/线索项目1个<2"


def test_thresholds_are_the_chain_versions_data():
    strict = Thresholds.from_dict(default_thresholds() | {"strong_lq": 2.5})
    assert grade(enterprises=3, lq=D("2.00"), hhi_value=D("0.4"), leaders=0, pipeline=0, t=strict)[0] == POTENTIAL


def _node(pk, name, *, parent=None, level=3, key_link=False, tier="medium", children=False):
    return NodeInfo(pk, f"k{pk}", name, parent, level, "midstream", tier, key_link, children)


def test_actions_fill_key_links_extend_high_value_neighbours_of_strong_nodes_and_strengthen_the_rest():
    nodes = [
        _node(1, "工业硅", key_link=True),
        _node(2, "有机硅", tier="high"),
        _node(3, "光伏玻璃", key_link=True),
        _node(4, "拉晶"),
        _node(5, "硅粉", tier="low"),
    ]
    presence = {
        1: [Presence(10 + i, 1, D(100)) for i in range(4)],
        4: [Presence(20, 1, D(50))],
    }
    base = {1: 10, 2: 5, 3: 5, 4: 40, 5: 5}
    result = diagnose(
        nodes=nodes,
        presence=presence,
        base_counts=base,
        base_total=100,
        base_label="全省",
        flows=[(1, 2), (1, 5), (4, 3)],
        thresholds=T,
    )
    by = {r.node.name: r for r in result.nodes}
    assert by["工业硅"].grade == STRONG and by["工业硅"].action == NONE  # LQ (4/5)/(10/100) = 8.00
    assert by["有机硅"].action == EXTEND and "工业硅" in by["有机硅"].action_reason
    assert by["光伏玻璃"].action == FILL
    assert by["拉晶"].grade == WEAK and by["拉晶"].action == STRENGTHEN  # LQ (1/5)/(40/100) = 0.50
    assert by["硅粉"].action == NONE  # empty, low value: not a gap
    assert [r.node.name for r in result.gaps()] == ["光伏玻璃", "有机硅", "拉晶"]  # key link, then tier 高 before 中


def test_gaps_rank_key_links_first_then_value_tier():
    nodes = [
        _node(1, "中值关键", key_link=True),
        _node(2, "高值关键", key_link=True, tier="high"),
        _node(3, "高值普通", tier="high"),
    ]
    presence = {3: [Presence(1, 1, D(1))]}
    result = diagnose(
        nodes=nodes, presence=presence, base_counts={3: 50}, base_total=100, base_label="全省", flows=[], thresholds=T
    )
    assert [r.node.name for r in result.gaps()] == ["高值关键", "中值关键", "高值普通"]


def test_money_and_counts_are_summed_per_node_and_rounded_to_the_cent():
    nodes = [_node(1, "电解铝")]
    presence = {1: [Presence(1, 2, D("100.005"), D("50.004"), D("0.333")), Presence(2, 0, pipeline=3)]}
    r = diagnose(
        nodes=nodes, presence=presence, base_counts={1: 1}, base_total=1, base_label="全省", flows=[], thresholds=T
    )
    node = r.nodes[0]
    assert (node.enterprises, node.projects, node.pipeline) == (1, 2, 3)
    assert (node.stock_wan, node.signed_wan, node.funds_wan) == (D("100.01"), D("50.00"), D("0.33"))


def test_rollup_counts_a_project_once_per_node_however_it_is_placed():
    from zhaoshang.chains.diagnosis import PlacedProject, rollup

    # node 1 is a module with products 2 and 3; project 10 (investor 100) is on both products, and on 2 twice
    # (through its investor and by its own words, the second time as 链主); project 11 (investor 101) is in talks.
    rows = [  # amounts in 分: 5000 分 = 50.00 万元
        PlacedProject(2, 10, 100, 1, 5000, 5000, 0, 500, 0),
        PlacedProject(2, 10, 100, 1, 5000, 5000, 0, 500, 1),
        PlacedProject(3, 10, 100, 1, 5000, 5000, 0, 500, 0),
        PlacedProject(3, 11, 101, 0, 0, 0, 1, 0, 0),
    ]
    figures, total = rollup(rows, {2: (1,), 3: (1,)})
    module = figures[1]
    assert (module.enterprises, module.projects, module.pipeline, module.leaders) == (1, 1, 1, 1)
    assert (module.stock_wan, module.signed_wan, module.funds_wan) == (D(50), D(50), D(5))
    assert figures[2].leaders == 1 and figures[3].leaders == 0 and figures[3].pipeline == 1
    assert total == 1
