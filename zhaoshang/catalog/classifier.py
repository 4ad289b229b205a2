"""Key-industry classifier: project name + description → ranked key industries, the catalog words that matched
(the evidence), and suggested GB/T 4754-2017 small classes.

Offline and deterministic: the text is segmented by jieba with every catalog word added as a user word, then
each run of up to four consecutive tokens is looked up in the vocabulary. A word's weight is split between
the industries that share it, and words found in the project name count more than words in the description.
房地产 / 基础设施 / 金融 are recognised as not 产业类; a text matching nothing is 非重点产业.

The vocabulary comes from the database (editable in the admin site) through ``get_classifier()``, or from the
shipped data files through ``Classifier.from_files()`` (benchmarks, tests that need no database).
"""

import logging
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import jieba

from zhaoshang.catalog.reading import BLANK, BY_PRODUCTS, CLAUSE_BREAKS, SUPPORTING, clauses, normalize

jieba.setLogLevel(logging.WARNING)

KEY = "key"
EXCLUDED = "excluded"
NON_KEY_NAME = "非重点产业"
NON_INDUSTRIAL_LABEL = "非产业类"
INDUSTRY_TERM_WEIGHT = 1.0
SUB_ITEM_TERM_WEIGHT = 2.0
NAME_FACTOR = 1.5
SUPPORTING_FACTOR = 0.25  # a word that names a by-product or utility (配套余热发电) counts a quarter
MIN_KEY_SCORE = 1.6  # below this a text is 非重点产业
MAX_WINDOW = 4
MAX_INDUSTRIES = 5
MAX_GBT = 5
CACHE_SECONDS = 300
GBT_SUFFIXES = (
    "开采洗选",
    "压延加工",
    "制品制造",
    "制造",
    "加工",
    "生产",
    "服务",
    "种植",
    "饲养",
    "采选",
    "冶炼",
    "业",
)
GBT_STOP = {"其他", "相关", "专用", "设备", "用品", "产品", "服务", "制品", "配件", "零件", "材料"}


def main_and_supporting(text: str) -> tuple[str, str]:
    """The text split into what the project makes and what supports it: in each clause, the words after 配套 /
    附属 / 自备 … or from a utility such as 余热发电 or 屋顶光伏 on are supporting."""
    markers = SUPPORTING + BY_PRODUCTS
    if not any(marker in text for marker in markers):
        return text, ""
    main, supporting = [], []
    for start, end in clauses(text):
        clause = text[start:end]
        cut = min((clause.find(m) for m in markers if m in clause), default=-1)
        if cut == -1:
            main.append(clause)
        else:
            main.append(clause[:cut])
            supporting.append(clause[cut:])
    return "，".join(part for part in main if part), "，".join(supporting)


CLAUSES_KEPT = 50_000  # distinct clauses a TermIndex remembers the words of


