"""项目匹配: which park fits a project (or a lead's needs) — hard filters first, then scored factors, each shown
with its value and its percentile among the parks that pass.

Hard filters (a park failing one is listed under "filtered out" with the reason): the park is active and has a
profile; the park does not exclude the project's node (``ParkProfile.excluded_nodes``); land available ≥ the need;
the project's 投资强度 (investment ÷ land) and 亩均税收 (expected tax ÷ land) reach the park's standards (the
admission standards of ``catalog``: the park's own, else its county's … the province's); power capacity ≥ the
need; the park takes the project's 环评 class.

Scored factors (percentile = share of passing parks with a value no better, so 100 is the best; a missing value
scores 0 and says so). Score = Σ weight × percentile / 100:

======================  ======  ==============================================================================
factor                  weight  value
======================  ======  ==============================================================================
chain_fit 产业链契合     0.30    local enterprises (counted projects in the park) on the project's nodes or
                                adjacent ones (parent, children, supply flows either way)
land 要素保障            0.20    land available + 标准地 counted twice + 标准厂房 (m² ÷ 666.7 as 亩)
power 电价与绿电         0.20    green-power share − 100 × (price − 0.30) (cheaper and greener is better)
transport 交通区位       0.15    − (rail km + border-port km ÷ 4)
indicators 园区效益      0.15    亩均税收 × 10 + 亩均产值 ÷ 10
======================  ======  ==============================================================================
Ties are broken by the park code: the same data gives the same order.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from zhaoshang.chains.choices import Decision
from zhaoshang.chains.models import ChainFlow, ChainNode, EnterpriseNodeLink, ParkProfile, ProjectNodeLink, word_lines

WEIGHTS = {"chain_fit": 0.30, "land": 0.20, "power": 0.20, "transport": 0.15, "indicators": 0.15}
LABELS = {
    "chain_fit": "产业链契合",
    "land": "要素保障（用地/标准地/厂房）",
    "power": "电价与绿电",
    "transport": "交通区位（铁路/口岸）",
    "indicators": "园区效益（亩均税收/产值）",
}
MU_PER_M2 = Decimal("666.7")
SIGNED_OR_LATER = ("signed", "registered", "under_construction", "in_production")


@dataclass
class Needs:
    """What the project needs (from the project, overridable on the panel for a lead still vague)."""

    node_ids: list[int] = field(default_factory=list)
    node_keys: list[str] = field(default_factory=list)
    node_names: list[str] = field(default_factory=list)
    land_mu: Decimal | None = None
    investment_wan: Decimal | None = None
    tax_wan: Decimal | None = None
    power_mva: Decimal | None = None
    water_t_day: Decimal | None = None
    eia_class: str = ""

    def as_dict(self) -> dict:
        return {
            "nodes": self.node_names,
            "land_mu": _num(self.land_mu),
            "investment_wan": _num(self.investment_wan),
            "expected_tax_wan": _num(self.tax_wan),
            "power_mva": _num(self.power_mva),
            "water_t_day": _num(self.water_t_day),
            "eia_class": self.eia_class,
        }


def _num(value):
    return None if value is None else float(value)


@dataclass
class FactorValue:
    code: str
    value: Decimal | float | None  # a ranking key: exact Decimal where it is built from money and land
    shown: str
    percentile: float = 0.0

    def as_dict(self) -> dict:
        return {
            "factor": self.code,
            "label": LABELS[self.code],
            "weight": WEIGHTS[self.code],
            "value": None if self.value is None else str(self.value),
            "shown": self.shown,
            "percentile": round(self.percentile, 1),
        }


@dataclass
class ParkMatch:
    park_id: int
    code: str
    name: str
    region: str
    factors: list[FactorValue]
    score: float = 0.0

    def as_dict(self, rank: int) -> dict:
        return {
            "rank": rank,
            "park_id": self.park_id,
            "code": self.code,
            "park": self.name,
            "region": self.region,
            "score": round(self.score, 2),
            "factors": [f.as_dict() for f in self.factors],
        }


@dataclass
class ParkFiltered:
    park_id: int
    code: str
    name: str
    region: str
    reasons: list[str]

    def as_dict(self) -> dict:
        return {
            "park_id": self.park_id,
            "code": self.code,
            "park": self.name,
            "region": self.region,
            "reasons": self.reasons,
        }


def percentiles(values: list[float | None]) -> list[float]:
    """Mid-rank percentile (0–100) among the known values: the share below plus half the share equal, so that parks
    alike on a factor get the same middling figure, not all 100. A missing value is 0."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return [0.0 for _ in values]
    n = len(known)
    return [
        0.0
        if v is None
        else 100.0 * (bisect_left(known, v) + 0.5 * (bisect_right(known, v) - bisect_left(known, v))) / n
        for v in values
    ]


