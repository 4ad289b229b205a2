"""Automatic placement (pure, on the shipped chains): deterministic, explained, and measured on the labelled sets."""

import pytest

from zhaoshang.chains.placement import Matcher, enterprise_sources, project_sources, specs_from_files
from zhaoshang.chains.quality import LABELLED, evaluate, load_cases


@pytest.fixture(scope="module")
def matcher():
    specs, names = specs_from_files()
    return Matcher(specs), names


def placed(matcher, sources, **kwargs):
    m, names = matcher
    return {names[x.node_id]: x for x in m.place(sources, **kwargs)}


def test_a_project_is_placed_on_the_product_it_builds_with_the_words_as_evidence(matcher):
    found = placed(
        matcher, project_sources(name="年产10万吨高纯多晶硅项目", description="采用改良西门子法，建设还原炉")
    )
    assert list(found) == ["green_silicon/polysi_siemens"]
    link = found["green_silicon/polysi_siemens"]
    assert link.strength == "medium" and link.decision == "confirmed" and link.role == "producer"
    assert {"source": "项目名称", "words": ["多晶硅"]} in link.evidence
    assert {"source": "项目简介", "words": ["改良西门子法", "还原炉"]} in link.evidence


def test_placement_is_deterministic(matcher):
    sources = project_sources(name="曲靖动力电池铝箔项目", description="建设涂炭铝箔生产线")
    first = [(m.node_id, m.score, m.evidence) for m in matcher[0].place(sources)]
    assert all(first == [(m.node_id, m.score, m.evidence) for m in matcher[0].place(sources)] for _ in range(3))


def test_a_negated_or_dismantled_product_is_not_evidence(matcher):
    assert placed(matcher, project_sources(name="新材料市场调研项目", description="本项目不涉及光伏玻璃生产")) == {}
    assert placed(matcher, project_sources(name="场地复垦项目", description="原有铝型材生产线已停产拆除")) == {}


def test_a_longer_word_of_another_node_wins_and_exclusions_mask(matcher):
    found = placed(matcher, project_sources(name="电池铝箔项目"))
    assert "green_aluminium/battery_foil" in found and "green_aluminium/foil" not in found
    found = placed(matcher, project_sources(name="钙钛矿叠层电池中试线"))
    assert "green_silicon/cell_next" in found and "nonferrous_precious/ti_ore" not in found


def test_a_latin_word_must_stand_alone(matcher):
    found = placed(matcher, project_sources(name="玉溪异质结电池片项目", description="年产5GW HJT电池片"))
    assert "digital_economy/telecom" not in found and "green_silicon/cell_hjt" in found


def test_a_customer_is_not_a_node_of_the_object(matcher):
    found = placed(matcher, project_sources(name="保山石墨电极项目", description="生产石墨电极，供应硅冶炼企业"))
    assert list(found) == ["green_silicon/si_electrode"]


def test_supporting_words_give_the_supporting_role(matcher):
    found = placed(matcher, project_sources(name="磷酸铁锂正极材料项目", description="配套建设磷酸铁生产线"))
    assert found["new_energy_battery/iron_phosphate"].role == "supporter"
    assert found["new_energy_battery/lfp"].role == "producer"


def test_an_enterprise_name_alone_is_weak_and_waits_for_an_officer(matcher):
    found = placed(matcher, enterprise_sources(name="大洋电机"))
    link = found["advanced_manufacturing/motor"]
    assert link.strength == "weak" and link.decision == "uncertain"
    products = placed(matcher, enterprise_sources(name="大洋电机", products="节能电机、永磁电机"))
    assert products["advanced_manufacturing/motor"].strength == "strong"


def test_a_chain_leader_is_placed_as_chain_leader(matcher):
    found = placed(matcher, enterprise_sources(name="某集团", products="电解铝、铝合金锭"), leader=True)
    assert {m.role for m in found.values()} == {"chain_leader"}


def test_a_gbt_class_naming_one_product_node_is_weak_evidence(matcher):
    found = placed(matcher, project_sources(name="某新建项目"), gbt_code="3218")
    assert found["green_silicon/metal_si_smelt"].strength == "weak"
    assert found["green_silicon/metal_si_smelt"].evidence == [{"source": "行业代码", "words": ["3218"]}]


def test_non_industrial_projects_are_on_no_chain(matcher):
    assert placed(matcher, project_sources(name="昆明住宅开发项目", description="开发商品住宅")) == {}


def test_the_labelled_set_has_at_least_150_texts_and_keeps_its_measure():
    cases = load_cases()
    assert len(cases) >= 150
    report = evaluate(cases)
    assert report.precision >= 0.95 and report.recall >= 0.95, report.render()


def test_the_held_out_set_written_after_the_vocabulary_keeps_its_measure():
    report = evaluate(load_cases(LABELLED.with_name("labelled_placements_holdout.jsonl")))
    assert report.cases >= 45
    assert report.precision >= 0.78 and report.recall >= 0.9, report.render()
