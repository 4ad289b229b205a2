"""Which kind of land a project uses, so that a land standard is applied only where it belongs.

投资强度 and 亩均税收 are industrial-land standards (《工业项目建设用地控制指标》): measuring a tea garden, a mine
pit, a scenic area or a photovoltaic power station by them refuses projects no officer would refuse. Each
standard names the land kinds it covers (``LandUseThreshold.land_kinds``, industrial by default); a project of
another kind is "not measured", and the verdict says why.

The kind comes from, in order: what the facts state (``land_kind``), the project's GB/T 4754 class (门类 A
agriculture, B mining, C manufacturing, D energy …), then the project's words: the cues of each kind, counted
more in the name than in the description and less after 配套 / 附属 (a by-product does not decide the land).
"""

from dataclasses import dataclass

from zhaoshang.catalog.reading import BLANK, Reading, blanker

INDUSTRIAL = "industrial"
UNKNOWN = ""
NON_INDUSTRIAL = "non_industrial"
NAME_WEIGHT = 3.0
FIRST_CLAUSE_WEIGHT = 1.5
SUPPORTING_WEIGHT = 0.3
# A second kind this strong next to industrial makes the land mixed (a farm with its processing plant).
MIXED_SHARE = 0.6
DECIDED_KEPT = 50_000  # distinct texts (reduced to what the reading looks at) whose land kind is remembered

# GB/T 4754-2017 门类 → land kind.
KIND_OF_SECTION = {
    "A": "agriculture",
    "B": "mining",
    "C": INDUSTRIAL,
    "D": "energy",
    "E": NON_INDUSTRIAL,
    "F": "commerce",
    "G": "logistics",
    "H": "tourism",
    "I": "commerce",
    "J": NON_INDUSTRIAL,
    "K": NON_INDUSTRIAL,
    "L": "commerce",
    "M": "commerce",
    "N": "tourism",
    "O": "commerce",
    "P": "public",
    "Q": "public",
    "R": "tourism",
    "S": "public",
    "T": "public",
}


@dataclass(frozen=True)
class LandKind:
    code: str
    label: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class LandUse:
    kind: str  # a LandKind code, "" when unknown
    label: str
    basis: str  # how it was decided, in Chinese
    mixed_with: str = ""  # a second kind's label when the land is mixed with industrial land


class LandReader:
    def __init__(self, kinds: list[LandKind]):
        from zhaoshang.catalog.classifier import TermIndex

        self.kinds = kinds
        self.term_index = TermIndex(term for kind in kinds for term in kind.terms)
        self.labels = {k.code: k.label for k in kinds}
        self.labels.setdefault(NON_INDUSTRIAL, "非产业类用地")
        # Each term's places (kind's position, term's position, kind) in the kinds' order: a text names a handful of
        # terms, and looking up only those, in this order, scores as walking every kind's every term would.
        self.places: dict[str, list[tuple[int, int, str]]] = {}
        for position, kind in enumerate(kinds):
            for index, term in enumerate(kind.terms):
                self.places.setdefault(term, []).append((position, index, kind.code))
        # The kind decided from the words depends on the text only through where the kinds' terms and the reading's
        # words stand: texts equal once every other character is blanked out are decided once (an import's names
        # differ by a number, a place or a product that names no land). Exact, not a guess: see ``blanker``.
        self.blank = blanker(term for kind in kinds for term in kind.terms)
        self.decided: dict[tuple[str, int], LandUse] = {}

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def decide(self, *, reading: Reading, name_end: int, stated: str = "", section: str = "") -> LandUse:
        """The land kind of a project whose name and description ``reading`` holds (the name its first
        ``name_end`` characters)."""
        if stated:
            return LandUse(stated, self.label(stated), "按填报的用地类型")
        if section and section in KIND_OF_SECTION:
            kind = KIND_OF_SECTION[section]
            return LandUse(kind, self.label(kind), f"按国民经济行业分类门类 {section}")
        if self.blank is None:
            return self._decide(reading, name_end)
        key = (self.blank.sub(BLANK, reading.text), name_end)
        use = self.decided.get(key)
        if use is None:
            if len(self.decided) >= DECIDED_KEPT:
                self.decided.clear()  # a bound on memory
            use = self.decided[key] = self._decide(reading, name_end)
        return use

    def _decide(self, reading: Reading, name_end: int) -> LandUse:
        scores, evidence_of = self._scores(reading, name_end)
        if not scores:
            return LandUse(UNKNOWN, "未能判断", "项目文字未说明用地用途")
        ranked = sorted(scores, key=lambda code: -scores[code])
        best = ranked[0]
        words = evidence_of[best]
        evidence = "、".join([w for w in dict.fromkeys(words) if not any(w != o and w in o for o in words)][:3])
        use = LandUse(best, self.label(best), f"项目文字“{evidence}”")
        industrial = scores.get(INDUSTRIAL, 0)
        if best == INDUSTRIAL and len(ranked) > 1 and scores[ranked[1]] >= industrial * MIXED_SHARE:
            other = ranked[1]
            return LandUse(INDUSTRIAL, self.label(INDUSTRIAL), use.basis, mixed_with=self.label(other))
        if best != INDUSTRIAL and industrial >= scores[best] * MIXED_SHARE:
            return LandUse(INDUSTRIAL, self.label(INDUSTRIAL), use.basis, mixed_with=self.label(best))
        return use

    def non_industrial(self) -> LandUse:
        return LandUse(NON_INDUSTRIAL, self.label(NON_INDUSTRIAL), "项目属非产业类（房地产、基础设施或金融）")

    def _scores(self, reading: Reading, name_end: int) -> tuple[dict[str, float], dict[str, list[str]]]:
        scores: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        present = self.term_index.present(reading.text)
        if not present:
            return scores, evidence
        first_clause = next(((a, b) for a, b in reading.spans if a > name_end), (0, 0))
        found = sorted(place + (term,) for term in present for place in self.places.get(term, ()))
        for _, _, code, term in found:
            for mention in reading.mentions(term):
                if mention.negated or mention.ended:
                    continue
                if mention.start < name_end:
                    weight = NAME_WEIGHT
                elif first_clause[0] <= mention.start < first_clause[1]:
                    weight = FIRST_CLAUSE_WEIGHT
                else:
                    weight = 1.0
                if mention.supporting:
                    weight *= SUPPORTING_WEIGHT
                scores[code] = scores.get(code, 0.0) + weight
                evidence.setdefault(code, []).append(term)
                break
        return scores, evidence
