"""The data tables of the 台账 import (``data/SOURCES.md`` says where each comes from)."""

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
# What a heading or a place name carries besides its words: spaces, line breaks, marks of required columns,
# brackets of either width.
NOISE = re.compile(r"[\s*＊:：、/／\\|｜·.]+")


def normalise(text) -> str:
    """A heading or a name as compared: without spaces and marks, brackets in half width."""
    text = str(text or "").replace("（", "(").replace("）", ")").replace("【", "(").replace("】", ")")
    return NOISE.sub("", text)


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def header_words() -> dict[str, tuple[str, ...]]:
    """Field → the words that name it in a heading."""
    return {
        row["field"]: tuple(normalise(w) for w in row["words"].split("|") if w) for row in _rows("header_words.csv")
    }


@lru_cache(maxsize=1)
def all_header_words() -> tuple[tuple[str, str], ...]:
    """(word, field), longest word first: the longest word found in a heading decides its field."""
    pairs = [(word, field) for field, words in header_words().items() for word in words]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=1)
def stage_words() -> dict[str, str]:
    """Stage word → lifecycle stage value (``projects.choices.Stage``)."""
    return {normalise(row["word"]): row["stage"] for row in _rows("stage_words.csv")}


@lru_cache(maxsize=1)
def former_county_names() -> dict[str, str]:
    """Former name of a county-level division → its current code."""
    return {row["former_name"]: row["code"] for row in _rows("former_county_names.csv")}
