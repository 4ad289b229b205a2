import pytest

from zhaoshang.catalog.admission import AdmissionChecker
from zhaoshang.catalog.classifier import Classifier
from zhaoshang.catalog.quality import evaluate, load_labelled


@pytest.fixture(scope="module")
def classifier():
    return Classifier.from_files()


def test_topcon_cells_are_green_silicon_with_evidence(classifier):
    result = classifier.classify("年产10GW N型TOPCon电池片", "")
    assert result.top_name == "绿色硅"
    assert {"topcon", "电池片"} <= set(result.top.evidence)
    assert result.gbt[0] == "3825"


def test_text_matching_no_catalog_word_is_non_key_industry(classifier):
    result = classifier.classify("实木家具制造项目", "生产实木家具和木门")
    assert result.kind == "non_key"
    assert result.as_dict()["industries"] == [{"name": "非重点产业", "score": 0.0, "evidence": []}]
    assert result.gbt  # still suggests GB/T small classes from their names


@pytest.mark.parametrize(
    ("text", "kind_name"),
    [
        ("开发商品房住宅小区和写字楼", "房地产"),
        ("建设县城污水处理厂和雨污分流管网", "基础设施"),
        ("设立股权投资基金", "金融"),
    ],
)
def test_real_estate_infrastructure_and_finance_are_not_industrial(classifier, text, kind_name):
    result = classifier.classify("", text)
    assert result.kind == "non_industrial"
    assert result.as_dict()["industries"][0] == {
        "name": kind_name,
        "score": result.top.score,
        "evidence": result.top.evidence,
        "category": "非产业类",
    }


def test_industries_are_ranked_best_first_with_scores(classifier):
    result = classifier.classify("光伏组件和储能电站项目", "建设高效光伏组件生产线并配套独立储能电站")
    scores = [i.score for i in result.industries]
    assert scores == sorted(scores, reverse=True)
    assert {i.name for i in result.industries} >= {"绿色硅", "绿色能源"}


def test_classification_is_deterministic(classifier):
    text = "建设磷酸铁锂正极材料和电解液生产线"
    assert classifier.classify("", text).as_dict() == Classifier.from_files().classify("", text).as_dict()


@pytest.mark.django_db
def test_database_vocabulary_gives_the_same_answers_as_the_shipped_files(classifier):
    from_db = Classifier.from_database()
    for case in load_labelled()[:40]:
        assert (
            from_db.classify(case["name"], case["description"]).as_dict()
            == classifier.classify(case["name"], case["description"]).as_dict()
        )


def test_labelled_set_top1_at_least_90_percent_and_no_reject_passes(classifier):
    cases = load_labelled()
    assert len(cases) >= 80
    assert {c["expected_industry"] for c in cases} >= {
        "高原特色现代农业", "绿色铝", "绿色硅", "先进制造", "绿色能源", "新材料", "生物医药", "数字经济",
        "文旅康养", "现代物流", "出口导向型", "烟草", "房地产", "基础设施", "金融", "非重点产业",
    }  # fmt: skip
    report = evaluate(AdmissionChecker.from_files(classifier), cases)
    print(report.render())
    assert report.accuracy >= 0.9
    assert report.wrongly_passed == 0
