"""产业诊断: where a region is strong, weak or empty on a chain, and why. Pure formulas, no database.

The inputs are, for every node of one chain version, the enterprises of the region on the node or below it
(``Presence``: their projects and money), and the base figures the region is measured against. A region's base is
the province; the province's base is the nation (the enterprise library: every enterprise placed on the chain).

Figures of a node N in region R for year Y (counted projects only: a merged duplicate never counts):

- **企业数** n(R, N): distinct investors with a project on N (or below it) in R at 签约 or a later stage, first
  signed by the end of Y and not terminated. n(R, chain) is the same over the whole chain.
- **区位熵 LQ** = (n(R, N) / n(R, chain)) ÷ (n(B, N) / n(B, chain)), B the base. LQ > 1: N holds a larger share
  of R's chain enterprises than of the base's. Undefined (None) when a count it divides by is zero.
- **HHI** = Σ sᵢ², sᵢ the share of enterprise i in the node's local money (协议投资额 of its present projects),
  0–1: 1 is one enterprise alone. **CR4** = the share of the four largest (0–1).
- **签约额**: 协议投资额 of the node's projects first signed in Y (an upgrade of an earlier year's agreement is not
  counted again). **到位资金**: counted ledger entries of Y. **在谈**: projects now at 线索 or 在谈.
- **链主**: a present enterprise placed as 链主 (the automatic placement places an enterprise flagged 链主 so), or
  whose project on the node is flagged 链主.
- **Roll-up**: the database returns the region's (node, project) placements; ``rollup`` counts each project once
  for its node and every node above it, sums per enterprise, and keeps per node Σmᵢ, Σmᵢ² and the money of the four
  largest, so that HHI = Σmᵢ² / (Σmᵢ)² and CR4 = top four / Σmᵢ (``hhi_from``, ``cr4_from``; ``figures_of`` does the
  same from a list of enterprises).

Figures are rounded as they are printed (LQ to 0.01, HHI and CR4 to 0.0001) and the thresholds are compared with
the printed figures, so that a reader can check every grade against its reason.

**Grades** (thresholds are data of the chain version, ``Thresholds``):

- 空白: n = 0.
- 优势: a 链主 is present and LQ ≥ ``leader_strong_lq``; or n ≥ ``strong_min_enterprises``, LQ ≥ ``strong_lq`` and
  HHI ≤ ``strong_max_hhi``.
- 潜力: otherwise LQ ≥ ``potential_lq``, or 在谈 ≥ ``potential_pipeline``.
- 薄弱: otherwise.

**Actions**: 补链 for an empty key link; 延链 for an empty high-value node joined by a flow (either way) to a node
the region is strong in; 强链 for a weak or potential node; none for a strong node or another empty node.

**Gap list**: nodes without children that call for an action, key links first, then by value tier (高, 中, 低),
then 补链, 延链, 强链, then empty before weak before potential.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

ZERO = Decimal(0)
LQ_PLACES = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
CENT = Decimal("0.01")

EMPTY, WEAK, POTENTIAL, STRONG = "empty", "weak", "potential", "strong"
GRADE_LABELS = {EMPTY: "空白", WEAK: "薄弱", POTENTIAL: "潜力", STRONG: "优势"}
FILL, EXTEND, STRENGTHEN, NONE = "fill", "extend", "strengthen", ""
ACTION_LABELS = {FILL: "补链", EXTEND: "延链", STRENGTHEN: "强链", NONE: "—"}
TIER_ORDER = {"high": 0, "medium": 1, "low": 2}
TIER_LABELS = {"high": "高", "medium": "中", "low": "低"}
ACTION_ORDER = {FILL: 0, EXTEND: 1, STRENGTHEN: 2, NONE: 3}
GRADE_ORDER = {EMPTY: 0, WEAK: 1, POTENTIAL: 2, STRONG: 3}


def _dec(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


@dataclass(frozen=True)
class Thresholds:
    strong_lq: Decimal
    strong_min_enterprises: int
    strong_max_hhi: Decimal
    leader_strong_lq: Decimal
    potential_lq: Decimal
    potential_pipeline: int

    @classmethod
    def from_dict(cls, values: dict) -> "Thresholds":
        return cls(
            strong_lq=_dec(values["strong_lq"]),
            strong_min_enterprises=int(values["strong_min_enterprises"]),
            strong_max_hhi=_dec(values["strong_max_hhi"]),
            leader_strong_lq=_dec(values["leader_strong_lq"]),
            potential_lq=_dec(values["potential_lq"]),
            potential_pipeline=int(values["potential_pipeline"]),
        )

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class NodeInfo:
    id: int
    key: str
    name: str
    parent_id: int | None
    level: int
    position: str
    value_tier: str
    is_key_link: bool
    has_children: bool = False

    @property
    def value_tier_label(self) -> str:
        return TIER_LABELS.get(self.value_tier, "")


@dataclass(frozen=True)
class Presence:
    """One enterprise of the region on a node (its projects on the node or below it, each counted once)."""

    enterprise_id: int
    present_projects: int = 0
    stock_wan: Decimal = ZERO
    signed_wan: Decimal = ZERO
    funds_wan: Decimal = ZERO
    pipeline: int = 0
    leader: bool = False

    @property
    def present(self) -> bool:
        return self.present_projects > 0


@dataclass(frozen=True)
class NodeFigures:
    """What the region holds on a node, summed over its enterprises: the form the database returns (one row a node).
    ``stock_sq`` is Σ mᵢ² and ``top4_wan`` the money of the four largest enterprises, from which HHI and CR4 follow
    (``hhi_from``, ``cr4_from``) without listing the enterprises."""

    enterprises: int = 0
    projects: int = 0
    pipeline: int = 0
    stock_wan: Decimal = ZERO
    stock_sq: Decimal = ZERO
    top4_wan: Decimal = ZERO
    signed_wan: Decimal = ZERO
    funds_wan: Decimal = ZERO
    leaders: int = 0


def figures_of(presences: Iterable[Presence]) -> NodeFigures:
    """A node's figures from its enterprises one by one (tests, and a reader checking the database's sums)."""
    rows = list(presences)
    present = [p for p in rows if p.present]
    money = sorted((p.stock_wan for p in present), reverse=True)
    return NodeFigures(
        enterprises=len(present),
        projects=sum(p.present_projects for p in present),
        pipeline=sum(p.pipeline for p in rows),
        stock_wan=sum(money, ZERO),
        stock_sq=sum((m * m for m in money), ZERO),
        top4_wan=sum(money[:4], ZERO),
        signed_wan=sum((p.signed_wan for p in rows), ZERO),
        funds_wan=sum((p.funds_wan for p in rows), ZERO),
        leaders=sum(1 for p in present if p.leader),
    )


class PlacedProject(NamedTuple):
    """A counted project of the region on a node, as the database returns it (through its investor's placement or
    its own; the same project may come twice). Amounts are in 分 (fen, exact integers); flags are 0 or 1."""

    node_id: int
    project_id: int
    investor_id: int
    present: int
    stock_fen: int  # 协议投资额 if present, else 0
    signed_fen: int  # 协议投资额 if first signed in the year, else 0
    pipeline: int
    funds_fen: int  # counted ledger entries of the year
    leader: int


FEN_PER_WAN = 100


def _wan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def rollup(rows: Iterable[PlacedProject], ancestors: dict[int, tuple[int, ...]]) -> tuple[dict[int, NodeFigures], int]:
    """Every node's figures from the projects placed on it or below it, each project once per node (a project placed
    on two products of a module counts once for the module), and n(R, chain): the distinct present investors."""
    seen: dict[tuple[int, int], list] = {}  # (node, project) → its enterprise's accumulator (for a late 链主 flag)
    # (node, investor) → [present projects, money if present, signed in the year, funds, in negotiation, leader]
    per: dict[tuple[int, int], list] = {}
    present_investors = set()
    lineage: dict[int, tuple[int, ...]] = {}  # a node and the nodes above it
    for node, project, investor, present, stock, signed, pipeline, funds, leader in rows:
        if present:
            present_investors.add(investor)
        line = lineage.get(node)
        if line is None:
            line = lineage[node] = (node, *ancestors.get(node, ()))
        for node_id in line:
            acc = seen.get((node_id, project))
            if acc is not None:  # the same project through another placement or another node below
                acc[5] = acc[5] or bool(present and leader)
                continue
            acc = per.get((node_id, investor))
            if acc is None:
                acc = per[(node_id, investor)] = [0, 0, 0, 0, 0, False]
            seen[(node_id, project)] = acc
            if present:
                acc[0] += 1
                acc[1] += stock
                acc[5] = acc[5] or bool(leader)
            acc[2] += signed
            acc[3] += funds
            acc[4] += pipeline
    by_node: dict[int, list[list]] = {}
    for (node_id, _investor), acc in per.items():
        by_node.setdefault(node_id, []).append(acc)
    figures = {}
    for node_id, accs in by_node.items():
        money = sorted((acc[1] for acc in accs if acc[0]), reverse=True)
        figures[node_id] = NodeFigures(
            enterprises=len(money),
            projects=sum(acc[0] for acc in accs),
            pipeline=sum(acc[4] for acc in accs),
            stock_wan=_wan(sum(money)),
            stock_sq=Decimal(sum(m * m for m in money)).scaleb(-4),
            top4_wan=_wan(sum(money[:4])),
            signed_wan=_wan(sum(acc[2] for acc in accs)),
            funds_wan=_wan(sum(acc[3] for acc in accs)),
            leaders=sum(1 for acc in accs if acc[0] and acc[5]),
        )
    return figures, len(present_investors)


@dataclass
class NodeResult:
    node: NodeInfo
    enterprises: int
    projects: int
    pipeline: int
    stock_wan: Decimal
    signed_wan: Decimal
    funds_wan: Decimal
    leaders: int
    base_enterprises: int
    lq: Decimal | None
    hhi: Decimal | None
    cr4: Decimal | None
    grade: str = EMPTY
    grade_reason: str = ""
    action: str = NONE
    action_reason: str = ""

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    def as_dict(self) -> dict:
        node = self.node
        return {
            "node_id": node.id,
            "key": node.key,
            "name": node.name,
            "parent_id": node.parent_id,
            "level": node.level,
            "position": node.position,
            "value_tier": node.value_tier,
            "is_key_link": node.is_key_link,
            "enterprises": self.enterprises,
            "projects": self.projects,
            "pipeline": self.pipeline,
            "leaders": self.leaders,
            "base_enterprises": self.base_enterprises,
            "lq": None if self.lq is None else str(self.lq),
            "hhi": None if self.hhi is None else str(self.hhi),
            "cr4": None if self.cr4 is None else str(self.cr4),
            "stock_wan": str(self.stock_wan),
            "signed_wan": str(self.signed_wan),
            "funds_wan": str(self.funds_wan),
            "grade": self.grade,
            "grade_label": self.grade_label,
            "grade_reason": self.grade_reason,
            "action": self.action,
            "action_label": self.action_label,
            "action_reason": self.action_reason,
        }


@dataclass
class Diagnosis:
    region_enterprises: int  # n(R, chain)
    base_enterprises: int  # n(B, chain)
    base_label: str
    thresholds: Thresholds
    nodes: list[NodeResult] = field(default_factory=list)

    def by_id(self) -> dict[int, NodeResult]:
        return {r.node.id: r for r in self.nodes}

    def gaps(self) -> list[NodeResult]:
        """Leaf nodes calling for an action, ranked (see the module's docstring)."""
        rows = [r for r in self.nodes if r.action != NONE and not r.node.has_children]
        return sorted(rows, key=gap_key)

    def grade_counts(self, *, leaves_only: bool = True) -> dict[str, int]:
        counts = dict.fromkeys(GRADE_LABELS, 0)
        for r in self.nodes:
            if not leaves_only or not r.node.has_children:
                counts[r.grade] += 1
        return counts

    def in_grade(self, grade: str) -> list[NodeResult]:
        return [r for r in self.nodes if r.grade == grade and not r.node.has_children]


def gap_key(r: NodeResult) -> tuple:
    return (
        not r.node.is_key_link,
        TIER_ORDER.get(r.node.value_tier, 9),
        ACTION_ORDER[r.action],
        GRADE_ORDER[r.grade],
        r.node.level,
        r.node.id,
    )


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def location_quotient(n_region_node: int, n_region_chain: int, n_base_node: int, n_base_chain: int) -> Decimal | None:
    """企业数区位熵 (n(R,N)/n(R,chain)) ÷ (n(B,N)/n(B,chain)), to 0.01; None when a divisor is zero."""
    if not n_region_chain or not n_base_node or not n_base_chain:
        return None
    value = (Decimal(n_region_node) / Decimal(n_region_chain)) / (Decimal(n_base_node) / Decimal(n_base_chain))
    return _round(value, LQ_PLACES)


def shares(amounts: Iterable[Decimal]) -> list[Decimal] | None:
    values = [a for a in amounts if a > 0]
    total = sum(values, ZERO)
    if total <= 0:
        return None
    return sorted((v / total for v in values), reverse=True)


def hhi(amounts: Iterable[Decimal]) -> Decimal | None:
    """Herfindahl–Hirschman index Σ sᵢ² on 0–1, to 0.0001; None without money."""
    parts = shares(amounts)
    return None if parts is None else _round(sum((s * s for s in parts), ZERO), SHARE_PLACES)


def cr4(amounts: Iterable[Decimal]) -> Decimal | None:
    """Share of the four largest, 0–1, to 0.0001; None without money."""
    parts = shares(amounts)
    return None if parts is None else _round(sum(parts[:4], ZERO), SHARE_PLACES)


def hhi_from(stock_sq: Decimal, stock: Decimal) -> Decimal | None:
    """HHI from sums: Σ sᵢ² = Σ mᵢ² / (Σ mᵢ)²."""
    return None if stock <= 0 else _round(_dec(stock_sq) / (_dec(stock) * _dec(stock)), SHARE_PLACES)


def cr4_from(top4: Decimal, stock: Decimal) -> Decimal | None:
    return None if stock <= 0 else _round(_dec(top4) / _dec(stock), SHARE_PLACES)


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def grade(
    *, enterprises: int, lq: Decimal | None, hhi_value: Decimal | None, leaders: int, pipeline: int, t: Thresholds
) -> tuple[str, str]:
    """The grade of a node and the reason, naming the figures and the thresholds that decided it."""
    if enterprises == 0:
        extra = f"；在谈/线索项目{pipeline}个" if pipeline else ""
        return EMPTY, f"本地没有签约及以后阶段的企业（企业数0）{extra}"
    lq_text = f"区位熵{fmt(lq)}"
    if leaders and lq is not None and lq >= t.leader_strong_lq:
        return STRONG, f"有链主企业{leaders}家，{lq_text}≥{fmt(t.leader_strong_lq)}"
    strong_lq = lq is not None and lq >= t.strong_lq
    enough = enterprises >= t.strong_min_enterprises
    spread = hhi_value is None or hhi_value <= t.strong_max_hhi
    if strong_lq and enough and spread:
        hhi_text = f"，集中度HHI {fmt(hhi_value)}≤{fmt(t.strong_max_hhi)}" if hhi_value is not None else ""
        return STRONG, (f"企业{enterprises}家≥{t.strong_min_enterprises}，{lq_text}≥{fmt(t.strong_lq)}{hhi_text}")
    short = []
    if strong_lq and not enough:
        short.append(f"企业{enterprises}家<{t.strong_min_enterprises}")
    if strong_lq and enough and not spread:
        short.append(f"集中度HHI {fmt(hhi_value)}>{fmt(t.strong_max_hhi)}（过于集中）")
    not_yet = f"；尚不足以评为优势：{'，'.join(short)}" if short else ""
    if lq is not None and lq >= t.potential_lq:
        return POTENTIAL, f"{lq_text}≥{fmt(t.potential_lq)}，企业{enterprises}家{not_yet}"
    if pipeline >= t.potential_pipeline:
        return POTENTIAL, (
            f"在谈/线索项目{pipeline}个≥{t.potential_pipeline}，企业{enterprises}家，{lq_text}<{fmt(t.potential_lq)}"
        )
    return WEAK, (
        f"企业{enterprises}家，{lq_text}<{fmt(t.potential_lq)}，在谈/线索项目{pipeline}个<{t.potential_pipeline}"
    )


def action(result: NodeResult, *, strong_neighbours: list[str]) -> tuple[str, str]:
    """补链 / 延链 / 强链 for a node and the reason; ``strong_neighbours`` are the names of the nodes joined to it
    by a flow (either way) that the region is strong in."""
    node = result.node
    if result.grade == EMPTY:
        if node.is_key_link:
            return FILL, "关键环节在本地空白"
        if node.value_tier == "high" and strong_neighbours:
            return EXTEND, f"高价值环节在本地空白，与本地优势环节{'、'.join(strong_neighbours)}有供给关系"
        return NONE, "非关键环节空白，且不与本地优势环节相连"
    if result.grade in (WEAK, POTENTIAL):
        return STRENGTHEN, f"本地已有企业但尚未形成优势（{GRADE_LABELS[result.grade]}）"
    return NONE, "本地优势环节"


def diagnose(
    *,
    nodes: list[NodeInfo],
    figures: dict[int, NodeFigures],
    region_total: int,
    base_counts: dict[int, int],
    base_total: int,
    base_label: str,
    flows: list[tuple[int, int]],
    thresholds: Thresholds,
) -> Diagnosis:
    """Figures, grade and action of every node. ``figures[node]`` sums the region's enterprises on the node or below
    it (``figures_of``), ``region_total`` is n(R, chain), ``base_counts[node]`` n(B, N) and ``base_total``
    n(B, chain)."""
    results = []
    for node in nodes:
        f = figures.get(node.id, NodeFigures())
        n = f.enterprises
        result = NodeResult(
            node=node,
            enterprises=n,
            projects=f.projects,
            pipeline=f.pipeline,
            stock_wan=_round(_dec(f.stock_wan), CENT),
            signed_wan=_round(_dec(f.signed_wan), CENT),
            funds_wan=_round(_dec(f.funds_wan), CENT),
            leaders=f.leaders,
            base_enterprises=base_counts.get(node.id, 0),
            lq=location_quotient(n, region_total, base_counts.get(node.id, 0), base_total) if n else None,
            hhi=hhi_from(_dec(f.stock_sq), _dec(f.stock_wan)),
            cr4=cr4_from(_dec(f.top4_wan), _dec(f.stock_wan)),
        )
        result.grade, result.grade_reason = grade(
            enterprises=n,
            lq=result.lq,
            hhi_value=result.hhi,
            leaders=result.leaders,
            pipeline=result.pipeline,
            t=thresholds,
        )
        results.append(result)
    by_id = {r.node.id: r for r in results}
    neighbours: dict[int, set[int]] = {}
    for a, b in flows:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    for result in results:
        strong = [
            by_id[n].node.name
            for n in sorted(neighbours.get(result.node.id, ()))
            if n in by_id and by_id[n].grade == STRONG
        ]
        result.action, result.action_reason = action(result, strong_neighbours=strong)
    return Diagnosis(
        region_enterprises=region_total,
        base_enterprises=base_total,
        base_label=base_label,
        thresholds=thresholds,
        nodes=results,
    )
