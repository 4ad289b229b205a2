"""Admission check (准入): project facts → ``pass`` / ``review`` (慎招) / ``reject`` (不招), the rules that fired
with their evidence quoted in its clause, and what was not checked. The rules are those of 附件1 二 and 总体要求
of the 2022-12-01 opinion:

- ``prohibited`` / ``restricted`` / ``eliminated``: items of 《产业结构调整指导目录（2024年本）》 and of the 2012
  禁止 / 限制用地项目目录, some with a size threshold (二（一）);
- ``overcapacity``: new capacity in a severe-overcapacity industry without a secured 产能置换 (二（二）);
- ``intensity`` / ``tax_per_mu``: 投资强度 or 预期亩均税收 below the standard of the park, county or province,
  applied only to the land kinds the standard covers (二（三）);
- ``credit``: the investor is on the 失信 register (二（四））;
- ``security_ecology``: harm to national or ecological security or the public interest (二（五））;
- 慎招 rules (``farmer_benefit``, ``raw_material_only``, ``short_term_gdp``) → review.

Words are read in their clause (``reading``): harmful evidence counts unless negated, exonerating evidence only
when affirmed and not merely planned.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from zhaoshang.catalog.classifier import Classification, Classifier, TermIndex, normalize
from zhaoshang.catalog.land import INDUSTRIAL, NON_INDUSTRIAL, UNKNOWN, LandKind, LandReader, LandUse
from zhaoshang.catalog.reading import Mention, Quantity, Reading, quantities, quote

PASS, REVIEW, REJECT = "pass", "review", "reject"
NOTE, UNCHECKED = "note", "unchecked"
REJECT_CATEGORIES = ("prohibited", "restricted", "eliminated", "security_ecology")
CATEGORY_LABELS = {
    "prohibited": "禁止类",
    "restricted": "限制类",
    "eliminated": "淘汰类",
    "security_ecology": "危害国家安全、生态安全或公共利益",
    "cautious": "慎招",
}
CATEGORY_CLAUSE = {
    "prohibited": "附件1 二（一）",
    "restricted": "附件1 二（一）",
    "eliminated": "附件1 二（一）",
    "security_ecology": "附件1 二（五）",
    "cautious": "意见 二 总体要求",
}
# What the labels of findings say, in one place (pages, exports, the audit trail read them from here).
RULE_LABELS = {
    "prohibited": "禁止类",
    "restricted": "限制类",
    "eliminated": "淘汰类",
    "overcapacity": "产能严重过剩",
    "intensity": "投资强度不达标",
    "tax_per_mu": "亩均税收不达标",
    "credit": "失信主体",
    "security_ecology": "危害安全或公共利益",
    "short_term_gdp": "只对短期GDP有贡献",
    "farmer_benefit": "农民收益无保障",
    "raw_material_only": "只看重原材料",
}
MEASURE_UNITS = {
    "t_per_year": "吨/年",
    "t_per_day": "吨/日",
    "t": "吨",
    "kva": "千伏安",
    "mw": "兆瓦",
    "m2": "平方米",
    "m3": "立方米",
    "ha": "公顷",
    "mu": "亩",
    "kv": "千伏",
}
THRESHOLD_OPS = {"below": "以下（不含）", "at_most": "及以下", "above": "以上（不含）"}
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
CENT = Decimal("0.01")


@dataclass
class ProjectFacts:
    name: str
    description: str = ""
    total_investment_wan: Decimal | None = None
    land_mu: Decimal | None = None
    expected_annual_tax_wan: Decimal | None = None
    min_intensity_wan_per_mu: Decimal | None = None
    min_tax_wan_per_mu: Decimal | None = None
    investor_credit: str | None = None  # "blacklisted" | "ok" | None (unknown)
    investor_credit_evidence: str = ""
    investor_credit_checked: bool = False  # the register was consulted for this investor
    land_kind: str = ""  # stated land kind (a LandKind code), else decided from the class or the words
    industry_section: str = ""  # GB/T 4754 门类 of the project's class, when known

    @property
    def text(self) -> str:
        return normalize(f"{self.name}。{self.description}")


@dataclass
class Thresholds:
    min_intensity_wan_per_mu: Decimal
    min_tax_wan_per_mu: Decimal
    basis: str
    land_kinds: tuple[str, ...] = (INDUSTRIAL,)


@dataclass(frozen=True)
class SizeLimit:
    measure: str
    op: str  # below | at_most | above
    value: Decimal

    def applies_to(self, value: Decimal) -> bool:
        if self.op == "below":
            return value < self.value
        if self.op == "at_most":
            return value <= self.value
        return value > self.value

    @property
    def label(self) -> str:
        return f"{self.value.normalize():f}{MEASURE_UNITS.get(self.measure, self.measure)}{THRESHOLD_OPS[self.op]}"


DENIED = "!"  # a group word written "!保底" is evidence when the text denies or only plans it ("不承诺保底")
MENTIONED = "~"  # a group word written "~农户" is context: any mention counts, negated or not ("不与农户签订")


def bare(term: str) -> str:
    return term.removeprefix(DENIED).removeprefix(MENTIONED)


@dataclass
class CompiledRule:
    code: str
    category: str
    title: str
    source: str
    groups: list[list[str]]
    unless: list[str]
    reports_as: str = ""
    size_limit: SizeLimit | None = None
    new_only: bool = False
    word_sets: tuple[frozenset[str], ...] = field(init=False, repr=False)

    def __post_init__(self):
        self.word_sets = tuple(frozenset(bare(t) for t in group) for group in self.groups)

    @property
    def name(self) -> str:
        if self.reports_as:
            return self.reports_as
        return self.code if self.category == "cautious" else self.category


@dataclass
class OvercapacityEntry:
    industry: str
    documents: list[str]
    terms: list[str]
    exclude: list[str]


@dataclass
class Finding:
    rule: str
    effect: str  # reject | review | note | unchecked
    reason: str
    evidence: list[str] = field(default_factory=list)
    item: str = ""

    def as_dict(self) -> dict:
        return {"rule": self.rule, "effect": self.effect, "item": self.item, "evidence": self.evidence}


class AdmissionResult:
    """The verdict and its findings. The classification is computed when asked for: the verdict needs it only
    for land-use facts, and an import of thousands of rows stores the verdict alone."""

    def __init__(self, verdict: str, findings: list[Finding], classification: Callable[[], Classification]):
        self.verdict = verdict
        self.findings = findings
        self._classify = classification

    @cached_property
    def classification(self) -> Classification:
        return self._classify()

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.findings if f.effect in (REJECT, REVIEW)))

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.findings]

    @property
    def not_checked(self) -> list[str]:
        return [f.reason for f in self.findings if f.effect == UNCHECKED]

    def verdict_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "rules": self.rules,
            "reasons": self.reasons,
            "findings": [f.as_dict() for f in self.findings if f.effect in (REJECT, REVIEW)],
            "not_checked": self.not_checked,
        }

    def as_dict(self) -> dict:
        top = self.classification.top
        return {**self.verdict_dict(), "industry": top.name if top else "非重点产业"}


def split_terms(value: str, sep: str = "|") -> list[str]:
    return [normalize(t).strip() for t in value.split(sep) if t.strip()]


def money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def quoted(mentions: list[Mention], limit: int = 2) -> str:
    return "、".join(dict.fromkeys(quote(m) for m in mentions[:limit]))


def size_limit_of(data: dict | None) -> SizeLimit | None:
    if not data:
        return None
    for op in THRESHOLD_OPS:
        if op in data:
            return SizeLimit(data["measure"], op, Decimal(str(data[op])))
    return None


class AdmissionChecker:
    def __init__(
        self,
        *,
        rules: list[CompiledRule],
        overcapacity: list[OvercapacityEntry],
        replacement_terms: list[str],
        no_new_capacity_terms: list[str],
        land_kinds: list[LandKind],
        classifier: Classifier,
    ):
        self.rules = rules
        self.overcapacity = overcapacity
        self.replacement_terms = [normalize(t) for t in replacement_terms]
        self.no_new_capacity_terms = [normalize(t) for t in no_new_capacity_terms]
        self.land = LandReader(land_kinds)
        self.classifier = classifier
        # A rule can only match when a word of its first group occurs: the rules to look at, by those words.
        self.rules_by_first_word: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for word in rule.word_sets[0] if rule.groups else ():
                self.rules_by_first_word.setdefault(word, []).append(index)
        self.term_index = TermIndex(
            [bare(term) for rule in rules for group in [*rule.groups, rule.unless] for term in group]
            + [term for entry in overcapacity for term in entry.terms]
            + self.replacement_terms
            + self.no_new_capacity_terms
        )

    # -- construction ---------------------------------------------------------------------------------------
    @staticmethod
    def _overcapacity_entries(rows) -> list[OvercapacityEntry]:
        merged: dict[str, OvercapacityEntry] = {}
        for industry, document, terms, exclude in rows:
            entry = merged.setdefault(industry, OvercapacityEntry(industry, [], [], []))
            entry.documents.append(document)
            entry.terms.extend(t for t in terms if t not in entry.terms)
            entry.exclude.extend(t for t in exclude if t not in entry.exclude)
        return list(merged.values())

    @staticmethod
    def _land_kinds(data: dict) -> list[LandKind]:
        return [
            LandKind(code, kind["label"], tuple(normalize(t) for t in kind["terms"]))
            for code, kind in data["land_kinds"].items()
        ]

    @classmethod
    def from_files(cls, classifier: Classifier | None = None) -> "AdmissionChecker":
        from zhaoshang.catalog.reference import admission_data, catalog_items, overcapacity_rows

        data = admission_data()
        rules = [
            CompiledRule(
                code=r["code"],
                category=r["category"],
                title=r["title"],
                source=r.get("source") or catalog_items()["lists"].get(r.get("list", ""), {}).get("title", ""),
                groups=[[normalize(t) for t in group] for group in r["match_all"]],
                unless=[normalize(t) for t in r.get("unless", [])],
                reports_as=r.get("reports_as", ""),
                size_limit=size_limit_of(r.get("threshold")),
                new_only=r.get("applies_to_new_only", False),
            )
            for r in sorted([*data["rules"], *catalog_items()["items"]], key=lambda r: (r["category"], r["code"]))
        ]
        words = data["overcapacity_terms"]
        rows = [
            (
                row["industry"],
                row["doc_number"],
                [normalize(t) for t in words.get(row["industry"], {}).get("terms", [])],
                [normalize(t) for t in words.get(row["industry"], {}).get("exclude", [])],
            )
            for row in overcapacity_rows()
        ]
        return cls(
            rules=rules,
            overcapacity=cls._overcapacity_entries(rows),
            replacement_terms=data["capacity_replacement_terms"],
            no_new_capacity_terms=data["no_new_capacity_terms"],
            land_kinds=cls._land_kinds(data),
            classifier=classifier or Classifier.from_files(),
        )

    @classmethod
    def from_database(cls, classifier: Classifier) -> "AdmissionChecker":
        from zhaoshang.catalog.models import AdmissionRule, OvercapacityIndustry
        from zhaoshang.catalog.reference import admission_data

        rules = [
            CompiledRule(
                code=r.code,
                category=r.category,
                title=r.title,
                source=r.source,
                groups=[split_terms(line) for line in r.match_all.splitlines() if line.strip()],
                unless=split_terms(r.unless_terms),
                reports_as=r.reports_as,
                size_limit=(
                    SizeLimit(r.threshold_measure, r.threshold_op, r.threshold_value)
                    if r.threshold_measure and r.threshold_value is not None
                    else None
                ),
                new_only=r.new_only,
            )
            for r in AdmissionRule.objects.filter(active=True).order_by("category", "code")
        ]
        rows = [
            (o.industry, o.doc_number, split_terms(o.terms, "\n"), split_terms(o.exclude_terms, "\n"))
            for o in OvercapacityIndustry.objects.order_by("industry", "doc_number")
        ]
        data = admission_data()
        return cls(
            rules=rules,
            overcapacity=cls._overcapacity_entries(rows),
            replacement_terms=data["capacity_replacement_terms"],
            no_new_capacity_terms=data["no_new_capacity_terms"],
            land_kinds=cls._land_kinds(data),
            classifier=classifier,
        )

    # -- checks ---------------------------------------------------------------------------------------------
    def check(self, facts: ProjectFacts, thresholds: Thresholds) -> AdmissionResult:
        text = facts.text
        reading = Reading(text)
        result = AdmissionResult(PASS, [], lambda: self.classifier.classify(facts.name, facts.description))
        findings = result.findings
        present = self.term_index.present(text)
        findings += self._catalog_items(reading, present, facts)
        findings += self._overcapacity(reading, present)
        findings += self._land_use(facts, thresholds, result, reading)
        findings += self._credit(facts)
        effects = {f.effect for f in findings}
        result.verdict = REJECT if REJECT in effects else REVIEW if REVIEW in effects else PASS
        if result.verdict == PASS:
            findings.append(Finding("pass", NOTE, "未触发不招、慎招规则。"))
        order = {REJECT: 0, REVIEW: 1, NOTE: 2, UNCHECKED: 3}
        findings.sort(key=lambda f: order[f.effect])
        return result

    def _catalog_items(self, reading: Reading, present: set[str], facts: ProjectFacts) -> list[Finding]:
        findings = []
        candidates = sorted({i for word in present for i in self.rules_by_first_word.get(word, ())})
        for rule in (self.rules[i] for i in candidates):  # in the rules' order
            if not all(map(present.intersection, rule.word_sets)):
                continue  # a group none of whose words occur cannot match
            mentions = []
            for group in rule.groups:
                hits = self._group_hits(reading, group, present)
                if not hits:
                    break
                mentions.extend(hits[:2])
            else:
                # 慎招 is about this place: an exemption placed elsewhere ("生产基地仍在省外") does not lift it.
                if rule.unless and reading.affirmed(rule.unless, present, here=rule.category == "cautious"):
                    continue
                if rule.new_only and not self._adds_capacity(reading, mentions):
                    continue
                finding = self._item_finding(rule, reading, mentions, facts)
                if finding is not None:
                    findings.append(finding)
        return findings

    @staticmethod
    def _group_hits(reading: Reading, group: list[str], present: set[str]) -> list[Mention]:
        stated = [t for t in group if not t.startswith((DENIED, MENTIONED))]
        denied = [bare(t) for t in group if t.startswith(DENIED)]
        context = [bare(t) for t in group if t.startswith(MENTIONED)]
        hits = reading.stated(stated, present) if stated else []
        if denied:
            hits += [m for m in reading.denied_or_pending(denied, present) if not m.ended]
        for term in context:
            if term in present:
                hits += reading.mentions(term)[:1]
        return hits

    def _item_finding(
        self, rule: CompiledRule, reading: Reading, mentions: list[Mention], facts: ProjectFacts
    ) -> Finding | None:
        label = CATEGORY_LABELS.get(rule.category, rule.category)
        clause = CATEGORY_CLAUSE.get(rule.category, "")
        evidence = [m.term for m in mentions]
        cautious = rule.category == "cautious"
        action = "慎招，请集体研判" if cautious else "一律不招"
        effect = REVIEW if cautious else REJECT
        size_note = ""
        if rule.size_limit is not None:
            limit = rule.size_limit
            stated = self._sizes(rule, reading, facts)
            if not stated:
                unit = MEASURE_UNITS.get(limit.measure, limit.measure)
                reason = (
                    f"{label}：{rule.title}（{rule.source}）。项目文字{quoted(mentions)}未说明规模（{unit}），"
                    f"无法判断是否属于{limit.label}，请核实后再定。"
                )
                return Finding(rule.name, REVIEW, reason, evidence, rule.code)
            caught = [q for q in stated if limit.applies_to(q.value)]
            if not caught:
                return None
            size_note = f"，规模“{caught[0].text}”属{limit.label}"
            evidence.append(caught[0].text)
        source = f"（出处：{rule.source}）"
        reason = f"{label}：{rule.title}。项目文字{quoted(mentions)}{size_note}{source}，{action}（{clause}）。"
        return Finding(rule.name, effect, reason, evidence, rule.code)

    @staticmethod
    def _sizes(rule: CompiledRule, reading: Reading, facts: ProjectFacts) -> list[Quantity]:
        """The sizes of the rule's measure the project states: in the clauses that name the item, else anywhere in
        the text, else (for land) the facts' 用地面积."""
        limit = rule.size_limit
        clauses = {m.clause for words in rule.word_sets for term in words for m in reading.mentions(term)}
        for texts in (clauses, [reading.text]):
            stated = [q for text in texts for q in quantities(text) if q.measure == limit.measure]
            if stated:
                return stated
        if limit.measure == "mu" and facts.land_mu:
            return [Quantity(facts.land_mu, "mu", f"用地{money(facts.land_mu)}亩")]
        return []

    def _adds_capacity(self, reading: Reading, mentions: list[Mention]) -> list[Mention]:
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

    def _overcapacity(self, reading: Reading, present: set[str]) -> list[Finding]:
        findings = []
        for entry in self.overcapacity:
            if present.isdisjoint(entry.terms):
                continue
            hits = reading.stated(entry.terms, present, outside=reading.spans_of(entry.exclude))
            if not hits:
                continue
            documents = "、".join(entry.documents)
            words = "、".join(f"“{h.term}”" for h in hits[:3])
            replacement = reading.affirmed(self.replacement_terms, present)
            pending = reading.denied_or_pending(self.replacement_terms, present)
            no_new = reading.affirmed(self.no_new_capacity_terms, present) + self._denied_capacity(reading, hits)
            new_capacity = self._adds_capacity(reading, hits)
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

    @staticmethod
    def _denied_capacity(reading: Reading, hits: list[Mention]) -> list[Mention]:
        """Statements that no capacity is added: a capacity word that is negated ("不增加熟料产能"), in a clause about
        the industry or one that names capacity itself."""
        clauses = {m.clause for term in {h.term for h in hits} for m in reading.mentions(term)}
        return [
            m
            for term in STRONG_NEW_TERMS
            for m in reading.mentions(term)
            if m.negated and (m.clause in clauses or "产能" in m.clause)
        ]

    def _land_use(
        self, facts: ProjectFacts, thresholds: Thresholds, result: AdmissionResult, reading: Reading
    ) -> list[Finding]:
        land = facts.land_mu
        if land is None or land <= 0:
            return [Finding("intensity", UNCHECKED, "未填写用地面积（亩），未校验投资强度和亩均税收。")]
        explicit = facts.min_intensity_wan_per_mu is not None or facts.min_tax_wan_per_mu is not None
        use = self._land_kind(facts, result, reading)
        covered = explicit or use.kind in thresholds.land_kinds or use.kind == UNKNOWN
        if not covered:
            covers = "、".join(self.land.label(k) for k in thresholds.land_kinds)
            reason = (
                f"投资强度和亩均税收不适用：项目用地为{use.label}（{use.basis}），"
                f"而标准（{thresholds.basis}）只适用于{covers}，未按其校验。"
            )
            return [Finding("intensity", UNCHECKED, reason)]
        findings = []
        min_intensity = facts.min_intensity_wan_per_mu or thresholds.min_intensity_wan_per_mu
        min_tax = facts.min_tax_wan_per_mu or thresholds.min_tax_wan_per_mu
        basis = "本次提交的标准" if explicit else thresholds.basis
        # Land that mixes industrial with farm, scenic or station land is not measured as a whole: a shortfall
        # asks for review (the industrial part's own figures decide), it does not refuse.
        effect, action = (REVIEW, "用地含非工业部分，请按工业用地部分核实") if use.mixed_with else (REJECT, "一律不招")
        mixed = f"（用地含{use.mixed_with}）" if use.mixed_with else ""
        if facts.total_investment_wan is not None:
            intensity = facts.total_investment_wan / land
            if intensity < min_intensity:
                reason = (
                    f"投资强度 {money(intensity)} 万元/亩（总投资 {money(facts.total_investment_wan)} 万元 ÷ "
                    f"{money(land)} 亩），低于标准 {money(min_intensity)} 万元/亩（{basis}）{mixed}，"
                    f"{action}（附件1 二（三））。"
                )
                findings.append(Finding("intensity", effect, reason, [f"{money(intensity)}万元/亩"]))
        else:
            findings.append(Finding("intensity", UNCHECKED, "未填写投资额，未校验投资强度。"))
        if facts.expected_annual_tax_wan is not None:
            tax = facts.expected_annual_tax_wan / land
            if tax < min_tax:
                reason = (
                    f"预期亩均税收 {money(tax)} 万元/亩（年税收 {money(facts.expected_annual_tax_wan)} 万元 ÷ "
                    f"{money(land)} 亩），低于标准 {money(min_tax)} 万元/亩（{basis}）{mixed}，"
                    f"{action}（附件1 二（三））。"
                )
                findings.append(Finding("tax_per_mu", effect, reason, [f"{money(tax)}万元/亩"]))
        else:
            findings.append(Finding("tax_per_mu", UNCHECKED, "未填写预期年税收，未校验亩均税收。"))
        if use.kind == UNKNOWN and not explicit:
            findings.append(Finding("intensity", NOTE, "项目文字未说明用地用途，按工业用地标准校验。"))
        return findings

    def _land_kind(self, facts: ProjectFacts, result: AdmissionResult, reading: Reading) -> LandUse:
        name_end = len(normalize(facts.name))
        use = self.land.decide(
            reading=reading, name_end=name_end, stated=facts.land_kind, section=facts.industry_section
        )
        if use.kind == UNKNOWN and result.classification.kind == NON_INDUSTRIAL:
            return self.land.non_industrial()
        return use

    def _credit(self, facts: ProjectFacts) -> list[Finding]:
        if facts.investor_credit == "blacklisted":
            evidence = facts.investor_credit_evidence or "提交的信用状态为失信"
            reason = (
                f"投资方被列入失信惩戒名单（{evidence}），依《全国失信惩戒措施基础清单》一律不招（附件1 二（四））。"
            )
            return [Finding("credit", REJECT, reason, [evidence])]
        if facts.investor_credit is None and not facts.investor_credit_checked:
            return [Finding("credit", UNCHECKED, "未提供投资方名称或统一社会信用代码，未核查失信主体名单。")]
        return []


_cached: tuple[float, AdmissionChecker] | None = None


def get_checker() -> AdmissionChecker:
    """The checker over the database rules (see ``classifier.get_classifier`` for the cache)."""
    from zhaoshang.catalog import classifier as classifier_module

    global _cached
    current = classifier_module.get_classifier()
    if _cached is None or _cached[1].classifier is not current or time.monotonic() - _cached[0] > 300:
        _cached = (time.monotonic(), AdmissionChecker.from_database(current))
    return _cached[1]


def reset_checker(**kwargs) -> None:
    global _cached
    _cached = None
