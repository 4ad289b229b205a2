"""Fortune Global 500 in Chinese and linked to the A-share list (issue 11 item 6): every entry has a Chinese name,
short and former names; the Chinese groups are the 所属集团 of their listed companies, so a project of a listed
subsidiary is 世界500强 and counts in the 入滇 presence; search finds an enterprise by any of its names or its
stock code; loading again creates and changes nothing."""

import csv
import re
from datetime import date

import pytest

from zhaoshang.accounts.models import User
from zhaoshang.core.testing import persona
from zhaoshang.investors import services
from zhaoshang.investors.choices import TagKind
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.presence import global500_presence
from zhaoshang.investors.reference import (
    ASHARE_FILE,
    GLOBAL500_FILE,
    GLOBAL500_LINKS_FILE,
    GLOBAL500_ZH_FILE,
    global500_key,
    group_links,
    load_enterprises,
)
from zhaoshang.investors.search import FIELDS, enterprise_search
from zhaoshang.projects.services import project_create

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def read(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fg500(company: str) -> Enterprise:
    return Enterprise.objects.get(source_key=global500_key(company))


def listed(ts_code: str) -> Enterprise:
    return Enterprise.objects.get(source_key=f"ashare:{ts_code}")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("names_admin", password="x")


# The data files


def test_every_entry_of_the_list_has_a_chinese_name_in_the_teams_file():
    ranked = {int(row["rank"]): row["company"] for row in read(GLOBAL500_FILE)}
    rows = read(GLOBAL500_ZH_FILE)
    assert len(rows) == 500 and sorted(int(row["rank"]) for row in rows) == list(range(1, 501))
    for row in rows:
        assert row["name_en"] == ranked[int(row["rank"])], row
        assert CHINESE.search(row["name_zh"]), row  # a Chinese name, not the English one again
        assert row["confidence"] in ("official", "common"), row
        for names in (row["short_names"], row["former_names"]):
            assert all(name.strip() == name and name for name in names.split("|") if names), row


def test_every_group_link_names_an_entry_of_the_list_and_a_company_of_the_a_share_list():
    ranked = {int(row["rank"]): row["company"] for row in read(GLOBAL500_FILE)}
    chinese = {int(row["rank"]): row["name_zh"] for row in read(GLOBAL500_ZH_FILE)}
    stocks = {row["ts_code"]: row["name"] for row in read(ASHARE_FILE)}
    rows = read(GLOBAL500_LINKS_FILE)
    for row in rows:
        rank = int(row["rank"])
        assert row["name_en"] == ranked[rank] and row["name_zh"] == chinese[rank], row
        assert stocks[row["ts_code"]] == row["stock_name"], row
        assert row["relation"] in ("本体", "下属企业"), row
    codes = [row["ts_code"] for row in rows]
    assert len(codes) == len(set(codes))  # a listed company belongs to one group
    assert {"300750.SZ", "600028.SH", "000807.SZ"} <= set(codes)


# Loading


def test_all_500_entries_are_loaded_under_their_chinese_name_with_the_english_one_kept(db):
    rows = Enterprise.objects.filter(source_key__startswith="fg500:")
    assert rows.count() == 500
    assert not rows.filter(chinese_name="").exists()
    assert not [e.name for e in rows if e.name != e.chinese_name or e.needs_chinese_name]
    walmart = fg500("Walmart")
    assert walmart.name == walmart.chinese_name == "沃尔玛公司" and walmart.english_name == "Walmart"
    assert "沃尔玛" in walmart.short_name_list and walmart.hq_province == "境外"
    assert walmart.tags.get(kind=TagKind.GLOBAL500).rank == 1
    sinopec = fg500("Sinopec Group")
    assert sinopec.name == "中国石油化工集团有限公司"
    assert {"中国石化", "中石化"} <= set(sinopec.short_name_list)
    assert "中国石油化工集团公司" in sinopec.former_name_list


def test_listed_companies_are_members_of_their_global500_group(db):
    catl = fg500("Contemporary Amperex Technology")
    assert listed("300750.SZ").parent == catl  # 宁德时代
    sinopec = fg500("Sinopec Group")
    assert listed("600028.SH").parent == sinopec and listed("600688.SH").parent == sinopec  # 中国石化, 上海石化
    chinalco = fg500("Aluminum Corp. of China")
    assert {e.name for e in chinalco.members.all()} >= {"中国铝业", "云铝股份", "驰宏锌锗", "云南铜业"}
    linked = Enterprise.objects.filter(source_key__startswith="ashare:", parent__source_key__startswith="fg500:")
    assert linked.count() == len(group_links())


def test_loading_twice_creates_nothing_and_changes_nothing(db):
    before = {
        "enterprises": Enterprise.objects.count(),
        "linked": Enterprise.objects.filter(parent__isnull=False).count(),
        "names": set(Enterprise.objects.filter(source_key__startswith="fg500:").values_list("name", "search_aliases")),
    }
    assert load_enterprises() == (0, 0)
    assert load_enterprises() == (0, 0)
    after = {
        "enterprises": Enterprise.objects.count(),
        "linked": Enterprise.objects.filter(parent__isnull=False).count(),
        "names": set(Enterprise.objects.filter(source_key__startswith="fg500:").values_list("name", "search_aliases")),
    }
    assert after == before


def test_a_library_loaded_before_the_chinese_names_gets_them_and_the_links_on_the_next_load(superuser):
    """As an installation that loaded the English-only list: the next load fills names and links, once."""
    for enterprise in Enterprise.objects.filter(source_key__startswith="fg500:"):
        enterprise.name = enterprise.english_name
        enterprise.chinese_name = enterprise.short_names = enterprise.former_names = ""
        enterprise.save()
    Enterprise.objects.filter(source_key__startswith="ashare:").update(parent=None)
    assert fg500("Walmart").name == "Walmart" and names_found(superuser, "沃尔玛") == []
    assert load_enterprises() == (0, 500 + len(group_links()))
    assert fg500("Walmart").name == "沃尔玛公司" and names_found(superuser, "沃尔玛") == ["沃尔玛公司"]
    assert listed("300750.SZ").parent == fg500("Contemporary Amperex Technology")
    assert load_enterprises() == (0, 0)


def names_found(user, q):
    return sorted(row["name"] for row in enterprise_search(user, q))


def test_what_officers_entered_stays_and_the_lists_names_are_added(db, lufeng_officer):
    amazon = fg500("Amazon")
    services.enterprise_update(
        actor=lufeng_officer,
        enterprise=amazon,
        name="亚马逊（美国）公司",
        chinese_name="亚马逊（美国）公司",
        english_name="Amazon",
        short_names="AMZ",
    )
    own_group = Enterprise.objects.create(name="示例控股集团有限公司")
    member = listed("300750.SZ")
    member.parent = own_group
    member.save()
    assert load_enterprises() == (0, 1)  # Amazon gains the list's short names; nothing else changes
    amazon.refresh_from_db()
    assert amazon.name == amazon.chinese_name == "亚马逊（美国）公司"
    assert amazon.short_name_list == ["AMZ", "亚马逊", "Amazon.com"]
    assert "亚马逊公司" in amazon.former_name_list  # the name it had, kept by the service when renamed
    assert listed("300750.SZ").parent == own_group  # a group an officer set stays
    assert load_enterprises() == (0, 0)


# 世界500强 flag and the 入滇 presence


@pytest.mark.parametrize(
    ("investor", "group"),
    [("宁德时代", "Contemporary Amperex Technology"), ("中国石化", "Sinopec Group")],
)
def test_a_project_of_a_listed_subsidiary_is_global500_and_counts_in_the_presence(
    lufeng_officer, region, investor, group
):
    group = fg500(group)
    before = global500_presence()
    assert group.pk not in {row["id"] for row in before["present"]}
    project = project_create(
        actor=lufeng_officer,
        name="禄丰物流仓储中心项目",
        investor_name=investor,  # typed as officers type it: the A-share short name
        county=region("532302"),
        on=date(2025, 2, 1),
    )
    assert project.investor.source_key.startswith("ashare:") and project.investor.parent == group
    assert project.is_global500
    after = global500_presence()
    assert after["present_count"] == before["present_count"] + 1
    assert {
        "id": group.pk,
        "name": group.name,
        "rank": group.tags.get(kind=TagKind.GLOBAL500).rank,
        "via": "项目",
    } in after["present"]


def test_a_group_whose_listed_company_is_registered_in_yunnan_is_present(lufeng_officer, region):
    """云铝股份, 驰宏锌锗 and 云南铜业 are registered in Yunnan: 中国铝业集团 is present through them; a project of
    one of them adds the project as a second reason."""
    chinalco = fg500("Aluminum Corp. of China")
    present = {row["id"]: row for row in global500_presence()["present"]}
    assert present[chinalco.pk]["via"] == "在滇注册主体"
    project_create(
        actor=lufeng_officer,
        name="禄丰物流仓储中心项目",
        investor_name="云铝股份",
        county=region("532302"),
        on=date(2025, 2, 1),
    )
    present = {row["id"]: row for row in global500_presence()["present"]}
    assert present[chinalco.pk]["via"] == "在滇注册主体、项目"


# Search: Chinese or English name, short name, former name, stock code


QUERIES = [
    ("沃尔玛", "沃尔玛公司"),
    ("Walmart", "沃尔玛公司"),
    ("walmart inc", "沃尔玛公司"),
    ("宁德时代", "宁德时代新能源科技股份有限公司"),
    ("宁德时代", "宁德时代"),
    ("CATL", "宁德时代新能源科技股份有限公司"),
    ("Contemporary Amperex", "宁德时代新能源科技股份有限公司"),
    ("300750", "宁德时代"),
    ("300750.SZ", "宁德时代"),
    ("中石化", "中国石油化工集团有限公司"),
    ("中国石化", "中国石油化工集团有限公司"),
    ("中国石化", "中国石化"),
    ("中国石油化工集团公司", "中国石油化工集团有限公司"),  # former name
    ("脸书", "Meta Platforms公司"),  # former name
    ("Facebook", "Meta Platforms公司"),
    ("兖矿集团", "山东能源集团有限公司"),  # former name
    ("谷歌", "Alphabet公司"),  # short name
    ("State Grid", "国家电网有限公司"),
    ("国家电网", "国家电网有限公司"),
]


@pytest.mark.parametrize(("q", "expected"), QUERIES)
def test_search_finds_an_enterprise_by_any_of_its_names_or_its_stock_code(superuser, q, expected):
    rows = enterprise_search(superuser, q)
    assert expected in [row["name"] for row in rows], rows
    assert rows == list(Enterprise.objects.for_user(superuser).search(q).values(*FIELDS).order_by()[:20])


def test_a_fragment_never_matches_across_two_names(superuser):
    sinopec = fg500("Sinopec Group")
    assert "中国石化 中石化" in sinopec.search_aliases
    assert sinopec.pk not in {row["id"] for row in enterprise_search(superuser, "石化中石")}


def test_the_typeahead_api_finds_by_chinese_english_short_and_former_names_and_stock_code(client, db):
    client.force_login(persona("kunming_officer"))
    for q, expected in QUERIES:
        rows = client.get("/api/v1/enterprises/", {"q": q, "brief": 1}).json()["results"]
        assert expected in [row["name"] for row in rows], (q, rows)
    full = client.get("/api/v1/enterprises/", {"q": "中石化"}).json()["results"]
    sinopec = next(row for row in full if row["name"] == "中国石油化工集团有限公司")
    assert sinopec["english_name"] == "Sinopec Group" and "中石化" in sinopec["short_names"]


def test_names_officers_add_or_replace_stay_searchable(lufeng_officer, superuser):
    created = services.enterprise_create(actor=lufeng_officer, name="云南星河储能科技有限公司", short_names="星河储能")
    assert names_found(superuser, "星河储能") == ["云南星河储能科技有限公司"]
    services.enterprise_update(
        actor=lufeng_officer, enterprise=created, name="云南银河新能源股份有限公司", short_names="银河新能源"
    )
    assert names_found(superuser, "星河储能科技") == ["云南银河新能源股份有限公司"]  # its former name
    assert names_found(superuser, "银河新能源") == ["云南银河新能源股份有限公司"]
