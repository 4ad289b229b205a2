"""靶向寻商: the score of a candidate enterprise for a region's gaps — pure functions over plain data, deterministic.

score = Σ weight_f × value_f over five named factors, each value in [0, 1] (weights are data per chain,
``IndustryChain.targeting_weights`` over the shipped defaults in ``data/targeting.yaml``):

- ``fit`` 补链强链契合度: the best, over the candidate's nodes (placements not rejected), of the value the region's
  grade of that node gives (空白 1.0, 薄弱 0.8, 潜力 0.5, 优势 0.2), times 1.2 for a key link (capped at 1);
- ``signals`` 扩张信号: Σ signal weight × 0.5^(age / half-life) over signals within the horizon, clamped to [0, 1];
  a negative kind (注销子公司) subtracts;
- ``presence`` 在滇及周边布局: the group's counted projects in Yunnan 1.0, else an entity in Yunnan 0.8, else
  headquarters in a neighbouring province 0.5;
- ``scale`` 企业实力: the best of 世界500强 1.0, 中国500强 / 链主 0.8, 民营500强 / 上市 0.6, 大型 0.4;
- ``proximity`` 区位与通道: by the headquarters' source region group (省内 1.0, 成渝 0.8, 泛珠三角 0.7 …).

Every factor keeps its evidence in words; ``explain`` names the top contributions, never a bare number. Ties are
broken by the enterprise id, so the same data always gives the same order.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "targeting.yaml"
FACTORS = ("fit", "signals", "presence", "scale", "proximity")
FACTOR_LABELS = {
    "fit": "补链强链契合度",
    "signals": "扩张信号",
    "presence": "在滇及周边布局",
    "scale": "企业实力",
    "proximity": "区位与通道",
}
GRADE_WORDS = {"empty": "填补空白环节", "weak": "补强薄弱环节", "potential": "壮大潜力环节", "strong": "延伸优势环节"}
SCALE_LABELS = {
    "global500": "世界500强",
    "china500": "中国500强",
    "chain_leader": "链主企业",
    "private500": "民营500强",
    "listed": "上市公司",
    "large": "大型企业",
}


@cache
def settings() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def weights_for(custom: dict | None) -> dict[str, float]:
    """The chain's weights over the defaults; unknown keys are ignored, negative ones refused by the service."""
    weights = dict(settings()["weights"])
    for key, value in (custom or {}).items():
        if key in weights:
            weights[key] = float(value)
    return weights


@dataclass(frozen=True)
class NodeGrade:
    """A node as the region's diagnosis sees it."""

    node_id: int
    name: str
    grade: str
    is_key_link: bool
    action: str


@dataclass(frozen=True)
class SignalFact:
    kind: str
    label: str
    on: date
    source: str
    evidence: str = ""


@dataclass(slots=True)  # tens of thousands are made per ranking: slots make them quicker to build and read
class CandidateFacts:
    enterprise_id: int
    name: str
    credit_code: str = ""
    stock_code: str = ""
    hq_province: str = ""
    region_group: str = ""
    flags: frozenset = frozenset()
    yunnan_entity: bool = False
    node_ids: tuple[int, ...] = ()
    local_node_ids: frozenset = frozenset()  # nodes where it already has a counted project in the region
    signals: tuple[SignalFact, ...] = ()
    projects_by_prefecture: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Factor:
    code: str
    weight: float
    value: float
    evidence: str

    @property
    def label(self) -> str:
        return FACTOR_LABELS[self.code]

    @property
    def contribution(self) -> float:
        return round(self.weight * self.value, 4)

    def as_dict(self) -> dict:
        return {
            "factor": self.code,
            "label": self.label,
            "weight": self.weight,
            "value": round(self.value, 4),
            "contribution": self.contribution,
            "evidence": self.evidence,
        }


@dataclass
class Candidate:
    facts: CandidateFacts
    factors: list[Factor]
    expansion: bool  # 增资扩产: already on a candidate node in the region
    nodes: list[NodeGrade] = field(default_factory=list)

    @property
    def score(self) -> float:
        return combine({f.code: f.weight for f in self.factors}, *(f.value for f in self.factors))

    @property
    def reasons(self) -> list[str]:
        return explain(self)

    def factor(self, code: str) -> Factor:
        return next(f for f in self.factors if f.code == code)


