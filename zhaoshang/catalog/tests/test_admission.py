from decimal import Decimal

import pytest

from zhaoshang.catalog.admission import AdmissionChecker, ProjectFacts
from zhaoshang.catalog.classifier import Classifier
from zhaoshang.catalog.models import LandUseThreshold
from zhaoshang.catalog.quality import default_thresholds
from zhaoshang.catalog.services import PayloadError, admission_batch, admission_payload, thresholds_for
from zhaoshang.core.testing import LUFENG_PARK
from zhaoshang.regions.models import Park, Region


@pytest.fixture(scope="module")
def checker():
    return AdmissionChecker.from_files(Classifier.from_files())


def check(checker, name, description="", **numbers):
    facts = ProjectFacts(name=name, description=description, **{k: Decimal(str(v)) for k, v in numbers.items()})
    return checker.check(facts, default_thresholds())


def test_new_cement_clinker_line_is_rejected_by_overcapacity(checker):
    result = check(checker, "新建日产4000吨水泥熟料生产线")
    assert result.verdict == "reject"
    assert result.rules == ["overcapacity"]
    assert "水泥熟料" in result.reasons[0] and "产能严重过剩" in result.reasons[0]


def test_capacity_replacement_lifts_the_overcapacity_rejection(checker):
    result = check(checker, "水泥熟料生产线", "通过产能置换新建日产4000吨水泥熟料生产线")
    assert result.verdict == "pass"
    assert any("产能置换" in r for r in result.reasons)


def test_downstream_aluminium_is_not_overcapacity(checker):
    result = check(checker, "铝合金扁锭项目", "依托电解铝企业铝液生产铝合金扁锭")
    assert "overcapacity" not in result.rules


def test_topcon_cells_pass_with_their_classification(checker):
    result = check(
        checker, "年产10GW N型TOPCon电池片", total_investment_wan=600000, land_mu=800, expected_annual_tax_wan=30000
    )
    assert result.verdict == "pass"
    assert result.classification.top_name == "绿色硅"
    assert {"topcon", "电池片"} <= set(result.classification.top.evidence)
    assert result.as_dict()["industry"] == "绿色硅" and "未触发不招、慎招规则。" in result.reasons
    assert result.not_checked == ["未提供投资方名称或统一社会信用代码，未核查失信主体名单。"]


def test_low_investment_intensity_and_tax_per_mu_are_rejected_with_figures(checker):
    result = check(checker, "机械零部件加工厂", total_investment_wan=3000, land_mu=100, expected_annual_tax_wan=300)
    assert result.verdict == "reject"
    assert result.rules == ["intensity", "tax_per_mu"]
    assert "投资强度 30.00 万元/亩" in result.reasons[0] and "150.00" in result.reasons[0]


def test_thresholds_in_the_facts_override_the_default(checker):
    facts = ProjectFacts(
        name="机械零部件加工厂",
        total_investment_wan=Decimal("30000"),
        land_mu=Decimal("100"),
        expected_annual_tax_wan=Decimal("1000"),
        min_intensity_wan_per_mu=Decimal("400"),
    )
    assert checker.check(facts, default_thresholds()).rules == ["intensity"]


def test_blacklisted_investor_is_rejected(checker):
    facts = ProjectFacts(name="高效光伏组件项目", investor_credit="blacklisted")
    result = checker.check(facts, default_thresholds())
    assert result.verdict == "reject" and result.rules == ["credit"]


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("比特币挖矿矿场", "eliminated"),
        ("新建年产5万吨黄磷装置", "restricted"),
        ("在金沙江岸线一公里范围内新建化工项目", "security_ecology"),
        ("在生态保护红线内建设度假酒店", "security_ecology"),
    ],
)
def test_catalog_items_reject_and_name_their_source(checker, name, rule):
    result = check(checker, name)
    assert result.verdict == "reject" and rule in result.rules
    assert "出处" in result.reasons[0]


