"""The admission checker: project facts → verdict, with every rule that fired, its evidence in its clause, and
what was not checked. ``get_checker`` gives the one over the database rules."""

import time

from zhaoshang.catalog.admission.capacity import adds_capacity, overcapacity_findings
from zhaoshang.catalog.admission.rules import (
    DENIED,
    MEASURE_UNITS,
    MENTIONED,
    CompiledRule,
    OvercapacityEntry,
    bare,
    land_kinds,
    overcapacity_from_database,
    overcapacity_from_files,
    rules_from_database,
    rules_from_files,
)
from zhaoshang.catalog.admission.standards import land_use_findings
from zhaoshang.catalog.admission.verdict import (
    CATEGORY_CLAUSE,
    CATEGORY_LABELS,
    NOTE,
    PASS,
    REJECT,
    REVIEW,
    UNCHECKED,
    AdmissionResult,
    Finding,
    ProjectFacts,
    Thresholds,
)
from zhaoshang.catalog.classifier import Classifier, TermIndex
from zhaoshang.catalog.land import LandKind, LandReader
from zhaoshang.catalog.reading import Mention, Quantity, Reading, normalize, quantities, quote
from zhaoshang.core.formatting import figure


def quoted(mentions: list[Mention], limit: int = 2) -> str:
    return "、".join(dict.fromkeys(quote(m) for m in mentions[:limit]))


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
    @classmethod
    def from_files(cls, classifier: Classifier | None = None) -> "AdmissionChecker":
        from zhaoshang.catalog.reference import admission_data

        data = admission_data()
        return cls(
            rules=rules_from_files(),
            overcapacity=overcapacity_from_files(),
            replacement_terms=data["capacity_replacement_terms"],
            no_new_capacity_terms=data["no_new_capacity_terms"],
            land_kinds=land_kinds(data),
            classifier=classifier or Classifier.from_files(),
        )

    @classmethod
    def from_database(cls, classifier: Classifier) -> "AdmissionChecker":
        from zhaoshang.catalog.reference import admission_data

        data = admission_data()
        return cls(
            rules=rules_from_database(),
            overcapacity=overcapacity_from_database(),
            replacement_terms=data["capacity_replacement_terms"],
            no_new_capacity_terms=data["no_new_capacity_terms"],
            land_kinds=land_kinds(data),
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
        findings += overcapacity_findings(
            self.overcapacity,
            reading,
            present,
            replacement_terms=self.replacement_terms,
            no_new_capacity_terms=self.no_new_capacity_terms,
        )
        findings += land_use_findings(self.land, facts, thresholds, result, reading)
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
                if rule.new_only and not adds_capacity(reading, mentions):
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
            return [Quantity(facts.land_mu, "mu", f"用地{figure(facts.land_mu)}亩")]
        return []

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
