"""Reads of 靶向寻商 beside the ranking itself: a candidate's fit across regions and chains, and the conversion report
(per region: candidates acted on, leads and projects that came of them)."""

from collections import defaultdict

from django.utils import timezone

from zhaoshang.chains import targeting
from zhaoshang.chains.choices import Decision, OutcomeStatus
from zhaoshang.chains.models import EnterpriseNodeLink, ProjectNodeLink, TargetOutcome
from zhaoshang.chains.selectors import SIGNED_OR_LATER, Area
from zhaoshang.chains.targeting_selectors import candidate_facts, region_grades


def candidate_regions(*, user, enterprise, chains, year: int, areas: list[Area]) -> list[dict]:
    """Every region (of ``areas``) and chain the enterprise fits: its score there, best first."""
    node_ids = set(
        EnterpriseNodeLink.objects.filter(enterprise=enterprise)
        .exclude(decision=Decision.REJECTED)
        .values_list("node_id", flat=True)
    ) | set(
        ProjectNodeLink.objects.filter(project__investor=enterprise, project__merged_into=None)
        .exclude(decision=Decision.REJECTED)
        .values_list("node_id", flat=True)
    )
    rows = []
    today = timezone.localdate()
    for chain in chains:
        chain_nodes = [n for n in chain.nodes.all() if n.pk in node_ids]
        if not chain_nodes:
            continue
        for area in areas:
            facts, _, _ = candidate_facts(node_ids=[n.pk for n in chain_nodes], area_path=area.path, today=today)
            f = facts.get(enterprise.pk)
            if f is None:
                continue
            f.node_ids = tuple(sorted(set(f.node_ids)))
            grades, _ = region_grades(chain=chain, area=area, year=year)
            weights = targeting.weights_for(chain.targeting_weights)
            c = targeting.score(f, grades=grades, weights=weights, today=today)
            rows.append({"chain": chain, "area": area, "candidate": c})
    rows.sort(key=lambda r: (-r["candidate"].score, r["area"].code, r["chain"].sort_order))
    return rows


def conversion_report(*, user) -> list[dict]:
    """Per region: candidates acted on, by latest outcome, and how many became leads and projects (签约 or later)."""
    from zhaoshang.regions.models import Region

    latest: dict[tuple[int, int], TargetOutcome] = {}
    leads: dict[int, set[int]] = defaultdict(set)
    signed: dict[int, set[int]] = defaultdict(set)
    for o in TargetOutcome.objects.for_user(user).select_related("project").order_by("created_at", "id"):
        latest[(o.region_id, o.enterprise_id)] = o
        if o.project_id:
            leads[o.region_id].add(o.project_id)
            if o.project.stage in SIGNED_OR_LATER:
                signed[o.region_id].add(o.project_id)
    by_region: dict[int, dict] = {}
    names = dict(Region.objects.filter(pk__in={k[0] for k in latest}).values_list("pk", "name"))
    codes = dict(Region.objects.filter(pk__in={k[0] for k in latest}).values_list("pk", "code"))
    for (region_id, _), o in latest.items():
        row = by_region.setdefault(
            region_id,
            {"region": names[region_id], "code": codes[region_id], "candidates": 0}
            | {s: 0 for s in OutcomeStatus.values},
        )
        row["candidates"] += 1
        row[o.status] += 1
    for region_id, row in by_region.items():
        row["leads"] = len(leads[region_id])
        row["projects"] = len(signed[region_id])
        row["lead_rate"] = round(row["leads"] / row["candidates"] * 100, 1) if row["candidates"] else 0
    return sorted(by_region.values(), key=lambda r: r["code"])
