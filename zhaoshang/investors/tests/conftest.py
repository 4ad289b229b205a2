from datetime import date

import pytest

from zhaoshang.core.testing import persona
from zhaoshang.core.validators import credit_code_error
from zhaoshang.investors import services
from zhaoshang.investors.choices import ActivityKind, LeaderLevel
from zhaoshang.regions.models import Region


def with_check_char(first17: str) -> str:
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if credit_code_error(first17 + ch) is None:
            return first17 + ch
    raise AssertionError(first17)


@pytest.fixture
def lufeng_officer(db):
    return persona("lufeng_officer")


@pytest.fixture
def kunming_officer(db):
    return persona("kunming_officer")


@pytest.fixture
def region(db):
    def get(code):
        return Region.objects.get(code=code)

    return get


@pytest.fixture
def make_trip(lufeng_officer, region):
    def make(actor=None, enterprises=("广东海川电池材料有限公司", "浙江青山储能科技有限公司"), **fields):
        actor = actor or lufeng_officer
        fields.setdefault("destination_province", "广东")
        fields.setdefault("destination_city", "深圳")
        fields.setdefault("leader_name", "张三")
        fields.setdefault("leader_level", LeaderLevel.COUNTY_HEAD)
        rows = [services.enterprise_get_or_create(actor=actor, name=name) for name in enterprises]
        return services.activity_create(
            actor=actor,
            kind=fields.pop("kind", ActivityKind.TRIP),
            title=fields.pop("title", "赴深圳开展新能源电池产业招商"),
            start_on=fields.pop("start_on", date(2025, 3, 10)),
            enterprises=rows,
            **fields,
        )

    return make