class TermIndex:
    """Which of many words occur in a short text, without looking for every word: the words are filed under
    their first two characters (a word of one character under itself), and only those starting with two
    characters that stand side by side in the text are looked for. (Filed under the first character alone, a
    common one such as 年 or 产 brought dozens of words to look for in every text.)"""

    def __init__(self, terms):
        self.by_first: dict[str, set[str]] = defaultdict(set)
        self.by_pair: dict[str, set[str]] = defaultdict(set)
        self.single: set[str] = set()
        for term in terms:
            if term:
                self.by_first[term[0]].add(term)
                if len(term) == 1:
                    self.single.add(term)
                else:
                    self.by_pair[term[:2]].add(term)
        # Texts differ but their clauses repeat (an import's descriptions share sentences): when no word holds a
        # clause break, a word occurs in a text exactly when it occurs in one of its clauses, and each distinct
        # clause is looked at once.
        self.by_clause = not any(CLAUSE_BREAKS.search(term) for group in self.by_first.values() for term in group)
        self.clauses: dict[str, frozenset[str]] = {}
        # A clause seen for the first time is looked up with every character that is in no word blanked out: the
        # same words occur in it (a blank is in no word), and clauses that differ by a number or a name that is no
        # word share the look-up.
        kept = {char for group in self.by_first.values() for term in group for char in term}
        if not kept or BLANK in kept:  # no words (nothing to blank against), or a word holding the blank
            self.blank = None
        else:
            self.blank = re.compile("[^" + "".join(re.escape(c) for c in sorted(kept)) + "]")

    def present(self, text: str) -> set[str]:
        if not self.by_clause or CLAUSE_BREAKS.search(text) is None:
            return self._present(text)
        found = set()
        known = self.clauses
        for part in CLAUSE_BREAKS.split(text):
            if part:
                terms = known.get(part)
                if terms is None:
                    if len(known) >= CLAUSES_KEPT:
                        known.clear()  # a bound on memory; the words are the same
                    reduced = self.blank.sub(BLANK, part) if self.blank is not None else part
                    terms = known.get(reduced)
                    if terms is None:
                        terms = known[reduced] = frozenset(self._present(reduced))
                    known[part] = terms
                found |= terms
        return found

    def _present(self, text: str) -> set[str]:
        # A word of two or more characters occurs only where its first two do: exactly the words found by
        # looking for every word filed under each character of the text.
        by_pair = self.by_pair
        pairs = {text[i : i + 2] for i in range(len(text) - 1)}
        found = {term for pair in pairs for term in by_pair.get(pair, ()) if term in text}
        if self.single:
            found.update(self.single.intersection(text))
        return found


def parse_term(raw: str, default_weight: float) -> tuple[str, float] | None:
    raw = raw.strip()
    if not raw:
        return None
    term, _, weight = raw.partition("^")
    term = normalize(term).strip()
    if not term:
        return None
    try:
        value = float(weight) if weight else default_weight
    except ValueError:
        value = default_weight
    return term, value


@dataclass
class GroupSpec:
    """A key industry or a non-产业类 kind, with its words: (word, weight, sub-item seq or None)."""

    code: str
    name: str
    kind: str
    gbt: list[str] = field(default_factory=list)
    terms: list[tuple[str, float, int | None]] = field(default_factory=list)
    sub_items: dict[int, tuple[str, list[str]]] = field(default_factory=dict)

    def add_terms(self, raw_terms, seq: int | None = None) -> None:
        default = INDUSTRY_TERM_WEIGHT if seq is None else SUB_ITEM_TERM_WEIGHT
        for raw in raw_terms:
            parsed = parse_term(raw, default)
            if parsed:
                self.terms.append((parsed[0], parsed[1], seq))