def n(value) -> str:
    """A figure as people write it: 1200, 0.441, 36.04 (no trailing zeros, no exponent)."""
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f")
    return text


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def hard_filter_reasons(profile: ParkProfile | None, needs: Needs, thresholds) -> list[str]:
    if profile is None:
        return ["园区未填报承载条件（可供用地等），无法核对"]
    reasons = []
    excluded = set(word_lines(profile.excluded_nodes))
    hit = [name for key, name in zip(needs.node_keys, needs.node_names, strict=True) if key in excluded]
    if hit:
        reasons.append(f"园区不予承接该环节：{'、'.join(hit)}")
    land = needs.land_mu
    if not profile.land_available_mu and not profile.standard_factory_m2:
        reasons.append("用地已满：可供工业用地0亩，也无可租售标准厂房")
    elif land is not None and land > 0:
        available = profile.land_available_mu or Decimal(0)
        if available < land:  # a project may still rent factories, but not build on land the park lacks
            reasons.append(f"可供工业用地{n(available)}亩，少于项目需求{n(land)}亩（用地已满或不足）")
        if thresholds is not None and needs.investment_wan is not None:
            intensity = needs.investment_wan / land
            if intensity < thresholds.min_intensity_wan_per_mu:
                reasons.append(
                    f"投资强度{intensity:.1f}万元/亩，低于园区标准{n(thresholds.min_intensity_wan_per_mu)}万元/亩"
                )
        if thresholds is not None and needs.tax_wan is not None:
            per_mu = needs.tax_wan / land
            if per_mu < thresholds.min_tax_wan_per_mu:
                reasons.append(f"亩均税收{per_mu:.1f}万元/亩，低于园区标准{n(thresholds.min_tax_wan_per_mu)}万元/亩")
    if needs.power_mva is not None and profile.power_capacity_mva is not None:
        if profile.power_capacity_mva < needs.power_mva:
            reasons.append(f"可用供电容量{n(profile.power_capacity_mva)}兆伏安，少于需求{n(needs.power_mva)}兆伏安")
    if needs.water_t_day is not None and profile.water_capacity_t_day is not None:
        if profile.water_capacity_t_day < needs.water_t_day:
            reasons.append(f"可用供水{n(profile.water_capacity_t_day)}吨/日，少于需求{n(needs.water_t_day)}吨/日")
    accepted = [c.strip() for c in (profile.eia_classes or "").replace("，", ",").split(",") if c.strip()]
    if needs.eia_class and accepted and needs.eia_class not in accepted:
        reasons.append(f"园区可承接环评类别为{'、'.join(accepted)}，不含{needs.eia_class}")
    return reasons


def factor_values(profile: ParkProfile, local_firms: int) -> list[FactorValue]:
    p = profile
    land = None
    if p.land_available_mu is not None or p.standard_factory_m2 is not None:
        land = (p.land_available_mu or 0) + (p.standard_land_mu or 0) + (p.standard_factory_m2 or 0) / MU_PER_M2
    power = None
    if p.power_price_yuan_kwh is not None:
        power = (p.green_power_share or 0) - 100 * (p.power_price_yuan_kwh - Decimal("0.30"))
    transport = None
    if p.rail_km is not None:
        transport = -(p.rail_km + (p.port_km if p.port_km is not None else Decimal(400)) / 4)
    indicators = None
    if p.tax_per_mu_wan is not None or p.output_per_mu_wan is not None:
        indicators = (p.tax_per_mu_wan or 0) * 10 + (p.output_per_mu_wan or 0) / 10

    def show(value, text):
        return text if value is not None else "未填报"

    return [
        FactorValue("chain_fit", float(local_firms), f"同链相关环节本地企业{local_firms}家"),
        FactorValue(
            "land",
            land,
            show(
                land,
                f"可供用地{n(p.land_available_mu or 0)}亩（标准地{n(p.standard_land_mu or 0)}亩），"
                f"标准厂房{n(p.standard_factory_m2 or 0)}㎡",
            ),
        ),
        FactorValue(
            "power",
            power,
            show(power, f"电价{n(p.power_price_yuan_kwh or 0)}元/千瓦时，绿电{n(p.green_power_share or 0)}%"),
        ),
        FactorValue(
            "transport",
            transport,
            show(
                transport,
                f"距铁路货运站{n(p.rail_km or 0)}公里，距边境口岸{n(p.port_km)}公里",
            ),
        ),
        FactorValue(
            "indicators",
            indicators,
            show(indicators, f"亩均税收{n(p.tax_per_mu_wan or 0)}万元，亩均产值{n(p.output_per_mu_wan or 0)}万元"),
        ),
    ]


# -- reads ------------------------------------------------------------------------------------------------------------
def project_nodes(project) -> list[ChainNode]:
    """The project's nodes on the current chains: its own placements, else its investor's (not rejected)."""
    own = ChainNode.objects.filter(project_links__project=project, chain__status="current").exclude(
        project_links__decision=Decision.REJECTED
    )
    nodes = list(own.distinct().order_by("chain__sort_order", "seq", "pk"))
    if not nodes and project.investor_id:
        nodes = list(
            ChainNode.objects.filter(enterprise_links__enterprise_id=project.investor_id, chain__status="current")
            .exclude(enterprise_links__decision=Decision.REJECTED)
            .distinct()
            .order_by("chain__sort_order", "seq", "pk")
        )
    return nodes


