"""New capacity (新增产能): what the words say about adding capacity, and the overcapacity industries' findings."""

from zhaoshang.catalog.admission.rules import OvercapacityEntry
from zhaoshang.catalog.admission.verdict import NOTE, REJECT, REVIEW, Finding
from zhaoshang.catalog.reading import Mention, Reading, quote

# Words that add capacity; in a clause about existing plant, or a modification of it, they describe what exists.
NEW_CAPACITY_TERMS = (
    "新建",
    "扩建",
    "新增",
    "增加",
    "增产",
    "上马",
    "扩能",
    "扩产",
    "提产",
    "年产",
    "日产",
    "生产线",
    "建设",
    "投产",
)
STRONG_NEW_TERMS = ("新建", "扩建", "新增", "增加", "增产", "上马", "扩能", "扩产", "提产")
MODIFICATION_TERMS = ("改造", "技改", "升级", "大修", "搬迁改造", "协同处置", "节能降碳", "超低排放")


def adds_capacity(reading: Reading, mentions: list[Mention]) -> list[Mention]:
    """The words stating new capacity in the clauses that name the same things as ``mentions`` (or, for a short
    text, anywhere)."""
    clauses = {m.clause for term in {h.term for h in mentions} for m in reading.mentions(term)}
    added = []
    for mention in reading.stated(NEW_CAPACITY_TERMS):
        if mention.clause not in clauses and len(reading.spans) > 3:
            continue
        modification = any(t in mention.clause for t in MODIFICATION_TERMS)
        strong = mention.term in STRONG_NEW_TERMS
        if mention.existing and not strong:
            continue
        if modification and not strong:
            continue
        added.append(mention)
    # A stated new term counts only when no occurrence of it is denied ("不新增产能" after "新增…" is read apart).
    return added


def denied_capacity(reading: Reading, hits: list[Mention]) -> list[Mention]:
    """Statements that no capacity is added: a capacity word that is negated ("不增加熟料产能"), in a clause about
    the industry or one that names capacity itself."""
    clauses = {m.clause for term in {h.term for h in hits} for m in reading.mentions(term)}
    return [
        m
        for term in STRONG_NEW_TERMS
        for m in reading.mentions(term)
        if m.negated and (m.clause in clauses or "产能" in m.clause)
    ]


def overcapacity_findings(
    entries: list[OvercapacityEntry],
    reading: Reading,
    present: set[str],
    *,
    replacement_terms: list[str],
    no_new_capacity_terms: list[str],
) -> list[Finding]:
    """附件1 二（二）: new capacity in a severe-overcapacity industry without a secured 产能置换 is refused."""
    findings = []
    for entry in entries:
        if present.isdisjoint(entry.terms):
            continue
        hits = reading.stated(entry.terms, present, outside=reading.spans_of(entry.exclude))
        if not hits:
            continue
        documents = "、".join(entry.documents)
        words = "、".join(f"“{h.term}”" for h in hits[:3])
        replacement = reading.affirmed(replacement_terms, present)
        pending = reading.denied_or_pending(replacement_terms, present)
        no_new = reading.affirmed(no_new_capacity_terms, present) + denied_capacity(reading, hits)
        new_capacity = adds_capacity(reading, hits)
        evidence = [h.term for h in hits]
        if replacement and new_capacity:
            reason = (
                f"产能严重过剩行业（{entry.industry}，{documents}）：项目文字含{words}，已说明{quote(replacement[0])}，"
                "不按新增产能拒绝；请核验产能置换方案。"
            )
            findings.append(Finding("overcapacity", NOTE, reason, evidence + [replacement[0].term], entry.industry))
        elif new_capacity and no_new:
            reason = (
                f"产能严重过剩行业（{entry.industry}）：项目文字{quote(new_capacity[0])}表述新增产能，"
                f"又称{quote(no_new[0])}，表述矛盾，慎招，请核实是否新增产能及产能置换（附件1 二（二））。"
            )
            findings.append(Finding("overcapacity", REVIEW, reason, evidence, entry.industry))
        elif new_capacity:
            why = f"产能置换未落实（{quote(pending[0])}）" if pending else "未说明已落实产能置换"
            reason = (
                f"产能严重过剩行业（{entry.industry}，{documents}）：项目文字含{words}，"
                f"属新增产能（{quote(new_capacity[0])}），{why}，一律不招（附件1 二（二））。"
            )
            findings.append(Finding("overcapacity", REJECT, reason, evidence, entry.industry))
        else:
            basis = f"已说明{quote(no_new[0])}" if no_new else "未见新增产能表述（现有装置或改造）"
            reason = f"产能严重过剩行业（{entry.industry}）：项目文字含{words}，{basis}，不按新增产能拒绝。"
            findings.append(Finding("overcapacity", NOTE, reason, evidence, entry.industry))
    return findings