def split_codes(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    return [c.strip() for c in value if c and c.strip()]


@dataclass
class IndustryScore:
    code: str
    name: str
    kind: str
    weight: float
    evidence: list[str]
    sub_items: list[str]
    score: float = 0.0

    def as_dict(self) -> dict:
        data = {"name": self.name, "score": self.score, "evidence": self.evidence}
        if self.sub_items:
            data["sub_items"] = self.sub_items
        if self.kind == EXCLUDED:
            data["category"] = NON_INDUSTRIAL_LABEL
        return data


@dataclass
class Classification:
    industries: list[IndustryScore]
    gbt: list[str]
    kind: str  # "key" | "non_key" | "non_industrial"

    @property
    def top(self) -> IndustryScore | None:
        return self.industries[0] if self.industries else None

    @property
    def top_name(self) -> str:
        return self.industries[0].name if self.industries else NON_KEY_NAME

    @property
    def key_industry(self) -> IndustryScore | None:
        return next((i for i in self.industries if i.kind == KEY), None) if self.kind == KEY else None

    def as_dict(self) -> dict:
        industries = [i.as_dict() for i in self.industries] or [{"name": NON_KEY_NAME, "score": 0.0, "evidence": []}]
        return {"industries": industries, "gbt": self.gbt, "kind": self.kind}


class Classifier:
    def __init__(self, groups: list[GroupSpec], gbt_names: dict[str, str] | None = None):
        self.groups = groups
        self.gbt_names = gbt_names or {}
        index: dict[str, list[tuple[int, float, int | None]]] = defaultdict(list)
        for gi, group in enumerate(groups):
            seen = set()
            for term, weight, seq in group.terms:
                if (term, seq) in seen:
                    continue
                seen.add((term, seq))
                index[term].append((gi, weight, seq))
        # A word shared by several groups is split between them.
        self.index = {}
        for term, entries in index.items():
            share = len({gi for gi, _, _ in entries})
            self.index[term] = [(gi, weight / share, seq) for gi, weight, seq in entries]
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for term in sorted(self.index):
            if len(term) > 1:
                self.tokenizer.add_word(term, freq=max(1000, 200 * len(term)))
        self.gbt_cores = self._gbt_cores()
        self.gbt_core_index = TermIndex(core for core, _ in self.gbt_cores)
        self.gbt_core_rank = {core: rank for rank, (core, _) in enumerate(self.gbt_cores)}

    # -- construction ---------------------------------------------------------------------------------------
    @classmethod
    def from_files(cls) -> "Classifier":
        import csv

        from zhaoshang.catalog.reference import DATA, key_industry_data

        data = key_industry_data()
        groups = []
        for entry in data["industries"]:
            group = GroupSpec(entry["code"], entry["name"], KEY, split_codes(entry["gbt"]))
            group.add_terms(entry["terms"])
            for sub in entry["sub_items"]:
                group.sub_items[sub["seq"]] = (sub["name"], split_codes(sub["gbt"]))
                group.add_terms(sub["terms"], sub["seq"])
            groups.append(group)
        for entry in data["non_industrial"]:
            group = GroupSpec(entry["code"], entry["name"], EXCLUDED, split_codes(entry["gbt"]))
            group.add_terms(entry["terms"])
            groups.append(group)
        with open(DATA / "gbt4754_2017_industry_classification.csv", encoding="utf-8", newline="") as fh:
            names = {r["code"]: r["name"] for r in csv.DictReader(fh) if r["level"] == "4"}
        return cls(groups, names)

    @classmethod
    def from_database(cls) -> "Classifier":
        from zhaoshang.catalog.models import ExcludedKind, IndustryClass, KeyIndustry

        groups = []
        for industry in KeyIndustry.objects.prefetch_related("sub_items").order_by("sort_order"):
            group = GroupSpec(industry.code, industry.name, KEY, split_codes(industry.gbt_codes))
            group.add_terms(industry.terms.splitlines())
            for sub in industry.sub_items.all():
                group.sub_items[sub.seq] = (sub.name, split_codes(sub.gbt_codes))
                group.add_terms(sub.terms.splitlines(), sub.seq)
            groups.append(group)
        for kind in ExcludedKind.objects.order_by("code"):
            group = GroupSpec(kind.code, kind.name, EXCLUDED, split_codes(kind.gbt_codes))
            group.add_terms(kind.terms.splitlines())
            groups.append(group)
        names = dict(IndustryClass.objects.filter(level=4).values_list("code", "name"))
        return cls(groups, names)

    def _gbt_cores(self) -> list[tuple[str, str]]:
        cores = {}
        for code, name in sorted(self.gbt_names.items()):
            for part in name.replace("及", "、").replace("和", "、").replace("，", "、").split("、"):
                core = part.strip()
                for suffix in GBT_SUFFIXES:
                    if core.endswith(suffix) and len(core) > len(suffix) + 1:
                        core = core[: -len(suffix)]
                        break
                core = core.removeprefix("其他")
                if len(core) >= 2 and core not in GBT_STOP:
                    cores.setdefault(normalize(core), code)
        return sorted(cores.items(), key=lambda item: (-len(item[0]), item[1]))

    # -- classification -------------------------------------------------------------------------------------
    def matched_terms(self, text: str) -> set[str]:
        tokens = [t for t in self.tokenizer.cut(normalize(text), HMM=False) if not t.isspace()]
        found = set()
        index = self.index
        for i in range(len(tokens)):
            joined = ""
            for j in range(i, min(i + MAX_WINDOW, len(tokens))):
                joined += tokens[j]
                if joined in index:
                    found.add(joined)
        return found

    def _terms_with_factors(self, name: str, description: str) -> dict[str, float]:
        """Each matched word with its factor: more in the name, less where it only supports the main product."""
        parts = []  # (words, base factor, supporting)
        main_text = ""
        # Waste-heat power and rooftop PV serve the line they sit on, in the name too ("熟料线余热发电项目").
        for text, base in ((name, NAME_FACTOR), (description, 1.0)):
            if not text:
                continue
            main, supporting = main_and_supporting(normalize(text))
            main_text += main.strip("，, ")
            parts.append((self.matched_terms(main) if main else set(), base, False))
            if supporting:
                parts.append((self.matched_terms(supporting), base, True))
        # Nothing but supporting words: they are the main product.
        only_supporting = not main_text
        factors: dict[str, float] = {}
        for words, base, supporting in parts:
            factor = base * SUPPORTING_FACTOR if supporting and not only_supporting else base
            for word in words:
                factors[word] = max(factors.get(word, 0.0), factor)
        return factors

    def classify(self, name: str = "", description: str = "") -> Classification:
        factors = self._terms_with_factors(name, description)
        weights: dict[int, float] = defaultdict(float)
        evidence: dict[int, dict[str, float]] = defaultdict(dict)
        sub_weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for term, factor in factors.items():
            for gi, weight, seq in self.index[term]:
                value = weight * factor
                weights[gi] += value
                evidence[gi][term] = max(evidence[gi].get(term, 0.0), value)
                if seq is not None:
                    sub_weights[gi][seq] += value
        ranked = sorted(weights, key=lambda gi: (-weights[gi], gi))
        best_key = next((gi for gi in ranked if self.groups[gi].kind == KEY), None)
        best_excluded = next((gi for gi in ranked if self.groups[gi].kind == EXCLUDED), None)
        if best_excluded is not None and (best_key is None or weights[best_excluded] >= weights[best_key]):
            kind = "non_industrial"
        elif best_key is not None and weights[best_key] >= MIN_KEY_SCORE:
            kind = KEY
        else:
            kind = "non_key"
        if kind == "non_key":
            ranked = []
        elif kind == KEY:
            ranked = [gi for gi in ranked if self.groups[gi].kind == KEY]
        ranked = ranked[:MAX_INDUSTRIES]
        total = sum(weights[gi] for gi in ranked) or 1.0
        industries = []
        for gi in ranked:
            group = self.groups[gi]
            subs = sorted(sub_weights[gi], key=lambda s: (-sub_weights[gi][s], s))
            industries.append(
                IndustryScore(
                    code=group.code,
                    name=group.name,
                    kind=group.kind,
                    weight=round(weights[gi], 3),
                    score=round(weights[gi] / total, 3),
                    evidence=sorted(evidence[gi], key=lambda t: (-evidence[gi][t], t)),
                    sub_items=[f"{s}. {group.sub_items[s][0]}" for s in subs if s in group.sub_items],
                )
            )
        gbt = self._suggest_gbt(ranked[0] if ranked else None, sub_weights, f"{name} {description}")
        return Classification(industries=industries, gbt=gbt, kind=kind)

    def _suggest_gbt(self, top: int | None, sub_weights, text: str) -> list[str]:
        codes: list[str] = []
        if top is not None:
            group = self.groups[top]
            subs = sorted(sub_weights[top], key=lambda s: (-sub_weights[top][s], s))
            for seq in subs:
                codes.extend(group.sub_items.get(seq, ("", []))[1][:2])
            codes.extend(group.gbt)
        if len(codes) < 2:
            found = sorted(self.gbt_core_index.present(normalize(text)), key=self.gbt_core_rank.__getitem__)
            codes.extend(self.gbt_cores[self.gbt_core_rank[core]][1] for core in found)
        unique = list(dict.fromkeys(c for c in codes if not self.gbt_names or c in self.gbt_names))
        return unique[:MAX_GBT]


_lock = threading.Lock()
_cached: tuple[float, Classifier] | None = None


def get_classifier() -> Classifier:
    """The classifier over the database vocabulary, rebuilt after an edit (see ``reset_classifier``) or after
    ``CACHE_SECONDS`` so that edits made in another process are picked up too."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > CACHE_SECONDS:
            _cached = (time.monotonic(), Classifier.from_database())
        return _cached[1]


def reset_classifier(**kwargs) -> None:
    global _cached
    _cached = None