def needs_of(project, **overrides) -> Needs:
    nodes = project_nodes(project)
    needs = Needs(
        node_ids=[n.pk for n in nodes],
        node_keys=[n.key for n in nodes],
        node_names=[n.name for n in nodes],
        land_mu=_d(project.land_mu),
        investment_wan=_d(project.agreed_investment_wan) if project.agreed_investment_wan else None,
        tax_wan=_d(project.expected_annual_tax_wan),
    )
    for key, value in overrides.items():
        if value not in (None, ""):
            setattr(needs, key, value)
    return needs


def adjacent_nodes(node_ids: list[int]) -> set[int]:
    if not node_ids:
        return set()
    near = set(node_ids)
    near |= set(ChainNode.objects.filter(pk__in=node_ids).exclude(parent=None).values_list("parent_id", flat=True))
    near |= set(ChainNode.objects.filter(parent_id__in=node_ids).values_list("pk", flat=True))
    for target in ChainFlow.objects.filter(source_id__in=node_ids).values_list("target_id", flat=True):
        near.add(target)
    for source in ChainFlow.objects.filter(target_id__in=node_ids).values_list("source_id", flat=True):
        near.add(source)
    return near


def local_firms_by_park(node_ids: set[int], exclude_project: int | None = None) -> dict[int, int]:
    """Distinct investors with a counted project (签约 or later) in each park, on the nodes (their own placements or
    their projects'): one query."""
    if not node_ids:
        return {}
    from zhaoshang.projects.models import Project

    nodes = ", ".join(["%s"] * len(node_ids))
    stages = ", ".join(["%s"] * len(SIGNED_OR_LATER))
    p, el, pl = Project._meta.db_table, EnterpriseNodeLink._meta.db_table, ProjectNodeLink._meta.db_table
    sql = f"""
    SELECT p.park_id, COUNT(DISTINCT p.investor_id) FROM {p} p
     WHERE p.park_id IS NOT NULL AND p.merged_into_id IS NULL AND p.stage IN ({stages}) AND p.id <> %s
       AND (EXISTS (SELECT 1 FROM {el} el WHERE el.enterprise_id = p.investor_id AND el.node_id IN ({nodes})
                    AND el.decision = %s)
            OR EXISTS (SELECT 1 FROM {pl} pl WHERE pl.project_id = p.id AND pl.node_id IN ({nodes})
                       AND pl.decision = %s))
     GROUP BY p.park_id"""
    ids = sorted(node_ids)
    params = [*SIGNED_OR_LATER, exclude_project or 0, *ids, Decision.CONFIRMED, *ids, Decision.CONFIRMED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {park_id: int(count) for park_id, count in cursor.fetchall()}


@dataclass
class MatchResult:
    needs: Needs
    matches: list[ParkMatch]
    filtered: list[ParkFiltered]

    def payload(self) -> dict:
        return {
            "needs": self.needs.as_dict(),
            "weights": WEIGHTS,
            "parks": [m.as_dict(rank) for rank, m in enumerate(self.matches, start=1)],
            "filtered_out": [f.as_dict() for f in self.filtered],
        }


def park_matches(*, needs: Needs, project_id: int | None = None) -> MatchResult:
    """Every active park of the province, filtered and ranked for ``needs`` (parks are the province's offer to
    investors, as in the investor guide; the project itself is scoped by the caller)."""
    from zhaoshang.catalog.services import ThresholdTables
    from zhaoshang.regions.models import Park

    parks = list(Park.objects.filter(status="active").select_related("region").order_by("code"))
    profiles = {p.park_id: p for p in ParkProfile.objects.filter(park__in=parks)}
    tables = ThresholdTables.load()
    firms = local_firms_by_park(adjacent_nodes(needs.node_ids), exclude_project=project_id)
    passing, filtered = [], []
    for park in parks:
        profile = profiles.get(park.pk)
        reasons = hard_filter_reasons(profile, needs, tables.answer(park.code, ""))
        if reasons:
            filtered.append(ParkFiltered(park.pk, park.code, park.name, park.region.name, reasons))
            continue
        passing.append(
            ParkMatch(park.pk, park.code, park.name, park.region.name, factor_values(profile, firms.get(park.pk, 0)))
        )
    for index in range(len(WEIGHTS)):
        column = percentiles([m.factors[index].value for m in passing])
        for match, pct in zip(passing, column, strict=True):
            match.factors[index].percentile = pct
    for match in passing:
        match.score = sum(WEIGHTS[f.code] * f.percentile for f in match.factors)
    passing.sort(key=lambda m: (-round(m.score, 6), m.code))
    # parks that failed a real condition first; those with no profile to check last
    filtered.sort(key=lambda f: (f.park_id not in profiles, f.code))
    return MatchResult(needs, passing, filtered)
