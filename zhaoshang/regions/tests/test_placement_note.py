"""Issue 11 item 9: a park's 来源 says in words how its county was decided, never the prepare script's rule code."""

import pytest

from zhaoshang.core.testing import CHUXIONG_PARK, KUNMING_PARK, LUFENG_PARK
from zhaoshang.regions.models import Park

pytestmark = pytest.mark.django_db
RULE_CODES = (
    "所在地简称即州市名",
    "所在地简称匹配县市区名",
    "地理编码地址含县市区名",
    "坐标落在县市区边界内",
    "无法确定县市区",
    "归州市",
)


def test_no_park_source_carries_a_rule_code():
    sources = list(Park.objects.values_list("code", "source"))
    assert sources
    wrong = [(code, source) for code, source in sources if any(rule in source for rule in RULE_CODES)]
    assert wrong == []


def test_a_park_run_by_its_prefecture_says_so():
    park = Park.objects.get(code=KUNMING_PARK)  # 昆明经开区: the catalogue names only 昆明
    assert park.source == (
        "《中国开发区审核公告目录（2018年版）》序号191。目录所列所在地“昆明”即州市名，未指明县市区，归属昆明市（州市直属）。"
    )
    chuxiong = Park.objects.get(code=CHUXIONG_PARK)
    assert "归属楚雄彝族自治州（州市直属）" in chuxiong.source


def test_a_park_placed_by_its_short_location_names_its_county():
    park = Park.objects.get(code=LUFENG_PARK)
    assert "目录所列所在地“禄丰”对应禄丰市，归属禄丰市。" in park.source


def test_the_park_page_shows_the_sentence(as_persona):
    park = Park.objects.get(code=KUNMING_PARK)
    html = as_persona("kunming_officer").get(f"/parks/{park.pk}/").content.decode()
    assert "归属昆明市（州市直属）" in html and "归州市" not in html


def test_the_map_names_its_boundary_source_in_words(as_persona):
    html = as_persona("kunming_officer").get("/parks/map/").content.decode()
    assert "SOURCES.md" not in html and "regions/data" not in html


def test_parks_loaded_before_the_fix_are_rewritten_by_the_migration():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zhaoshang.regions.migrations.0003_park_source_in_words")
    expected = Park.objects.get(code=KUNMING_PARK).source
    old = "《中国开发区审核公告目录（2018年版）》 序号191；归属：所在地简称即州市名：归州市"
    Park.objects.filter(code=KUNMING_PARK).update(source=old)
    Park.objects.filter(code=LUFENG_PARK).update(source="禄丰市投资促进局录入")  # edited since: left alone
    migration.rewrite_sources(apps, None)
    assert Park.objects.get(code=KUNMING_PARK).source == expected
    assert Park.objects.get(code=LUFENG_PARK).source == "禄丰市投资促进局录入"
