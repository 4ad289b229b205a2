"""Placing enterprises and projects on chain nodes: deterministic, offline and explained.

Each text an object has (a project's name and description, an enterprise's main products, notes, name and industry
label) is a *source* of a kind with a strength and a factor:

========================  ==========  =======  ==============================================================
source                    strength    factor   why
========================  ==========  =======  ==============================================================
主营产品 (products)        strong      1.2      what the enterprise makes (the shipped maker table)
项目简介 / 备注            medium      1.0      business scope and description
项目名称                   medium      1.0      a project's name states what it builds ("年产5万吨多晶硅项目")
企业名称                   weak        0.6      a name says little of what a company makes
行业标签 / 行业代码         weak        0.5      a label or a GB/T class, shared by many nodes
========================  ==========  =======  ==============================================================

(An officer's confirmation is the strongest evidence; it is recorded on the link, not computed here.)

Every word of every node is looked for in each source, read in its clause with ``catalog.reading`` as the
classifier and the admission checker read them: a negated word ("不涉及多晶硅"), one about something ended
("原有生产线已拆除") or placed elsewhere ("生产基地仍在省外") is not evidence, nor is a word that names a customer
("供应硅冶炼", "用于锂电池"); a Latin word counts only standing alone ("5G" is not in "5GW"). In a chain, a word
inside a longer word of another node found at the same place does not count ("电池铝箔" is not 铝箔's evidence), nor
does a word inside one of its node's exclusion words ("多晶硅片" is not 多晶硅; across chains: "水电铝" is not 水电,
"钙钛矿" not 钛矿). A node scores the sum, over its distinct words found, of the word's
weight times the best factor it was found with (half for a word in a supporting clause: "配套建设…"). The GB/T
class counts for a node only where it names no other product node of the chain. A node is placed at
``MIN_SCORE`` or more; of a node and its descendant both placed, only the descendant is kept (the diagnosis
rolls it up). The strength of a placement is that of its strongest source; strong and medium placements are
confirmed automatically, weak ones wait for an officer.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from zhaoshang.catalog.classifier import TermIndex, parse_term
from zhaoshang.catalog.reading import Reading, normalize
from zhaoshang.chains.choices import STRENGTH_RANK, Decision, LinkRole, NodeLevel, Position, Strength

# Default weight of a word by the level of its node: a segment's words only help, a product's place.
LEVEL_WEIGHTS = {NodeLevel.SEGMENT: 0.5, NodeLevel.MODULE: 1.5, NodeLevel.PRODUCT: 3.0}
MIN_SCORE = 1.5
SUPPORTING_FACTOR = 0.5
KEY_INDUSTRY_BONUS = 0.25
GBT_WEIGHT = 3.0
MAX_NODES_PER_CHAIN = 6
# A clause that says the object uses the node's product rather than makes it (role 应用).
USER_CUES = ("应用", "使用", "采购", "购买", "消纳")
# A word right after these names a customer of the object ("供应硅冶炼", "用于锂电池"): not the object's node.
CUSTOMER_CUES = ("供应", "供给", "用于", "应用于", "服务于", "配套给")


@dataclass(frozen=True)
class SourceKind:
    code: str
    label: str
    strength: str
    factor: float


PRODUCTS = SourceKind("products", "主营产品", Strength.STRONG, 1.2)
DESCRIPTION = SourceKind("description", "项目简介", Strength.MEDIUM, 1.0)
NOTES = SourceKind("notes", "经营范围/备注", Strength.MEDIUM, 1.0)
PROJECT_NAME = SourceKind("project_name", "项目名称", Strength.MEDIUM, 1.0)
ENTERPRISE_NAME = SourceKind("enterprise_name", "企业名称", Strength.WEAK, 0.6)
INDUSTRY_LABEL = SourceKind("industry_label", "行业标签", Strength.WEAK, 0.5)
GBT_CODE = SourceKind("gbt", "行业代码", Strength.WEAK, 0.5)
KEY_INDUSTRY = SourceKind("key_industry", "重点产业", Strength.WEAK, 0.0)


@dataclass(frozen=True)
class Source:
    kind: SourceKind
    text: str


@dataclass(frozen=True)
class NodeSpec:
    """What the matcher needs of a node (``services`` builds these from the current chain versions)."""

    id: int
    chain_id: int
    name: str
    level: int
    position: str
    ancestors: tuple[int, ...]
    words: tuple[tuple[str, float], ...]
    excludes: tuple[str, ...] = ()
    gbt: tuple[str, ...] = ()
    chain_industry: str = ""


@dataclass
class Match:
    node_id: int
    chain_id: int
    score: float
    strength: str
    role: str
    evidence: list[dict] = field(default_factory=list)

    @property
    def decision(self) -> str:
        return Decision.CONFIRMED if self.strength in (Strength.STRONG, Strength.MEDIUM) else Decision.UNCERTAIN


@dataclass
class _Hit:
    word: str
    start: int
    end: int
    source: SourceKind
    origin: int  # which of the object's texts (positions are within it)
    supporting: bool
    user: bool


def node_words(keywords: Iterable[str], level: int) -> tuple[tuple[str, float], ...]:
    default = LEVEL_WEIGHTS.get(level, 1.0)
    words = []
    for raw in keywords:
        parsed = parse_term(raw, default)
        if parsed:
            words.append(parsed)
    return tuple(words)


class Matcher:
    """All chains' words in one index: a text is read once, then judged chain by chain."""

    def __init__(self, nodes: Iterable[NodeSpec]):
        self.nodes = {n.id: n for n in nodes}
        self.by_word: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.weight: dict[tuple[int, str], float] = {}
        for node in self.nodes.values():
            for word, weight in node.words:
                if (node.id, word) not in self.weight:
                    self.by_word[word].append((node.id, weight))
                self.weight[(node.id, word)] = max(weight, self.weight.get((node.id, word), 0.0))
        self.index = TermIndex(self.by_word)
        self.exclude_index = TermIndex({w for n in self.nodes.values() for w in n.excludes})
        # GB/T class → the product nodes of each chain that name it
        gbt: dict[tuple[int, str], list[int]] = defaultdict(list)
        for node in self.nodes.values():
            for code in node.gbt:
                if node.level == NodeLevel.PRODUCT:
                    gbt[(node.chain_id, code)].append(node.id)
        self.gbt = {key: ids[0] for key, ids in gbt.items() if len(ids) == 1}
        self.gbt_codes = {code for _, code in self.gbt}

    def _hits(self, source: Source, origin: int) -> list[tuple[int, _Hit]]:
        text = normalize(source.text)
        if not text:
            return []
        reading = Reading(text)
        found = []
        for word in self.index.present(text):
            for mention in reading.mentions(word):
                if mention.negated or mention.ended or mention.elsewhere:
                    continue
                if word.isascii() and not _standalone(text, mention.start, len(word)):
                    continue  # "5g" in "5gw", "perc" in "percent"
                head = mention.clause[: mention.offset]
                if head.endswith(CUSTOMER_CUES) or any(head.endswith(cue + "的") for cue in CUSTOMER_CUES):
                    continue
                hit = _Hit(
                    word,
                    mention.start,
                    mention.start + len(word),
                    source.kind,
                    origin,
                    mention.supporting,
                    any(cue in head for cue in USER_CUES),
                )
                for node_id, _ in self.by_word[word]:
                    found.append((node_id, hit))
        excluded = [
            (start, end) for word in self.exclude_index.present(text) for start, end in reading.spans_of([word])
        ]
        if excluded:
            found = [
                (node_id, hit)
                for node_id, hit in found
                if not any(
                    s < hit.end and hit.start < e and word_in_node_excludes(self.nodes[node_id], text[s:e])
                    for s, e in excluded
                )
            ]
        return found

    def _dominated(self, hits: list[tuple[int, _Hit]]) -> list[tuple[int, _Hit]]:
        """A word inside a longer word of a node of the same chain, found at the same place of the same text, is not
        evidence ("电池铝箔" is not 铝箔's). Across chains the longer word is often the same thing made more precise
        (湿法隔膜 is a 隔膜), so words that only look alike across chains are excluded by data (``exclude_words``:
        水电 excludes 水电铝, 钛矿 excludes 钙钛矿)."""
        spans = {(self.nodes[n].chain_id, h.origin, h.start, h.end) for n, h in hits}
        return [
            (node_id, hit)
            for node_id, hit in hits
            if not any(
                chain == self.nodes[node_id].chain_id
                and origin == hit.origin
                and start <= hit.start
                and hit.end <= end
                and end - start > hit.end - hit.start
                for chain, origin, start, end in spans
            )
        ]

    def place(
        self,
        sources: Iterable[Source],
        *,
        gbt_code: str = "",
        key_industry: str = "",
        leader: bool = False,
    ) -> list[Match]:
        """The nodes of every chain this object is on, best first within each chain."""
        per_chain: dict[int, list[tuple[int, _Hit]]] = defaultdict(list)
        hits = [pair for origin, source in enumerate(sources) for pair in self._hits(source, origin)]
        for node_id, hit in self._dominated(hits):
            per_chain[self.nodes[node_id].chain_id].append((node_id, hit))
        chains = set(per_chain)
        gbt_nodes = {}
        if gbt_code and gbt_code in self.gbt_codes:
            for (chain_id, code), node_id in self.gbt.items():
                if code == gbt_code:
                    gbt_nodes[chain_id] = node_id
                    chains.add(chain_id)
        matches = []
        for chain_id in sorted(chains):
            matches.extend(
                self._place_in_chain(
                    per_chain.get(chain_id, []), gbt_nodes.get(chain_id), gbt_code, key_industry, leader
                )
            )
        return matches

    def _place_in_chain(self, hits, gbt_node, gbt_code, key_industry, leader) -> list[Match]:
        kept = hits
        words: dict[int, dict[str, tuple[float, _Hit]]] = defaultdict(dict)
        for node_id, hit in kept:
            weight = self.weight[(node_id, hit.word)]
            factor = hit.source.factor * (SUPPORTING_FACTOR if hit.supporting else 1.0)
            value = weight * factor
            if value > words[node_id].get(hit.word, (0.0, None))[0]:
                words[node_id][hit.word] = (value, hit)
        scores: dict[int, float] = {n: sum(v for v, _ in ws.values()) for n, ws in words.items()}
        extra: dict[int, list[dict]] = defaultdict(list)
        strengths: dict[int, str] = {}
        if gbt_node is not None:
            scores[gbt_node] = scores.get(gbt_node, 0.0) + GBT_WEIGHT * GBT_CODE.factor
            extra[gbt_node].append({"source": GBT_CODE.label, "words": [gbt_code]})
            strengths[gbt_node] = GBT_CODE.strength
        for node_id in list(scores):
            node = self.nodes[node_id]
            if key_industry and node.chain_industry == key_industry:
                scores[node_id] += KEY_INDUSTRY_BONUS
                extra[node_id].append({"source": KEY_INDUSTRY.label, "words": [key_industry]})
        placed = {n for n, s in scores.items() if s >= MIN_SCORE}
        # Keep the most specific: drop a node one of whose descendants is placed too.
        ancestors = {a for n in placed for a in self.nodes[n].ancestors}
        placed -= ancestors
        result = []
        for node_id in placed:
            node = self.nodes[node_id]
            hits_here = [hit for _, hit in words.get(node_id, {}).values()]
            strength = strengths.get(node_id, Strength.WEAK)
            for hit in hits_here:
                if STRENGTH_RANK[hit.source.strength] > STRENGTH_RANK[strength]:
                    strength = hit.source.strength
            evidence: dict[str, list[str]] = {}
            for hit in sorted(hits_here, key=lambda h: (-h.source.factor, h.start)):
                evidence.setdefault(hit.source.label, [])
                if hit.word not in evidence[hit.source.label]:
                    evidence[hit.source.label].append(hit.word)
            items = [{"source": label, "words": ws} for label, ws in evidence.items()] + extra[node_id]
            if leader:
                role = LinkRole.CHAIN_LEADER
            elif hits_here and all(h.user for h in hits_here):
                role = LinkRole.USER
            elif node.position == Position.SUPPORTING or (hits_here and all(h.supporting for h in hits_here)):
                role = LinkRole.SUPPORTER
            else:
                role = LinkRole.PRODUCER
            result.append(Match(node_id, node.chain_id, round(scores[node_id], 3), strength, role, items))
        result.sort(key=lambda m: (-m.score, m.node_id))
        return result[:MAX_NODES_PER_CHAIN]


