"""Admission check (准入): project facts → ``pass`` / ``review`` (慎招) / ``reject`` (不招), the rules that fired and
a Chinese explanation naming the evidence. The rules are those of 附件1 二 and 总体要求 of the 2022-12-01 opinion:

- ``prohibited`` / ``restricted`` / ``eliminated``: curated items of national and provincial rules (二（一）);
- ``overcapacity``: new capacity in a severe-overcapacity industry without 产能置换 (二（二）);
- ``intensity`` / ``tax_per_mu``: 投资强度 or 预期亩均税收 below the park's, county's or province's
  threshold (二（三）);
- ``credit``: the investor is on the 失信 register (二（四））;
- ``security_ecology``: harm to national or ecological security or the public interest (二（五））;
- 慎招 rules (``farmer_benefit``, ``raw_material_only``, ``short_term_gdp``) → review.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from zhaoshang.catalog.classifier import Classification, Classifier, TermIndex, normalize

PASS, REVIEW, REJECT = "pass", "review", "reject"
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
NEGATIONS = ("不", "未", "无", "避让", "避开", "远离", "禁止", "严禁")
NEGATION_WINDOW = 4
NEW_CAPACITY_TERMS = ("新建", "扩建", "新增", "年产", "日产", "产能", "生产线", "建设", "投产")
# Land-use thresholds are industrial-land standards; farmland, scenic land and power-station land (mostly
# leased, 复合利用) are not measured by them unless the facts bring their own thresholds.
THRESHOLD_EXEMPT_INDUSTRIES = ("plateau_agriculture", "tourism_wellness", "green_energy")
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

    @property
    def text(self) -> str:
        return normalize(f"{self.name} {self.description}")


@dataclass
class Thresholds:
    min_intensity_wan_per_mu: Decimal
    min_tax_wan_per_mu: Decimal
    basis: str


@dataclass
class CompiledRule:
    code: str
    category: str
    title: str
    source: str
    groups: list[list[str]]
    unless: list[str]
    negatable: bool = False
    word_sets: tuple[frozenset[str], ...] = field(init=False, repr=False)

    def __post_init__(self):
        self.word_sets = tuple(frozenset(group) for group in self.groups)

    @property
    def name(self) -> str:
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
    effect: str  # reject | review | note
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

    def verdict_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "rules": self.rules,
            "reasons": self.reasons,
            "findings": [f.as_dict() for f in self.findings if f.effect != "note"],
        }

    def as_dict(self) -> dict:
        top = self.classification.top
        return {**self.verdict_dict(), "industry": top.name if top else "非重点产业"}


def split_terms(value: str, sep: str = "|") -> list[str]:
    return [normalize(t).strip() for t in value.split(sep) if t.strip()]


def occurrences(text: str, term: str):
    start = text.find(term)
    while start != -1:
        yield start
        start = text.find(term, start + 1)


def negated(text: str, position: int) -> bool:
    before = text[max(0, position - NEGATION_WINDOW) : position]
    return any(marker in before for marker in NEGATIONS)


def find_any(text: str, terms, negatable: bool = False, present: set[str] | None = None) -> list[str]:
    """The terms found in ``text``, in the order given; ``present`` (the terms known to occur, from a
    ``TermIndex``) spares looking for the others."""
    hits = []
    for term in terms:
        if present is not None and term not in present:
            continue
        for position in occurrences(text, term):
            if not (negatable and negated(text, position)):
                hits.append(term)
                break
    return hits


def money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,}"


class AdmissionChecker:
    def __init__(
        self,
        *,
        rules: list[CompiledRule],
        overcapacity: list[OvercapacityEntry],
        replacement_terms: list[str],
        no_new_capacity_terms: list[str],
        classifier: Classifier,
    ):
        self.rules = rules
        self.overcapacity = overcapacity
        self.replacement_terms = [normalize(t) for t in replacement_terms]
        self.no_new_capacity_terms = [normalize(t) for t in no_new_capacity_terms]
        self.classifier = classifier
        # A rule can only match when a word of its first group occurs: the rules to look at, by those words (a
        # rule without words is looked at always).
        self.rules_by_first_word: dict[str, list[int]] = {}
        self.rules_without_words = [index for index, rule in enumerate(rules) if not rule.groups]
        for index, rule in enumerate(rules):
            for word in set(rule.groups[0]) if rule.groups else ():
                self.rules_by_first_word.setdefault(word, []).append(index)
        self.term_index = TermIndex(
            [term for rule in rules for group in [*rule.groups, rule.unless] for term in group]
            + [term for entry in overcapacity for term in entry.terms]
            + self.replacement_terms
            + self.no_new_capacity_terms
            + list(NEW_CAPACITY_TERMS)
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

    @classmethod
    def from_files(cls, classifier: Classifier | None = None) -> "AdmissionChecker":
        from zhaoshang.catalog.reference import admission_data, overcapacity_rows

        data = admission_data()
        rules = [
            CompiledRule(
                code=r["code"],
                category=r["category"],
                title=r["title"],
                source=r["source"],
                groups=[[normalize(t) for t in group] for group in r["match_all"]],
                unless=[normalize(t) for t in r.get("unless", [])],
                negatable=r.get("negatable", False),
            )
            for r in data["rules"]
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
                negatable=r.negatable,
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
            classifier=classifier,
        )

    # -- checks ---------------------------------------------------------------------------------------------
    def check(self, facts: ProjectFacts, thresholds: Thresholds) -> AdmissionResult:
        text = facts.text
        result = AdmissionResult(PASS, [], lambda: self.classifier.classify(facts.name, facts.description))
        findings = result.findings
        present = self.term_index.present(text)
        findings += self._catalog_items(text, present)
        findings += self._overcapacity(text, present)
        findings += self._land_use(facts, thresholds, result)
        findings += self._credit(facts)
        effects = {f.effect for f in findings}
        result.verdict = REJECT if REJECT in effects else REVIEW if REVIEW in effects else PASS
        if result.verdict == PASS:
            findings.append(Finding("pass", "note", "未触发不招、慎招规则。"))
        order = {REJECT: 0, REVIEW: 1, "note": 2}
        findings.sort(key=lambda f: order[f.effect])
        return result

    def _catalog_items(self, text: str, present: set[str]) -> list[Finding]:
        findings = []
        candidates = sorted(
            {i for word in present for i in self.rules_by_first_word.get(word, ())}.union(self.rules_without_words)
        )
        for rule in (self.rules[i] for i in candidates):  # in the rules' order, as without the shortcut
            if not all(map(present.intersection, rule.word_sets)):
                continue  # a group none of whose words occur cannot match
            if rule.unless and find_any(text, rule.unless, present=present):
                continue
            evidence = []
            for group in rule.groups:
                hits = find_any(text, group, rule.negatable, present)
                if not hits:
                    break
                evidence.extend(hits[:2])
            else:
                label = CATEGORY_LABELS.get(rule.category, rule.category)
                clause = CATEGORY_CLAUSE.get(rule.category, "")
                quoted = "、".join(f"“{e}”" for e in evidence)
                if rule.category == "cautious":
                    effect, action = REVIEW, "慎招，请集体研判"
                else:
                    effect, action = REJECT, "一律不招"
                reason = f"{label}：{rule.title}。项目文字含{quoted}（出处：{rule.source}），{action}（{clause}）。"
                findings.append(Finding(rule.name, effect, reason, evidence, rule.code))
        return findings

    def _overcapacity(self, text: str, present: set[str]) -> list[Finding]:
        findings = []
        for entry in self.overcapacity:
            if present.isdisjoint(entry.terms):
                continue  # masking only removes words, so nothing can be found
            masked = text
            for phrase in entry.exclude:
                masked = masked.replace(phrase, "□")
            hits = find_any(masked, entry.terms, negatable=True, present=present)
            if not hits:
                continue
            documents = "、".join(entry.documents)
            quoted = "、".join(f"“{h}”" for h in hits[:3])
            replacement = find_any(text, self.replacement_terms, present=present)
            no_new = find_any(text, self.no_new_capacity_terms, present=present)
            new_capacity = find_any(text, NEW_CAPACITY_TERMS, present=present)
            if replacement:
                reason = (
                    f"产能严重过剩行业（{entry.industry}，{documents}）：项目文字含{quoted}，已说明“{replacement[0]}”，"
                    "不按新增产能拒绝；请核验产能置换方案。"
                )
                findings.append(Finding("overcapacity", "note", reason, hits + replacement, entry.industry))
            elif no_new or not new_capacity:
                basis = f"已说明“{no_new[0]}”" if no_new else "未见新增产能表述"
                reason = f"产能严重过剩行业（{entry.industry}）：项目文字含{quoted}，{basis}，不按新增产能拒绝。"
                findings.append(Finding("overcapacity", "note", reason, hits, entry.industry))
            else:
                reason = (
                    f"产能严重过剩行业（{entry.industry}，{documents}）：项目文字含{quoted}，"
                    f"属新增产能（“{new_capacity[0]}”）且未说明产能置换，一律不招（附件1 二（二））。"
                )
                findings.append(Finding("overcapacity", REJECT, reason, hits, entry.industry))
        return findings

    def _land_use(self, facts: ProjectFacts, thresholds: Thresholds, result: AdmissionResult) -> list[Finding]:
        land = facts.land_mu
        if land is None or land <= 0:
            return [Finding("intensity", "note", "未填写用地面积（亩），未校验投资强度和亩均税收。")]
        explicit = facts.min_intensity_wan_per_mu is not None or facts.min_tax_wan_per_mu is not None
        classification = result.classification
        top = classification.key_industry
        if classification.kind == "non_industrial" and not explicit:
            return [Finding("intensity", "note", "非产业类项目，不按工业用地标准校验投资强度和亩均税收。")]
        if top is not None and top.code in THRESHOLD_EXEMPT_INDUSTRIES and not explicit:
            reason = f"{top.name}项目用地不适用工业用地投资强度和亩均税收标准，未校验。"
            return [Finding("intensity", "note", reason)]
        findings = []
        min_intensity = facts.min_intensity_wan_per_mu or thresholds.min_intensity_wan_per_mu
        min_tax = facts.min_tax_wan_per_mu or thresholds.min_tax_wan_per_mu
        basis = "本次提交的标准" if explicit else thresholds.basis
        if facts.total_investment_wan is not None:
            intensity = facts.total_investment_wan / land
            if intensity < min_intensity:
                reason = (
                    f"投资强度 {money(intensity)} 万元/亩（总投资 {money(facts.total_investment_wan)} 万元 ÷ "
                    f"{money(land)} 亩），低于标准 {money(min_intensity)} 万元/亩（{basis}），"
                    "一律不招（附件1 二（三））。"
                )
                findings.append(Finding("intensity", REJECT, reason, [f"{money(intensity)}万元/亩"]))
        if facts.expected_annual_tax_wan is not None:
            tax = facts.expected_annual_tax_wan / land
            if tax < min_tax:
                reason = (
                    f"预期亩均税收 {money(tax)} 万元/亩（年税收 {money(facts.expected_annual_tax_wan)} 万元 ÷ "
                    f"{money(land)} 亩），低于标准 {money(min_tax)} 万元/亩（{basis}），一律不招（附件1 二（三））。"
                )
                findings.append(Finding("tax_per_mu", REJECT, reason, [f"{money(tax)}万元/亩"]))
        return findings

    def _credit(self, facts: ProjectFacts) -> list[Finding]:
        if facts.investor_credit != "blacklisted":
            return []
        evidence = facts.investor_credit_evidence or "提交的信用状态为 blacklisted"
        reason = f"投资方被列入失信惩戒名单（{evidence}），依《全国失信惩戒措施基础清单》一律不招（附件1 二（四））。"
        return [Finding("credit", REJECT, reason, [evidence])]


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
