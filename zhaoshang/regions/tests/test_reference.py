import re

import pytest
from django.core.management import call_command

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.regions.models import Park, Region


@pytest.mark.django_db
def test_the_tree_has_the_real_146_nodes_with_paths():
    assert Region.objects.filter(level=1).count() == 1
    assert Region.objects.prefectures().count() == 16
    assert Region.objects.counties().count() == 129
    lufeng = Region.objects.get(code="532302")
    assert (lufeng.name, lufeng.path, lufeng.parent.code) == ("禄丰市", "530000/532300/532302", "532300")
    assert Region.objects.get(code="532300").short_name == "楚雄"
    assert not Region.objects.filter(center_lon__isnull=True).exists()


@pytest.mark.django_db
def test_all_78_parks_are_attached_to_a_county_or_prefecture():
    assert Park.objects.count() == 78
    assert Park.objects.filter(level="national").count() == 15
    assert not Park.objects.filter(region__level=1).exists()
    park = Park.objects.get(code="S539053")
    assert (park.region.code, park.path) == ("532302", "530000/532300/532302/S539053")
    assert Park.objects.get(code="G531042").region.code == "530100"
    assert not Park.objects.filter(lon__isnull=True).exists()
    assert Park.objects.filter(location_approximate=True).count() == 7


@pytest.mark.django_db
def test_catalog_reference_lists():
    assert KeyIndustry.objects.count() == 12
    assert [i.name for i in KeyIndustry.objects.all()[:3]] == ["高原特色现代农业", "绿色铝", "绿色硅"]
    counts = {level: IndustryClass.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 20, 2: 97, 3: 473, 4: 1381}
    assert IndustryClass.objects.get(code="3216").parent.code == "321"


@pytest.mark.django_db
def test_org_units_cover_every_bureau_park_and_industry_department():
    assert OrgUnit.objects.filter(kind="provincial_bureau").count() == 1
    assert OrgUnit.objects.filter(kind="prefecture_bureau").count() == 16
    assert OrgUnit.objects.filter(kind="county_bureau").count() == 129
    assert OrgUnit.objects.filter(kind="park_committee").count() == 78
    assert OrgUnit.objects.filter(kind="industry_department").count() == 12
    committee = OrgUnit.objects.get(code="PARK-S539053")
    assert committee.path == "530000/532300/532302/S539053"


@pytest.mark.django_db
def test_loading_twice_duplicates_nothing():
    before = (Region.objects.count(), Park.objects.count(), IndustryClass.objects.count(), OrgUnit.objects.count())
    call_command("load_reference_data", verbosity=0)
    call_command("create_demo_accounts", verbosity=0)
    after = (Region.objects.count(), Park.objects.count(), IndustryClass.objects.count(), OrgUnit.objects.count())
    assert before == after == (146, 78, 1971, 236)


def test_short_names_cut_the_nationalities_as_whole_words():
    from zhaoshang.regions.reference import NATIONALITIES, read_csv, short_name

    names = {row["name"]: short_name(row["name"]) for row in read_csv("yunnan_admin_divisions.csv")}
    assert names["墨江哈尼族自治县"] == "墨江"
    assert names["红河哈尼族彝族自治州"] == "红河"
    assert names["怒江傈僳族自治州"] == "怒江"
    assert names["双江拉祜族佤族布朗族傣族自治县"] == "双江"
    assert names["西双版纳傣族自治州"] == "西双版纳"
    assert (names["楚雄彝族自治州"], names["昆明市"], names["云南省"]) == ("楚雄", "昆明", "云南")
    words = "|".join(NATIONALITIES)
    for name, short in names.items():
        # What is cut off is whole words: nationalities and 自治州/自治县, or one 省/市/县/区.
        assert short and name.startswith(short), name
        assert re.fullmatch(rf"(?:(?:{words})+(?:自治州|自治县))?|[省市县区]?", name[len(short) :]), (name, short)
