"""The typeahead's precompiled enterprise search returns exactly the rows of the ORM search (on SQLite, and on
PostgreSQL when DATABASE_URL points at one), scoped as the ORM scopes them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.accounts.models import User
from zhaoshang.core.testing import persona
from zhaoshang.investors import search
from zhaoshang.investors.api import EnterpriseBriefSerializer
from zhaoshang.investors.choices import TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.search import FIELDS, TYPEAHEAD_LIMIT, enterprise_search
from zhaoshang.investors.tests.conftest import with_check_char

CODE = with_check_char("91530102MA6K0077X")
FRAGMENTS = [
    "星海储能",
    "星海储能股份有限公司",  # normalised: the suffix does not count
    "云南星海储能（集团）有限公司",  # normalised: brackets and (集团) do not count
    "  星海 储能 ",
    "（集团）",  # normalises to nothing: no match
    "滇中锂电",  # more matches than the typeahead shows
    "%",  # a literal percent sign, not a wildcard
    "%科",
    "_",  # normalisation drops it: no match
    "百分_",
    "\\",  # a literal backslash
    "反斜\\杠",
    "'; DROP TABLE investors_enterprise; --",
    "walmart",
    "WALMART INC",
    CODE[:8],  # credit code prefix
    CODE.lower(),
    "999901.sh",  # stock code prefix (via the tag)
    "999901",
    "99990",  # too short for a code: a name fragment
    "不存在的企业名",
    "",  # empty: the first enterprises
    "   ",
]


@pytest.fixture
def library(db):
    names = [
        "星海储能科技有限公司",
        "云南星海储能股份有限公司",
        "星海储能（集团）有限公司",
        "百分%科技有限公司",
        "百分之百科技有限公司",
        "下划_线实业有限公司",
        "反斜\\杠实业有限公司",
        "Walmart Inc.",
        "上海测试发展银行股份有限公司",
        "999901号科技有限公司",
        *[f"滇中锂电{n}号有限公司" for n in range(TYPEAHEAD_LIMIT + 5)],
    ]
    rows = {name: Enterprise.objects.create(name=name) for name in names}
    coded = rows["星海储能科技有限公司"]
    coded.credit_code = CODE
    coded.save()
    EnterpriseTag.objects.create(enterprise=rows["上海测试发展银行股份有限公司"], kind=TagKind.LISTED, code="999901.SH")
    return rows


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("search_admin", password="x")


def orm_rows(user, q, limit=TYPEAHEAD_LIMIT):
    return list(Enterprise.objects.for_user(user).search(q).values(*FIELDS).order_by()[:limit])


@pytest.mark.parametrize("q", FRAGMENTS)
def test_the_fast_search_returns_the_rows_of_the_orm_search(library, superuser, q):
    assert enterprise_search(superuser, q) == orm_rows(superuser, q)


def test_the_fast_search_returns_the_rows_of_the_orm_search_for_an_officer(library):
    officer = persona("kunming_officer")
    for q in FRAGMENTS:
        assert enterprise_search(officer, q) == orm_rows(officer, q), q
        assert enterprise_search(officer, q, 3) == orm_rows(officer, q, 3), q


def test_matches_are_by_normalised_name_or_code_with_like_characters_escaped(library, superuser):
    def names(q):
        return sorted(row["name"] for row in enterprise_search(superuser, q))

    assert names("星海储能股份有限公司") == [
        "云南星海储能股份有限公司",
        "星海储能科技有限公司",
        "星海储能（集团）有限公司",
    ]
    assert names("%") == ["百分%科技有限公司"]
    assert names("%科") == ["百分%科技有限公司"]
    assert names("_") == [] and names("（集团）") == []
    assert names("下划_线") == ["下划_线实业有限公司"]
    assert names("\\") == ["反斜\\杠实业有限公司"]
    assert names(CODE[:8]) == ["星海储能科技有限公司"]
    assert names("999901.sh") == ["上海测试发展银行股份有限公司"]
    assert names("999901") == ["999901号科技有限公司", "上海测试发展银行股份有限公司"]
    assert len(names("滇中锂电")) == TYPEAHEAD_LIMIT
    assert len(names("")) == TYPEAHEAD_LIMIT


def test_every_search_shape_is_one_precompiled_statement(library, superuser, django_assert_num_queries):
    for shape in search.SAMPLES:
        assert search._statement(connection.alias, shape, TYPEAHEAD_LIMIT), shape
    for q in ("星海储能", CODE[:8], ""):
        with django_assert_num_queries(1):
            enterprise_search(superuser, q)
    with django_assert_num_queries(0):
        assert enterprise_search(superuser, "_") == []


def test_the_search_is_scoped_like_the_orm(library, superuser):
    inactive = User.objects.create_user("search_inactive", password="x", is_active=False)
    for user in (AnonymousUser(), inactive, persona("enterprise_user")):
        assert Enterprise.objects.for_user(user).search("星海").count() == 0
        assert enterprise_search(user, "星海") == []
    assert enterprise_search(superuser, "星海", 0) == []


def test_the_typeahead_api_answers_what_the_brief_serializer_gave_without_counting(library, client):
    officer = persona("kunming_officer")
    client.force_login(officer)
    for q in ("星海储能", "%", "999901.SH", "滇中锂电", ""):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/enterprises/", {"q": q, "brief": 1})
        assert response.status_code == 200
        rows = Enterprise.objects.for_user(officer).search(q).only(*FIELDS).order_by()[:TYPEAHEAD_LIMIT]
        assert response.json() == {"results": EnterpriseBriefSerializer(rows, many=True).data}, q
        assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
