"""What the import's speed rests on (issue 18): the words found per clause, and the land kind decided once per text
reduced to the characters its reading looks at, give exactly what reading each text afresh gives."""

import pytest

from zhaoshang.catalog.admission import AdmissionChecker
from zhaoshang.catalog.land import LandReader
from zhaoshang.catalog.quality import load_all_labelled
from zhaoshang.catalog.reading import Reading, normalize

PLACES = ["禄丰", "楚雄", "大理", "景洪", "个旧"]
MARKERS = ["新建", "不建", "配套", "原有"]  # of one length: only the words differ, not the positions
PRODUCTS = ["电池材料", "硅片", "咖啡精深加工", "冷链物流", "康养小镇", "茶园", "光伏电站", "不新建厂房", "现有生产线"]


@pytest.fixture(scope="module")
def checker():
    return AdmissionChecker.from_files()


def texts() -> list[tuple[str, int]]:
    """(text, name length): the labelled cases, and names that differ only by a number or a place that names no
    land (which share a reduced text), with or without a negated, supporting or existing word before a land word."""
    found = [
        (normalize(f"{c['name']}。{c.get('description', '')}"), len(normalize(c["name"]))) for c in load_all_labelled()
    ]
    for i in range(360):
        name = f"{PLACES[i % 5]}{PRODUCTS[i % 9]}项目{100 + i}"
        marker = MARKERS[i % 4]  # texts alike but for these words must not share a decision
        description = f"年产{10 + i % 90}万吨{PRODUCTS[(i + 1) % 9]}，{marker}{PRODUCTS[(i + 4) % 9]}"
        found.append((normalize(f"{name}。{description}"), len(name)))
    return found


def test_the_words_found_per_clause_are_the_words_in_the_text(checker):
    for index in (checker.term_index, checker.land.term_index):
        words = [w for group in index.by_first.values() for w in group]
        for text, _ in texts() * 2:  # the second time from what was remembered
            assert index.present(text) == {w for w in words if w in text}, text


def test_the_land_kind_remembered_for_a_reduced_text_is_the_one_read_afresh(checker):
    remembering = LandReader(checker.land.kinds)
    afresh = LandReader(checker.land.kinds)
    afresh.blank = None  # no memory: every text read
    cases = texts()
    for text, name_end in cases * 2:
        assert remembering.decide(reading=Reading(text), name_end=name_end) == afresh.decide(
            reading=Reading(text), name_end=name_end
        ), text
    # The memory was used: texts that differ by a number or a place share their decision.
    assert len(remembering.decided) < len(cases)