def signal_value(kind_weight: float, on: date, today: date, half_life_days: int) -> float:
    age = max((today - on).days, 0)
    return kind_weight * 0.5 ** (age / half_life_days)


def node_fit_value(node: NodeGrade) -> float:
    conf = settings()
    return min(conf["fit_by_grade"].get(node.grade, 0.0) * (conf["key_link_bonus"] if node.is_key_link else 1.0), 1.0)


def signals_value(signals, today: date) -> float:
    conf = settings()
    total = 0.0
    for s in signals:
        age = (today - s.on).days
        if 0 <= age <= conf["signal_horizon_days"]:
            total += signal_value(conf["signal_weights"].get(s.kind, 0.0), s.on, today, conf["half_life_days"])
    return min(max(total, 0.0), 1.0)


def presence_value(facts: "CandidateFacts") -> float:
    conf = settings()["presence"]
    if facts.projects_by_prefecture:
        return conf["projects_in_yunnan"]
    if facts.yunnan_entity:
        return conf["yunnan_entity"]
    if facts.hq_province in settings()["neighbours"]:
        return conf["neighbour_hq"]
    return 0.0


def scale_value(flags) -> float:
    values = settings()["scale"]
    return max((values[f] for f in flags if f in values), default=0.0)


def proximity_value(region_group: str) -> float:
    values = settings()["proximity_by_group"]
    return values.get(region_group, values[""])


def combine(weights: dict[str, float], fit: float, signals: float, presence: float, scale: float, proximity: float):
    """Σ weight × value in the order of ``FACTORS``, rounded once (the ranking and the explanation both use it)."""
    return round(
        weights["fit"] * fit
        + weights["signals"] * signals
        + weights["presence"] * presence
        + weights["scale"] * scale
        + weights["proximity"] * proximity,
        4,
    )


def quick_score(facts: "CandidateFacts", *, node_values: dict[int, float], weights: dict[str, float], today) -> float:
    """The score of ``score`` without building its explanation (the ranking of every candidate; the explanation is
    built for the candidates shown). Same helpers, same sum: equal to ``score(...).score``."""
    return quick_scorer(node_values=node_values, weights=weights, today=today)(facts)


def quick_scorer(*, node_values: dict[int, float], weights: dict[str, float], today):
    """``quick_score`` for many candidates of one ranking: the values that depend on a few attributes only (scale by
    the set of flags, proximity by region group, presence by its three inputs) are computed once per distinct input,
    and so is the whole score of a candidate without signals (a ranking has tens of thousands of candidates, most
    without signals, and a few hundred distinct inputs), with the same helpers and the same sum."""
    scales: dict = {}
    proximities: dict = {}
    presences: dict = {}
    plain: dict = {}  # (fit, flags, group, presence inputs) -> score, for candidates without signals

    def parts(facts: "CandidateFacts") -> tuple[float, float, float]:
        flags = facts.flags
        scale = scales.get(flags)
        if scale is None:
            scale = scales[flags] = scale_value(flags)
        group = facts.region_group
        proximity = proximities.get(group)
        if proximity is None:
            proximity = proximities[group] = proximity_value(group)
        key = (bool(facts.projects_by_prefecture), facts.yunnan_entity, facts.hq_province)
        presence = presences.get(key)
        if presence is None:
            presence = presences[key] = presence_value(facts)
        return presence, scale, proximity

    def scored(facts: "CandidateFacts") -> float:
        fit = 0.0
        for pk in facts.node_ids:
            value = node_values.get(pk, 0.0)
            if value > fit:
                fit = value
        if facts.signals:
            presence, scale, proximity = parts(facts)
            return combine(weights, fit, signals_value(facts.signals, today), presence, scale, proximity)
        key = (
            fit,
            facts.flags,
            facts.region_group,
            bool(facts.projects_by_prefecture),
            facts.yunnan_entity,
            facts.hq_province,
        )
        score = plain.get(key)
        if score is None:
            presence, scale, proximity = parts(facts)
            score = plain[key] = combine(weights, fit, 0.0, presence, scale, proximity)
        return score

    return scored