def _standalone(text: str, start: int, length: int) -> bool:
    """A Latin word stands alone: no Latin letter or digit right before or after it."""
    before = text[start - 1] if start > 0 else " "
    after = text[start + length] if start + length < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def word_in_node_excludes(node: NodeSpec, text: str) -> bool:
    return text in node.excludes


def enterprise_sources(*, name: str, products: str = "", notes: str = "", industry_text: str = "") -> list[Source]:
    sources = []
    if products:
        sources.append(Source(PRODUCTS, products))
    if notes:
        sources.append(Source(NOTES, notes))
    if name:
        sources.append(Source(ENTERPRISE_NAME, name))
    if industry_text:
        sources.append(Source(INDUSTRY_LABEL, industry_text))
    return sources


def project_sources(*, name: str, description: str = "") -> list[Source]:
    sources = []
    if name:
        sources.append(Source(PROJECT_NAME, name))
    if description:
        sources.append(Source(DESCRIPTION, description))
    return sources


def specs_from_files() -> tuple[list[NodeSpec], dict[int, str]]:
    """Node specs of the shipped chains without a database (the labelled set, benchmarks): ids are positions,
    and the second value names each id as ``chain_code/node_key``."""
    from zhaoshang.chains.reference import shipped_chains

    specs, names, next_id = [], {}, 1
    for chain_id, chain in enumerate(shipped_chains(), start=1):
        ids: dict[str, int] = {}
        rows = {row.key: row for row in chain.nodes}
        for row in chain.nodes:
            ids[row.key] = next_id
            names[next_id] = f"{chain.code}/{row.key}"
            next_id += 1
        for row in chain.nodes:
            ancestors, parent = [], row.parent_key
            while parent:
                ancestors.append(ids[parent])
                parent = rows[parent].parent_key
            specs.append(
                NodeSpec(
                    id=ids[row.key],
                    chain_id=chain_id,
                    name=row.name,
                    level=row.level,
                    position=row.position,
                    ancestors=tuple(ancestors),
                    words=node_words(row.keywords.splitlines(), row.level),
                    excludes=tuple(normalize(w) for w in row.exclude_words.splitlines() if w.strip()),
                    gbt=tuple(c for c in row.gbt_codes.split(",") if c),
                    chain_industry=chain.key_industry,
                )
            )
    return specs, names
