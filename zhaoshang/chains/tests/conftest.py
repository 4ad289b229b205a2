"""Fixtures of the chains tests (the world they share with other tests is in ``world.py``)."""

import pytest

from zhaoshang.chains.models import ChainNode, IndustryChain
from zhaoshang.chains.services import chains_load_shipped
from zhaoshang.chains.tests.world import World, build_world


@pytest.fixture
def chains(db):
    chains_load_shipped(actor=None)
    return {c.code: c for c in IndustryChain.objects.current()}


@pytest.fixture
def silicon(chains) -> IndustryChain:
    return chains["green_silicon"]


@pytest.fixture
def world(silicon) -> World:
    return build_world(silicon)


@pytest.fixture
def silicon_nodes(silicon) -> dict[str, ChainNode]:
    return {n.key: n for n in ChainNode.objects.filter(chain=silicon)}


@pytest.fixture(autouse=True)
def fresh_rankings():
    """Rankings are kept per process until a write is audited (``selectors.data_version``); a test's database
    starts afresh, and some tests change rows directly (without an audit row), so each test starts with none kept."""
    from zhaoshang.chains.targeting_selectors import _RANKINGS

    _RANKINGS.clear()
    yield
    _RANKINGS.clear()
