"""How raw values become points: pure functions on Decimals (no database), and the score of each child.

- 目标完成率: completion = raw ÷ the quarter's 序时 target (annual target × quarter ÷ 4) × 100, capped at the item's
  ``cap_pct``; points = weight × capped completion ÷ 100. No target: 0 points, noted.
- 排名: rank among the siblings by raw value (highest first, equal values share a rank); the first gets the weight,
  the last ``rank_floor_pct`` % of it, linear in between; one sibling alone gets the weight.
- 阈值: the points of the highest threshold the raw value reaches (``[[lower bound, points], …]``), else 0.
- 按个数计分: raw × points per unit.
Base items never give more than their weight; a bonus or penalty item never more than its own cap, and all bonus
(penalty) items together never more than the scheme's bonus (penalty) cap. Score = base + bonus − penalty, to 0.01.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def completion_points(raw, target, weight: Decimal, cap_pct: Decimal) -> tuple[Decimal, Decimal | None]:
    """(points, completion % before the cap) against a target; no target or no figure gives (0, None)."""
    if raw is None or not target:
        return Decimal(0), None
    completion = Decimal(raw) / Decimal(target) * HUNDRED
    capped = max(Decimal(0), min(completion, cap_pct))
    return weight * capped / HUNDRED, completion


def competition_ranks(values: dict[str, Decimal | None]) -> dict[str, int]:
    """1, 2, 2, 4…: highest first, equal values share a rank; no figure ranks after every figure."""
    ordered = sorted(values.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0), kv[0]))
    ranks, previous, rank = {}, object(), 0
    for position, (code, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        ranks[code] = rank
    return ranks


def rank_points(rank: int, count: int, weight: Decimal, floor_pct: Decimal) -> Decimal:
    if count <= 1:
        return weight
    floor = weight * floor_pct / HUNDRED
    return weight - (weight - floor) * Decimal(rank - 1) / Decimal(count - 1)


def threshold_points(raw, table) -> Decimal:
    """The points of the highest bound ``raw`` reaches in ``[[bound, points], …]`` (any order)."""
    if raw is None:
        return Decimal(0)
    reached = [Decimal(str(points)) for bound, points in table if Decimal(raw) >= Decimal(str(bound))]
    return max(reached, default=Decimal(0))


@dataclass
class ItemScore:
    source: str
    name: str
    kind: str
    method: str
    weight: Decimal
    unit: str
    raw: Decimal | None
    target: Decimal | None  # the quarter's 序时 target (completion items)
    annual_target: Decimal | None
    completion_pct: Decimal | None
    rank: int | None
    points: Decimal
    note: str = ""

    def as_json(self) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "source": self.source,
            "name": self.name,
            "kind": self.kind,
            "method": self.method,
            "weight": text(self.weight),
            "unit": self.unit,
            "raw": text(self.raw),
            "target": text(self.target),
            "annual_target": text(self.annual_target),
            "completion_pct": text(self.completion_pct),
            "rank": self.rank,
            "points": text(self.points),
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ItemScore":
        def number(key):
            return None if data.get(key) is None else Decimal(data[key])

        return cls(
            source=data["source"],
            name=data["name"],
            kind=data["kind"],
            method=data["method"],
            weight=number("weight"),
            unit=data["unit"],
            raw=number("raw"),
            target=number("target"),
            annual_target=number("annual_target"),
            completion_pct=number("completion_pct"),
            rank=data.get("rank"),
            points=number("points"),
            note=data.get("note", ""),
        )


@dataclass
class RegionScore:
    code: str
    name: str
    score: Decimal
    items: list[ItemScore] = field(default_factory=list)
    rank: int = 0
    last_year: Decimal | None = None  # the same quarter last year (year-on-year), where known

    @property
    def change(self) -> Decimal | None:
        return None if self.last_year is None else self.score - self.last_year


def score_items(items: list[ItemScore], *, bonus_cap: Decimal, penalty_cap: Decimal) -> Decimal:
    base = sum((i.points for i in items if i.kind == "base"), Decimal(0))
    bonus = min(sum((i.points for i in items if i.kind == "bonus"), Decimal(0)), bonus_cap)
    penalty = min(sum((i.points for i in items if i.kind == "penalty"), Decimal(0)), penalty_cap)
    return q2(base + bonus - penalty)


def rank_scores(rows: list[RegionScore]) -> list[RegionScore]:
    """Highest score first; equal scores share a rank, listed by region code."""
    rows.sort(key=lambda r: (-r.score, r.code))
    ranks = competition_ranks({r.code: r.score for r in rows})
    for row in rows:
        row.rank = ranks[row.code]
    return rows
