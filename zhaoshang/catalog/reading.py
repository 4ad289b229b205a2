"""Reading a project's words in their clause: is a statement affirmed, negated, or only planned, and what sizes
does the text state?

A word found in a text is not yet evidence. "置换产能指标正在协调中" names 产能置换 but says it is not secured;
"不增加熟料产能" names new capacity and denies it; "配套余热发电" names power generation as a by-product. The
admission checker and the classifier read each occurrence in its clause (the text between two of ，。；！？ and
line breaks; 、 separates the items of one list and does not end a clause):

- **negated**: a negation (未/尚未/没有/无/不/非/暂未/避让 …) earlier in the clause, or a denial after the word
  ("…：无", "不涉及"). Words that only look negative (未来, 无锡, 不锈钢, 非金属, 未经批准 …) are masked first.
- **not yet**: a condition or plan in the clause (待取得, 拟申请, 正在协调, 申请中 …).
- **existing / supporting**: 现有 / 原有 / 利用现有 mark existing plant; 配套 / 附属 / 自备 / 余热 mark what
  follows as supporting the main product.

Harmful evidence counts unless negated (a plan to do harm is still harm); exonerating evidence (产能置换, a
farmers' dividend) counts only when affirmed: neither negated nor merely planned. The asymmetry is the point:
a wrongly passed 不招 project is the worst error the checker can make.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache

CLAUSE_BREAKS = re.compile(r"[，,。；;！!？?\n\r]")
NEGATIONS = ("尚未", "暂未", "并未", "未能", "没有", "未", "无", "不", "非", "避让", "避开", "远离", "杜绝")
# Words that contain a negation character but deny nothing, or make a statement worse rather than deny it.
FALSE_NEGATIONS = (
    "未来",
    "未经",
    "未批",
    "未依法",
    "未取得合法",
    "无锡",
    "无人",
    "无线",
    "无机",
    "无缝",
    "无纺",
    "无菌",
    "无公害",
    "无害化",
    "无水",
    "无铅",
    "无汞",
    "无氟",
    "无尘",
    "无序",
    "无证",
    "无照",
    "不锈钢",
    "不动产",
    "不干胶",
    "不合规",
    "不符合",
    "不达标",
    "不规范",
    "不断",
    "不仅",
    "不少于",
    "不低于",
    "不超过",
    "不高于",
    "不小于",
    "不大于",
    "非洲",
    "非金属",
    "非遗",
    "非晶",
    "非织造",
    "非标",
    "非法",
    "非常",
    "是否",
    "无论",
    "并非不",
)
# A denial after the word, as in forms and checklists ("生态保护红线：不涉及").
DENIALS_AFTER = (
    "不涉及",
    "未涉及",
    "均不涉及",
    "不占用",
    "未占用",
    "不存在",
    "已避让",
    "已调出",
    "范围以外",
    "范围之外",
    "以外",
    "之外",
    "边界相距",
    "边界距离",
    "：无",
    ":无",
    "：否",
    ":否",
)
NOT_YET = (
    "待取得",
    "待落实",
    "待批",
    "待审",
    "待完成",
    "待办理",
    "待协调",
    "待定",
    "拟申请",
    "拟通过",
    "拟实施",
    "拟采用",
    "拟取得",
    "拟与",
    "拟建立",
    "拟",
    "计划申请",
    "计划通过",
    "计划实施",
    "计划取得",
    "正在",
    "协调中",
    "申请中",
    "办理中",
    "报批中",
    "审批中",
    "洽谈中",
    "谈判中",
    "争取",
    "力争",
    "尚需",
    "还需",
    "有待",
    "预计取得",
    "将申请",
    "将实施",
    "将通过",
    "将建立",
    "将与",
    "后续",
    "视情况",
    "如能",
    "若能",
    "能否",
    "不确定",
    "亟待",
    "待",
)
# Words that contain a not-yet marker but state a plan of nothing (计划总投资 is a figure, 接待 a service).
FALSE_NOT_YET = (
    "计划总投资",
    "计划投资",
    "接待",
    "招待",
    "期待",
    "待遇",
    "款待",
    "优待",
    "对待",
    "看待",
    "拟建项目",
    "拟建地点",
    "正在运营",
    "正在生产",
)
EXISTING = ("利用现有", "依托现有", "现有", "原有", "已建成", "已有")
# A clause about something stopped or removed ("原有生产线已停产拆除") describes the past, not the project.
ENDED = ("停产", "拆除", "关停", "关闭", "取缔", "已淘汰", "淘汰退出", "不再生产", "不再从事")
# A clause placing a thing elsewhere ("生产基地仍在省外") does not bring it here.
ELSEWHERE = ("省外", "外省", "境外", "异地", "仍在", "留在", "均在北京", "均在上海", "在外地")
SUPPORTING = ("配套建设", "配套", "附属", "自备", "兼顾", "同时建设", "附带")
# Utilities and by-products a description names beside the main product (a clinker line's waste-heat power).
BY_PRODUCTS = ("余热发电", "余热利用", "余热回收", "余压发电", "余热锅炉", "屋顶光伏", "分布式光伏", "光伏车棚")
BUT = ("但", "却", "仍", "然而", "只是")
# Every word a reading looks for around a term (whether it is negated, planned, existing, supporting …).
READING_WORDS = (
    *NEGATIONS,
    *FALSE_NEGATIONS,
    *DENIALS_AFTER,
    *NOT_YET,
    *FALSE_NOT_YET,
    *EXISTING,
    *ENDED,
    *ELSEWHERE,
    *SUPPORTING,
    *BY_PRODUCTS,
    *BUT,
)
BLANK = "□"  # in no word


def blanker(terms) -> re.Pattern | None:
    """The characters of a text that are in none of ``terms``, none of the reading's own words and no clause break.
    Put ``BLANK`` in their place (``pattern.sub``) and a text keeps its length, its clauses and every occurrence of
    every word, and gains none: two texts made equal so read alike for ``terms`` (which term occurs where, negated,
    planned, existing or supporting), though the clauses a reason would quote differ. None when a word holds
    ``BLANK``."""
    kept = set("".join(terms)) | set("".join(READING_WORDS)) | set("，,。；;！!？?\n\r")
    if BLANK in kept:
        return None
    return re.compile("[^" + "".join(re.escape(c) for c in sorted(kept)) + "]")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each clause of ``text``."""
    spans, start = [], 0
    for match in CLAUSE_BREAKS.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _any_of(words) -> re.Pattern:
    """One pattern that finds any of ``words``: ``pattern.search(text) is not None`` is exactly
    ``any(w in text for w in words)``, in one pass of C instead of a Python loop per word."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _mask(text: str, words, found: re.Pattern | None = None) -> str:
    if found is not None and found.search(text) is None:
        return text  # none of the words occurs: the loop below would change nothing
    for word in words:
        if word in text:
            text = text.replace(word, "□" * len(word))
    return text


HAS_FALSE_NEGATION = _any_of(FALSE_NEGATIONS)
HAS_FALSE_NOT_YET = _any_of(FALSE_NOT_YET)
HAS_NEGATION = _any_of(NEGATIONS)
HAS_DENIAL_AFTER = _any_of(DENIALS_AFTER)
HAS_NOT_YET = _any_of(NOT_YET)
HAS_ENDED = _any_of(ENDED)
HAS_ELSEWHERE = _any_of(ELSEWHERE)
HAS_EXISTING = _any_of(EXISTING)
HAS_SUPPORTING = _any_of(SUPPORTING)
HAS_BY_PRODUCT = _any_of(BY_PRODUCTS)


# Clauses repeat across the texts of an import or a batch (descriptions share their sentences) while the texts
# themselves rarely do: what a clause says, and how a term at an offset in it reads, is worked out once per
# distinct clause. Both depend on the clause's text alone (and the term and offset), never on the whole text.
@lru_cache(maxsize=8192)
def _clause_facts(clause: str) -> tuple[str, str, bool, bool, bool]:
    """The clause with false negations masked, the clause, and whether it only plans (not yet), speaks of
    something ended, or places things elsewhere."""
    no_false_not_yet = _mask(clause, FALSE_NOT_YET, HAS_FALSE_NOT_YET)
    return (
        _mask(clause, FALSE_NEGATIONS, HAS_FALSE_NEGATION),
        clause,
        HAS_NOT_YET.search(no_false_not_yet) is not None,
        HAS_ENDED.search(clause) is not None,
        HAS_ELSEWHERE.search(clause) is not None,
    )


@lru_cache(maxsize=16384)
def _term_in_clause(no_false_negation: str, clause: str, term: str, offset: int) -> tuple[bool, bool, bool, bool]:
    """(negated, denied after, existing, supporting) of ``term`` at ``offset`` in the clause."""
    before = no_false_negation[:offset]
    after = no_false_negation[offset + len(term) :]
    negated = False
    if HAS_NEGATION.search(before) is not None:
        for marker in NEGATIONS:
            at = before.rfind(marker)
            if at != -1 and not any(b in before[at:] for b in BUT):
                negated = True
                break
    if not negated:
        negated = HAS_DENIAL_AFTER.search(after) is not None
    denied_after = HAS_NEGATION.search(after) is not None
    head = clause[:offset]
    existing = HAS_EXISTING.search(head) is not None
    supporting = HAS_SUPPORTING.search(head) is not None or term.startswith(SUPPORTING)
    # A utility named beside the main product (…熟料线，余热发电) supports it; at a text's start it is the project.
    supporting = supporting or (offset > 0 and HAS_BY_PRODUCT.search(clause, 0, offset + len(term)) is not None)
    return negated, denied_after, existing, supporting


@dataclass(frozen=True)
class Mention:
    term: str
    start: int
    clause: str  # the clause's text
    offset: int  # the term's position in the clause
    negated: bool
    not_yet: bool
    existing: bool
    supporting: bool
    denied_after: bool = False  # a negation later in the clause ("置换指标尚未落实")
    ended: bool = False
    elsewhere: bool = False

    @property
    def affirmed(self) -> bool:
        return not self.negated and not self.not_yet and not self.denied_after


class Reading:
    """One text, read clause by clause. Build it once per check; each term is read on demand."""

    def __init__(self, text: str):
        self.text = normalize(text)
        self.spans = clauses(self.text)
        self._mentions: dict[str, list[Mention]] = {}

    @cached_property
    def _clauses(self) -> list[tuple[str, str, bool, bool, bool]]:
        """Per clause, what holds for the whole clause (``_clause_facts``)."""
        text = self.text
        return [_clause_facts(text[start:end]) for start, end in self.spans]

    def _clause_index(self, position: int) -> int:
        for index, (start, end) in enumerate(self.spans):
            if start <= position < end:
                return index
        return -1

    def mentions(self, term: str) -> list[Mention]:
        found = self._mentions.get(term)
        if found is not None:
            return found
        found = []
        position = self.text.find(term)
        while position != -1:
            index = self._clause_index(position)
            if index >= 0:
                found.append(self._read(term, position, index))
            position = self.text.find(term, position + 1)
        self._mentions[term] = found
        return found

    def _read(self, term: str, position: int, index: int) -> Mention:
        offset = position - self.spans[index][0]
        no_false_negation, clause, not_yet, ended, elsewhere = self._clauses[index]
        negated, denied_after, existing, supporting = _term_in_clause(no_false_negation, clause, term, offset)
        return Mention(
            term, position, clause, offset, negated, not_yet, existing, supporting, denied_after, ended, elsewhere
        )

    # -- questions the checker asks ---------------------------------------------------------------------------
    def stated(self, terms, present: set[str] | None = None, outside=()) -> list[Mention]:
        """The first occurrence of each term that is not negated (a plan still counts): harmful evidence.
        Occurrences inside one of the ``outside`` spans (phrases that exclude the term) are skipped."""
        hits = []
        for term in terms:
            if present is not None and term not in present:
                continue
            for mention in self.mentions(term):
                end = mention.start + len(term)
                if mention.negated or mention.ended:
                    continue
                if any(start < end and mention.start < stop for start, stop in outside):
                    continue
                hits.append(mention)
                break
        return hits

    def spans_of(self, phrases) -> list[tuple[int, int]]:
        """Where any of ``phrases`` occurs, negated or not."""
        spans = []
        for phrase in phrases:
            position = self.text.find(phrase)
            while position != -1:
                spans.append((position, position + len(phrase)))
                position = self.text.find(phrase, position + 1)
        return spans

    def affirmed(self, terms, present: set[str] | None = None, *, here: bool = False) -> list[Mention]:
        """The first occurrence of each term that is neither negated nor only planned: exonerating evidence.
        With ``here``, a thing placed elsewhere ("研发团队均在北京") does not count either."""
        hits = []
        for term in terms:
            if present is not None and term not in present:
                continue
            for mention in self.mentions(term):
                if mention.affirmed and not (here and mention.elsewhere):
                    hits.append(mention)
                    break
        return hits

    def denied_or_pending(self, terms, present: set[str] | None = None) -> list[Mention]:
        """Occurrences that are negated or only planned (the evidence a reason quotes when it does not count)."""
        hits = []
        for term in terms:
            if present is not None and term not in present:
                continue
            hits.extend(m for m in self.mentions(term) if not m.affirmed)
        return hits


def quote(mention: Mention) -> str:
    """The clause a mention was read in, for a reason: 「…」."""
    return f"「{mention.clause.strip()}」"


# -- sizes stated in the text ----------------------------------------------------------------------------------
NUMBER = r"(\d+(?:\.\d+)?)\s*(万|亿)?\s*"
UNITS = {
    # unit → (measure, factor to the measure's unit)
    "万吨": ("t", Decimal(10000)),
    "吨": ("t", Decimal(1)),
    "t": ("t", Decimal(1)),
    "kt": ("t", Decimal(1000)),
    "万千伏安": ("kva", Decimal(10000)),
    "千伏安": ("kva", Decimal(1)),
    "kva": ("kva", Decimal(1)),
    "mva": ("kva", Decimal(1000)),
    "万千瓦": ("mw", Decimal(10)),
    "千瓦": ("mw", Decimal("0.001")),
    "kw": ("mw", Decimal("0.001")),
    "兆瓦": ("mw", Decimal(1)),
    "mw": ("mw", Decimal(1)),
    "gw": ("mw", Decimal(1000)),
    "吉瓦": ("mw", Decimal(1000)),
    "平方米": ("m2", Decimal(1)),
    "平米": ("m2", Decimal(1)),
    "m2": ("m2", Decimal(1)),
    "㎡": ("m2", Decimal(1)),
    "立方米": ("m3", Decimal(1)),
    "m3": ("m3", Decimal(1)),
    "公顷": ("ha", Decimal(1)),
    "亩": ("mu", Decimal(1)),
    "千伏": ("kv", Decimal(1)),
    "kv": ("kv", Decimal(1)),
}
UNIT_PATTERN = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
QUANTITY = re.compile(NUMBER + f"({UNIT_PATTERN})" + r"\s*(?:/|每)?\s*(年|a|日|天|d)?")
PER_YEAR_BEFORE = ("年产", "年处理", "年加工", "年产能", "年冶炼", "年生产", "年屠宰", "年出栏", "年吞吐")
PER_DAY_BEFORE = ("日产", "日处理", "日熔化", "日熔量", "日生产", "日加工", "日榨", "日屠宰")
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000), None: Decimal(1)}


@dataclass(frozen=True)
class Quantity:
    value: Decimal  # in the measure's unit
    measure: str  # t_per_year | t_per_day | t | kva | mw | m2 | m3 | ha | mu | kv
    text: str


def quantities(text: str) -> list[Quantity]:
    """Every size stated in ``text`` (already normalised), in the measures admission thresholds use."""
    found = []
    for match in QUANTITY.finditer(text):
        number, multiplier, unit, per = match.groups()
        try:
            value = Decimal(number) * MULTIPLIERS[multiplier]
        except (InvalidOperation, KeyError):
            continue
        measure, factor = UNITS[unit]
        value *= factor
        if measure == "t":
            before = text[max(0, match.start() - 8) : match.start()]
            if per in ("年", "a") or any(p in before for p in PER_YEAR_BEFORE):
                measure = "t_per_year"
            elif per in ("日", "天", "d") or any(p in before for p in PER_DAY_BEFORE):
                measure = "t_per_day"
        found.append(Quantity(value, measure, match.group(0).strip()))
    return found
