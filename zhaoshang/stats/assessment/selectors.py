"""Reads of the assessment: the scheme in force, a quarter's scores of a node's children (published: the stored
snapshot; not yet published: computed live from the sources, a preview), and the year-on-year comparison."""

from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.regions.models import Region
from zhaoshang.stats.assessment.models import (
    AssessmentItem,
    AssessmentPublication,
    AssessmentScheme,
    ItemKind,
    Method,
    SchemeState,
)
from zhaoshang.stats.assessment.scoring import (
    ItemScore,
    RegionScore,
    competition_ranks,
    completion_points,
    q2,
    rank_points,
    rank_scores,
    score_items,
    threshold_points,
)
from zhaoshang.stats.assessment.sources import SOURCES
from zhaoshang.stats.rankings import children_of

QUARTERS = (1, 2, 3, 4)


def scheme_in_force(year: int) -> AssessmentScheme | None:
    """The year's latest published version; without one, None (a draft scores nothing until it is published)."""
    return AssessmentScheme.objects.filter(year=year, state=SchemeState.PUBLISHED).order_by("-version").first()


def latest_scheme(year: int) -> AssessmentScheme | None:
    """The year's latest version, draft or published: what the scheme page edits."""
    return AssessmentScheme.objects.filter(year=year).order_by("-version").first()


def _item_score(item: AssessmentItem, value, ranks: dict, count: int, quarter: int) -> ItemScore:
    source = SOURCES.get(item.source)
    raw = None if value is None else value.raw
    annual = None if value is None else value.target
    target = None if annual is None else annual * Decimal(quarter) / Decimal(4)
    completion, rank, note = None, None, ""
    if source is None:
        points, note = Decimal(0), "指标来源未接入"
    elif item.method == Method.COMPLETION:
        points, completion = completion_points(raw, target, item.weight, item.cap_pct)
        note = "" if target else "未设目标"
    elif item.method == Method.RANK:
        rank = ranks.get(item.source)
        points = rank_points(rank, count, item.weight, item.rank_floor_pct) if raw is not None else Decimal(0)
    elif item.method == Method.THRESHOLD:
        points = threshold_points(raw, item.thresholds)
    else:
        points = (raw or Decimal(0)) * item.unit_points
    if raw is None and source is not None and not note:
        note = "无数据"
    limit = item.weight if item.kind == ItemKind.BASE else item.cap
    if limit is not None:
        points = min(points, limit)
    return ItemScore(
        source=item.source,
        name=item.name,
        kind=item.kind,
        method=item.method,
        weight=item.weight,
        unit=source.unit if source else "",
        raw=raw,
        target=None if target is None else q2(target),
        annual_target=None if annual is None else q2(annual),
        completion_pct=None if completion is None else completion.quantize(Decimal("0.1")),
        rank=rank,
        points=q2(max(points, Decimal(0))),
        note=note,
    )


def compute_scores(node: Region, year: int, quarter: int, scheme: AssessmentScheme) -> list[RegionScore]:
    """Every child's score under ``scheme`` from the sources, cumulative from January 1 to the quarter's end."""
    children = list(children_of(node))
    items = list(scheme.items.all())
    values = {}
    for code in {i.source for i in items}:
        source = SOURCES.get(code)
        values[code] = source.values(node, year, quarter) if source else {}
    ranks = {
        code: competition_ranks({c.code: (v[c.code].raw if c.code in v else None) for c in children})
        for code, v in values.items()
    }
    rows = []
    for child in children:
        child_ranks = {code: r.get(child.code) for code, r in ranks.items()}
        scored = [
            _item_score(item, values[item.source].get(child.code), child_ranks, len(children), quarter)
            for item in items
        ]
        score = score_items(scored, bonus_cap=scheme.bonus_cap, penalty_cap=scheme.penalty_cap)
        rows.append(RegionScore(code=child.code, name=child.name, score=score, items=scored))
    return rank_scores(rows)


@dataclass
class Assessment:
    node: Region
    year: int
    quarter: int
    state: str  # "published" or "preview"
    scheme_version: int | None
    scheme_title: str
    rows: list[RegionScore]
    publication: AssessmentPublication | None = None

    @property
    def items(self) -> list[str]:
        return [i.name for i in self.rows[0].items] if self.rows else []


def published(node: Region, year: int, quarter: int) -> AssessmentPublication | None:
    return AssessmentPublication.objects.filter(region=node, year=year, quarter=quarter).first()


def _from_publication(publication: AssessmentPublication) -> list[RegionScore]:
    rows = [
        RegionScore(
            code=s.region.code,
            name=s.region.name,
            score=s.score,
            rank=s.rank,
            items=[ItemScore.from_json(item) for item in s.breakdown],
        )
        for s in publication.scores.select_related("region")
    ]
    rows.sort(key=lambda r: (r.rank, r.code))
    return rows


def assessment(node: Region, year: int, quarter: int, *, with_last_year: bool = True) -> Assessment:
    """A node's children for one quarter: the published snapshot where there is one, else a live preview under the
    scheme in force (no scheme: no rows). Year-on-year: the same quarter last year, published or computed with
    last year's scheme in force."""
    publication = published(node, year, quarter)
    if publication is not None:
        result = Assessment(
            node=node,
            year=year,
            quarter=quarter,
            state="published",
            scheme_version=publication.scheme_version,
            scheme_title=publication.scheme.title,
            rows=_from_publication(publication),
            publication=publication,
        )
    else:
        scheme = scheme_in_force(year)
        result = Assessment(
            node=node,
            year=year,
            quarter=quarter,
            state="preview",
            scheme_version=scheme.version if scheme else None,
            scheme_title=scheme.title if scheme else "",
            rows=compute_scores(node, year, quarter, scheme) if scheme else [],
        )
    if with_last_year and result.rows:
        before = assessment(node, year - 1, quarter, with_last_year=False)
        last = {row.code: row.score for row in before.rows}
        for row in result.rows:
            row.last_year = last.get(row.code)
    return result


def assessment_for(node: Region, year: int, quarter: int) -> Assessment:
    """What a user whose page is ``node`` sees: the node's children; a county (no children) its own row of its
    prefecture's assessment (its rank among its siblings, no sibling's row)."""
    if node.level < 3:
        return assessment(node, year, quarter)
    result = assessment(node.parent, year, quarter)
    result.rows = [row for row in result.rows if row.code == node.code]
    return result
