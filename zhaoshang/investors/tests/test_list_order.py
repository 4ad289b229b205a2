"""The enterprise library lists the most relevant enterprises first: not the *ST companies that a sort by name puts
at the top of the A-share list."""

import re

import pytest

from zhaoshang.core.testing import persona
from zhaoshang.investors.choices import EnterpriseSize
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.ordering import RISK_WARNING

pytestmark = pytest.mark.django_db


def names_on_page(client, query: str = "") -> list[str]:
    client.force_login(persona("lufeng_officer"))
    response = client.get(f"/enterprises/{query}")
    assert response.status_code == 200
    return [e.name for e in response.context["object_list"]]


def add(name: str, **fields) -> Enterprise:
    return Enterprise.objects.create(name=name, **fields)


def test_the_default_order_puts_flagged_groups_first_and_no_st_company_on_the_first_page(client):
    assert Enterprise.objects.filter(name__startswith="*ST").exists()  # the A-share list is loaded
    page = names_on_page(client)
    assert len(page) == 50
    assert not [name for name in page if re.match(RISK_WARNING, name)]
    flagged = Enterprise.objects.filter(name__in=page[:10])
    assert all(e.is_global500 or e.is_china500 or e.is_private500 for e in flagged), page[:10]


def test_flags_then_size_then_name_and_st_companies_last(client):
    add("ST琪瑁甲科技股份有限公司", is_china500=True)
    add("*ST琪瑁乙实业有限公司", size=EnterpriseSize.LARGE)
    add("云南琪瑁丙集团有限公司", is_china500=True)
    add("云南琪瑁丁科技有限公司", size=EnterpriseSize.LARGE)
    add("云南琪瑁戊科技有限公司")
    add("云南琪瑁己科技有限公司", size=EnterpriseSize.SMALL)
    add("云南琪瑁庚能源有限公司", is_global500=True)
    assert names_on_page(client, "?q=琪瑁") == [
        "云南琪瑁庚能源有限公司",  # 世界500强
        "云南琪瑁丙集团有限公司",  # 中国500强
        "云南琪瑁丁科技有限公司",  # 大型
        "云南琪瑁己科技有限公司",  # 小型
        "云南琪瑁戊科技有限公司",  # size unknown
        "ST琪瑁甲科技股份有限公司",  # under risk warning: last, however flagged (among them, the same order)
        "*ST琪瑁乙实业有限公司",
    ]


def test_a_search_lists_exact_then_prefix_matches_first(client):
    add("云南星河测试新材料有限公司", is_global500=True)
    add("星河测试光电有限公司")
    add("星河测试有限公司")
    page = names_on_page(client, "?q=星河测试")
    assert page == ["星河测试有限公司", "星河测试光电有限公司", "云南星河测试新材料有限公司"]


def test_a_column_the_officer_picks_still_sorts_by_that_column(client):
    page = names_on_page(client, "?sort=name")
    assert page == sorted(page)
