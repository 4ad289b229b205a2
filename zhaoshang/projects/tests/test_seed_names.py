"""Demo names are made of whole words: a county's short name is its name without the administrative suffix and the
nationalities (墨江, never 墨江哈), followed by a whole trade word."""

import random
import re
from datetime import date

import pytest

from zhaoshang.investors.models import Enterprise
from zhaoshang.projects.management.commands.seed_demo import TRADES, Seeder
from zhaoshang.regions.models import Region
from zhaoshang.regions.reference import NATIONALITIES

pytestmark = pytest.mark.django_db

OTHER_TRADES = ("商贸综合体", "房地产开发", "城市基础设施")
NATIONALITY = "(?:" + "|".join(NATIONALITIES) + ")"


def _whole_short_name(short: str, full: str) -> bool:
    """``short`` is ``full`` without whole words: nationalities and 自治县/自治州, or a single 市/县/区."""
    return bool(re.fullmatch(re.escape(short) + rf"(?:{NATIONALITY}+自治[县州]|[省市县区])?", full))


def test_every_county_short_name_is_a_whole_name():
    for region in Region.objects.filter(level__gte=2):
        assert _whole_short_name(region.short_name, region.name), (region.name, region.short_name)
    assert Region.objects.get(name="墨江哈尼族自治县").short_name == "墨江"


def test_many_generated_project_names_end_in_whole_words():
    seeder = Seeder(rng=random.Random(5), actor=None, today=date(2026, 6, 30))
    investors = [Enterprise(name=f"广东华信{i}实业有限公司", hq_province="广东") for i in range(30)]
    trades = sorted({t for words in TRADES.values() for t in words} | set(OTHER_TRADES), key=len, reverse=True)
    shape = re.compile(rf"(?P<place>.+?)(?P<trade>{'|'.join(trades)})项目（演示(?P<number>\d+)）")
    counties = {c.pk: c for c in Region.objects.counties()}
    seen = set()
    for i in range(2000):
        project = seeder.plan(i, investors)["project"]
        county = counties[project.county_id]
        match = shape.fullmatch(project.name)
        assert match, project.name
        assert match["place"] == county.short_name and _whole_short_name(match["place"], county.name), project.name
        assert match["number"] == str(i + 1)
        seen.add(county.name)
    assert "墨江哈尼族自治县" in seen and len(seen) == len(counties)