def fit_factor(nodes: list[NodeGrade], weight: float) -> tuple[Factor, list[NodeGrade]]:
    best, best_nodes = 0.0, []
    for node in nodes:
        value = node_fit_value(node)
        if value > best + 1e-9:
            best, best_nodes = value, [node]
        elif abs(value - best) <= 1e-9 and value > 0:
            best_nodes.append(node)
    if not best_nodes:
        return Factor("fit", weight, 0.0, "不在本地区所选环节上"), []
    grade = best_nodes[0].grade
    names = "、".join(n.name + ("（关键环节）" if n.is_key_link else "") for n in best_nodes[:3])
    return Factor("fit", weight, best, f"{GRADE_WORDS.get(grade, '对应环节')}：{names}"), best_nodes


def signals_factor(signals: tuple[SignalFact, ...], weight: float, today: date) -> Factor:
    conf = settings()
    words = []
    for s in sorted(signals, key=lambda s: (s.on, s.kind, s.source), reverse=True):
        age = (today - s.on).days
        if 0 <= age <= conf["signal_horizon_days"] and len(words) < 3:
            words.append(f"{s.label}（{s.on:%Y-%m}，{s.evidence or s.source}）")
    value = signals_value(signals, today)
    return Factor("signals", weight, value, "；".join(words) if words else "近三年无扩张信号")


def presence_factor(facts: CandidateFacts, weight: float) -> Factor:
    value = presence_value(facts)
    if facts.projects_by_prefecture:
        where = "、".join(f"{name}{count}个" for name, count in facts.projects_by_prefecture[:3])
        total = sum(count for _, count in facts.projects_by_prefecture)
        return Factor("presence", weight, value, f"集团已在云南投资{total}个项目（{where}）")
    if facts.yunnan_entity:
        return Factor("presence", weight, value, "在滇设有注册主体")
    if value:
        return Factor("presence", weight, value, f"总部在周边省份（{facts.hq_province}）")
    return Factor("presence", weight, 0.0, "在滇及周边尚无布局")


def scale_factor(facts: CandidateFacts, weight: float) -> Factor:
    values = settings()["scale"]
    held = [flag for flag in values if flag in facts.flags]
    if not held:
        return Factor("scale", weight, 0.0, "无500强、上市或链主标识")
    value = scale_value(facts.flags)
    return Factor("scale", weight, value, "、".join(SCALE_LABELS[flag] for flag in held))


def proximity_factor(facts: CandidateFacts, weight: float) -> Factor:
    value = proximity_value(facts.region_group)
    where = facts.hq_province or "总部所在地未填"
    return Factor("proximity", weight, value, f"总部：{where}")


def score(facts: CandidateFacts, *, grades: dict[int, NodeGrade], weights: dict[str, float], today: date) -> Candidate:
    nodes = [grades[pk] for pk in facts.node_ids if pk in grades]
    fit, best_nodes = fit_factor(nodes, weights["fit"])
    factors = [
        fit,
        signals_factor(facts.signals, weights["signals"], today),
        presence_factor(facts, weights["presence"]),
        scale_factor(facts, weights["scale"]),
        proximity_factor(facts, weights["proximity"]),
    ]
    expansion = bool(facts.local_node_ids & set(facts.node_ids))
    return Candidate(facts=facts, factors=factors, expansion=expansion, nodes=best_nodes or nodes)


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best first; the same data gives the same order (ties by enterprise id)."""
    return sorted(candidates, key=lambda c: (-c.score, c.facts.enterprise_id))


def explain(candidate: Candidate, top: int = 3) -> list[str]:
    """The top contributions in words with their evidence.

    E.g. 填补空白环节：高纯晶硅；集团已在保山投资2个项目；世界500强."""
    reasons = []
    if candidate.expansion:
        reasons.append("已在本地区该环节布局，可争取增资扩产")
    for f in sorted(candidate.factors, key=lambda f: (-f.contribution, FACTORS.index(f.code))):
        if f.value > 0 and len(reasons) < top + int(candidate.expansion):
            reasons.append(f.evidence)
    return reasons or ["各项因素均无加分"]


def score_decimal(value: float) -> Decimal:
    return Decimal(str(round(value * 100, 1)))