def test_negated_ecology_statement_does_not_fire(checker):
    result = check(checker, "光伏组件项目", "项目选址不占用永久基本农田，不涉及生态保护红线")
    assert "security_ecology" not in result.rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("流转土地1万亩种植蔬菜，企业统一经营", "farmer_benefit"),
        ("露天开采磷矿，原矿和精矿全部外销", "raw_material_only"),
        ("注册贸易结算中心，开展过账贸易", "short_term_gdp"),
    ],
)
def test_cautious_rules_give_review(checker, text, rule):
    result = check(checker, text)
    assert result.verdict == "review" and result.rules == [rule]
    assert "慎招" in result.reasons[0]


def test_farmers_benefit_linkage_lifts_the_review(checker):
    result = check(checker, "流转土地1万亩种植蔬菜，与合作社建立保底分红利益联结机制")
    assert result.verdict == "pass"


@pytest.mark.django_db
def test_thresholds_fall_back_from_park_to_county_to_province():
    park = Park.objects.get(code=LUFENG_PARK)
    assert thresholds_for(park_code=LUFENG_PARK).basis == "全省默认值"
    LandUseThreshold.objects.create(
        region=park.region, min_intensity_wan_per_mu=Decimal("200"), min_tax_wan_per_mu=Decimal("12")
    )
    assert thresholds_for(park_code=LUFENG_PARK).min_intensity_wan_per_mu == Decimal("200")
    LandUseThreshold.objects.create(
        park=park, min_intensity_wan_per_mu=Decimal("300"), min_tax_wan_per_mu=Decimal("15")
    )
    assert thresholds_for(park_code=LUFENG_PARK).min_tax_wan_per_mu == Decimal("15")
    assert thresholds_for(region_code=Region.objects.get(code="530100").code).basis == "全省默认值"


@pytest.mark.django_db
def test_park_threshold_applies_in_the_payload():
    park = Park.objects.get(code=LUFENG_PARK)
    LandUseThreshold.objects.create(park=park, min_intensity_wan_per_mu=Decimal("500"), min_tax_wan_per_mu=Decimal("5"))
    obj = {"id": 1, "name": "变压器生产", "total_investment_wan": 40000, "land_mu": 100, "expected_annual_tax_wan": 900}
    assert admission_payload(obj)["verdict"] == "pass"
    answer = admission_payload({**obj, "park_code": LUFENG_PARK})
    assert answer["verdict"] == "reject" and "云南禄丰工业园区标准" in answer["reasons"][0]


@pytest.mark.django_db
def test_thresholds_in_a_batch_answer_as_one_by_one():
    park = Park.objects.get(code=LUFENG_PARK)
    prefecture = Region.objects.get(code=park.region.path.split("/")[1])
    LandUseThreshold.objects.create(region=prefecture, min_intensity_wan_per_mu=Decimal("180"), min_tax_wan_per_mu=10)
    LandUseThreshold.objects.create(park=park, min_intensity_wan_per_mu=Decimal("300"), min_tax_wan_per_mu=15)
    questions = [{"park_code": p.code} for p in Park.objects.all()]
    questions += [{"region_code": r.code} for r in Region.objects.all()] + [{}]
    one_by_one = [thresholds_for(**q) for q in questions]
    with admission_batch():
        assert [thresholds_for(**q) for q in questions] == one_by_one
        with pytest.raises(PayloadError, match="园区编码不存在"):
            thresholds_for(park_code="NOPE")
    with pytest.raises(PayloadError, match="区划代码不存在"):
        thresholds_for(region_code="999999")
    bases = {t.basis for t in one_by_one}
    assert {"云南禄丰工业园区标准", f"{prefecture.name}标准", "全省默认值"} <= bases


def test_term_index_finds_exactly_the_words_in_the_text(checker):
    words = [w for letters in checker.term_index.by_first.values() for w in letters]
    texts = ["新建日产4000吨水泥熟料生产线", "通过产能置换新建电解铝", "禄丰咖啡精深加工项目", "", "ａｂｃ 年产10万吨"]
    for text in texts:
        assert checker.term_index.present(text) == {w for w in words if w in text}
    assert "水泥熟料" in checker.term_index.present(texts[0])
