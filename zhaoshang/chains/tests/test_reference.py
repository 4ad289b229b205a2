"""The shipped chain data: every chain of the 12 key industries and the three focus chains, three levels deep,
at least 25 nodes, GB/T codes that exist, flows between its own nodes."""

import csv
from pathlib import Path

import pytest

from zhaoshang.catalog.reference import key_industry_data
from zhaoshang.chains.reference import ChainDataError, default_thresholds, read_chain, shipped_chains, shipped_products

GBT = Path(__file__).resolve().parents[2] / "catalog" / "data" / "gbt4754_2017_industry_classification.csv"
ASHARE = Path(__file__).resolve().parents[2] / "investors" / "data" / "a_share_listed_companies.csv"


def test_a_chain_for_every_key_industry_and_the_three_focus_chains():
    chains = shipped_chains()
    industries = {i["code"] for i in key_industry_data()["industries"]}
    assert {c.code for c in chains} >= industries | {"new_energy_battery", "phosphorus_chemical", "nonferrous_precious"}
    assert len(chains) == 15
    assert {c.code for c in chains if c.is_focus} == {
        "new_energy_battery",
        "phosphorus_chemical",
        "nonferrous_precious",
    }
    assert all(c.key_industry in industries for c in chains)


@pytest.mark.parametrize("chain", shipped_chains(), ids=lambda c: c.code)
def test_each_chain_is_three_levels_deep_with_25_nodes_key_links_and_its_own_flows(chain):
    levels = {n.level for n in chain.nodes}
    assert levels == {1, 2, 3}
    assert len(chain.nodes) >= 25
    assert any(n.is_key_link for n in chain.nodes)
    assert {n.value_tier for n in chain.nodes} == {"high", "medium", "low"}
    keys = {n.key for n in chain.nodes}
    assert all(a in keys and b in keys for a, b in chain.flows) and chain.flows
    products = [n for n in chain.nodes if n.level == 3]
    assert all(n.keywords for n in products), [n.key for n in products if not n.keywords]
    assert chain.source


def test_every_gbt_code_of_the_chains_exists_as_a_small_class():
    with open(GBT, encoding="utf-8") as handle:
        small = {row["code"] for row in csv.DictReader(handle) if row["level"] == "4"}
    unknown = {
        (chain.code, node.key, code)
        for chain in shipped_chains()
        for node in chain.nodes
        for code in node.gbt_codes.split(",")
        if code and code not in small
    }
    assert unknown == set()


def test_green_aluminium_follows_annex_1_five_application_fields():
    chain = next(c for c in shipped_chains() if c.code == "green_aluminium")
    names = {n.name for n in chain.nodes}
    assert {"建筑结构领域", "交通运输领域", "包装容器领域", "电力电子领域", "耐用消费品领域"} <= names
    assert {"冶金级氧化铝", "电解铝（水电铝）", "铝合金锭与铝棒", "铝板带", "铝箔", "工业铝型材", "铝压铸件"} <= names


def test_the_maker_table_names_listed_companies_of_the_library():
    with open(ASHARE, encoding="utf-8") as handle:
        listed = {row["name"] for row in csv.DictReader(handle)}
    makers = shipped_products()
    assert len(makers) >= 100
    assert set(makers) <= listed


def test_thresholds_are_data():
    assert set(default_thresholds()) == {
        "strong_lq",
        "strong_min_enterprises",
        "strong_max_hhi",
        "leader_strong_lq",
        "potential_lq",
        "potential_pipeline",
    }


def test_a_broken_file_names_the_node(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "code: x\nname: 测试链\nshort_name: 测试\nnodes:\n  - {id: a, name: 环节, pos: upstream}\n"
        "  - {id: b, name: 模块, parent: nowhere}\n",
        encoding="utf-8",
    )
    with pytest.raises(ChainDataError, match="节点 b 的上级 nowhere 不存在"):
        read_chain(path)
