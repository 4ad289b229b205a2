import time

import pytest
from django.core import signing
from django.core.cache import cache

from zhaoshang.portal.cache import STAMP_SALT
from zhaoshang.portal.demo import seed_demo_portal


@pytest.fixture
def portal(db):
    """The demo content of `make run` (published guide, parks and 禄丰/楚雄 projects), with an empty page cache."""
    cache.clear()
    seed_demo_portal()
    yield
    cache.clear()


class _ShownEarlier(signing.TimestampSigner):
    """The form's signed time as if the page had been shown ``seconds`` ago (a person takes that long to type)."""

    def __init__(self, seconds, **kwargs):
        self.seconds = seconds
        super().__init__(**kwargs)

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.seconds)


def stamp(seconds_ago: int = 30) -> str:
    return _ShownEarlier(seconds_ago, salt=STAMP_SALT).sign("shown")


def enquiry_data(**overrides) -> dict:
    data = {
        "name": "王晓明",
        "company": "深圳新材科技有限公司",
        "contact": "13800138000",
        "message": "We want land for a titanium plant.",
        "consent": "on",
        "website": "",
        "stamp": stamp(),
    }
    return data | overrides
