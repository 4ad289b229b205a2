"""Reads of the chains app: chain trees, the inputs of a diagnosis (one query for the region, one — cached — for the
base), the drill-down of one node. Regions come in as ``Area``: a region or a park, looked up in the user's scope by
the views."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import connection

from zhaoshang.chains import presence
from zhaoshang.chains.choices import ChainStatus, Decision
from zhaoshang.chains.diagnosis import Diagnosis, NodeFigures, NodeInfo, PlacedProject, Thresholds, diagnose, rollup
from zhaoshang.chains.models import ChainFlow, ChainNode, EnterpriseNodeLink, IndustryChain, ProjectNodeLink
from zhaoshang.chains.placement import NodeSpec, node_words
from zhaoshang.chains.reference import default_thresholds
from zhaoshang.chains.sql import placeholders, table_names
from zhaoshang.core.formatting import wan_exact

PROVINCE_PATH = "530000"
SIGNED_OR_LATER = ("signed", "registered", "under_construction", "in_production")
PIPELINE = ("lead", "negotiating")
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Area:
    """The region of a diagnosis: the province, a prefecture, a county or a park."""

    code: str
    name: str
    path: str
    kind: str  # province | prefecture | county | park

    @property
    def is_province(self) -> bool:
        return self.path == PROVINCE_PATH

    @property
    def base_label(self) -> str:
        return "全国（企业库）" if self.is_province else "全省"


def area_of(obj) -> Area:
    from zhaoshang.regions.models import Park

    if isinstance(obj, Park):
        return Area(obj.code, obj.name, obj.path, "park")
    kind = {1: "province", 2: "prefecture", 3: "county"}[obj.level]
    return Area(obj.code, obj.name, obj.path, kind)


def area_lookup(user, code: str) -> Area | None:
    """The region or park ``code`` if the user's scope holds it (scope only: any bureau user may diagnose their own
    jurisdiction), else None (the caller answers 404)."""
    from zhaoshang.regions.models import Park, Region

    # ``get`` on the scoped rows notes a miss, so that an attempt on a region elsewhere is audited (core.refusals).
    for model in (Region, Park):
        try:
            return area_of(model.objects.for_user(user, action=None).get(code=code))
        except model.DoesNotExist:
            continue
    return None


def user_home_area(user) -> Area | None:
    """The user's own region (a park committee's park), the default of every chain page."""
    from zhaoshang.regions.models import Park, Region

    path = getattr(user, "scope_path", None)
    if not path:
        return None
    region = Region.objects.filter(path=path).first()
    if region is not None:
        return area_of(region)
    park = Park.objects.filter(path=path).first()
    return area_of(park) if park is not None else None


def areas_for_user(user) -> list[Area]:
    """Regions and parks a user may pick (their scope): for the region selects of the chain pages."""
    from zhaoshang.regions.models import Park, Region

    areas = [area_of(r) for r in Region.objects.for_user(user, action=None).order_by("path")]
    areas += [area_of(p) for p in Park.objects.for_user(user, action=None).active().order_by("path")]
    return areas


# -- chains --------------------------------------------------------------------------------------------------------
def chain_list(*, include_drafts: bool = False):
    rows = IndustryChain.objects.select_related("key_industry", "approved_by")
    statuses = [ChainStatus.CURRENT, ChainStatus.DRAFT] if include_drafts else [ChainStatus.CURRENT]
    return rows.filter(status__in=statuses).order_by("sort_order", "code", "-version")


def chain_nodes(chain: IndustryChain) -> list[ChainNode]:
    """The nodes in tree order (depth first, siblings by ``seq``), each with ``tree_depth``: one recursive query."""
    return list(
        ChainNode.objects.with_tree_fields()
        .tree_filter(chain=chain)
        .order_siblings_by("seq", "id")
        .order_by("tree_ordering")
    )


def node_infos(nodes: list[ChainNode]) -> list[NodeInfo]:
    parents = {n.parent_id for n in nodes if n.parent_id}
    return [
        NodeInfo(
            id=n.pk,
            key=n.key,
            name=n.name,
            parent_id=n.parent_id,
            level=n.level,
            position=n.position,
            value_tier=n.value_tier,
            is_key_link=n.is_key_link,
            has_children=n.pk in parents,
        )
        for n in nodes
    ]


def closure(nodes: list[ChainNode]) -> list[tuple[int, int]]:
    """(node, ancestor-or-self) pairs: a placement on a node counts for the node and every node above it."""
    parent = {n.pk: n.parent_id for n in nodes}
    pairs = []
    for node in nodes:
        current = node.pk
        while current is not None:
            pairs.append((node.pk, current))
            current = parent.get(current)
    return pairs


def chain_flows(chain: IndustryChain) -> list[tuple[int, int]]:
    return list(ChainFlow.objects.filter(chain=chain).values_list("source_id", "target_id"))


def node_specs(chains=None) -> list[NodeSpec]:
    """What the placement matcher needs of the nodes of ``chains`` (None: every current version)."""
    from zhaoshang.catalog.reading import normalize

    rows = (
        IndustryChain.objects.current()
        if chains is None
        else IndustryChain.objects.filter(pk__in=[c.pk for c in chains])
    )
    industries = dict(rows.values_list("pk", "key_industry__code"))
    nodes = list(ChainNode.objects.filter(chain_id__in=industries).order_by("chain_id", "level", "seq", "id"))
    parent = {n.pk: n.parent_id for n in nodes}
    specs = []
    for node in nodes:
        ancestors, current = [], node.parent_id
        while current is not None:
            ancestors.append(current)
            current = parent.get(current)
        specs.append(
            NodeSpec(
                id=node.pk,
                chain_id=node.chain_id,
                name=node.name,
                level=node.level,
                position=node.position,
                ancestors=tuple(ancestors),
                words=node_words(node.keyword_list, node.level),
                excludes=tuple(normalize(w) for w in node.exclude_list),
                gbt=tuple(node.gbt_list),
                chain_industry=industries[node.chain_id] or "",
            )
        )
    return specs


def thresholds_of(chain: IndustryChain) -> Thresholds:
    return Thresholds.from_dict(default_thresholds() | (chain.thresholds or {}))


# -- the diagnosis aggregates ----------------------------------------------------------------------------------------
def _closure_cte(pairs: list[tuple[int, int]]) -> tuple[str, list]:
    values = ", ".join(["(%s, %s)"] * len(pairs))
    return f"closure(node_id, anc_id) AS (VALUES {values})", [v for pair in pairs for v in pair]


PAIR_COLUMNS = "node_id, project_id, investor_id, present, stock, signed, pipeline, funds, leader"
ZERO = Decimal(0)


def _path_condition(path: str) -> tuple[str, list]:
    """Counted projects at or below ``path``. Every project lies in the province, so the province needs no test of
    its path (a full scan of the projects is then cheaper without comparing every path)."""
    if path == PROVINCE_PATH:
        return "p.merged_into_id IS NULL", []
    return "p.merged_into_id IS NULL AND (p.path = %s OR p.path LIKE %s)", [path, path + "/%"]


def _pairs_cte(node_ids: list[int], path: str, year: int) -> tuple[str, list]:
    """One row per (node, counted project in ``path``) on the nodes — through the investor's confirmed placements and
    through the project's own — with what the aggregates need of the project for ``year``, computed once: present (at
    签约 or later, first signed by the year's end), its money if present, its money if first signed in the year, in
    negotiation, its counted ledger entries of the year (a project never signed has none). A project on a node both
    ways comes twice; ``diagnosis.rollup`` counts it once.
    ``leader``: placed as 链主 (the automatic placement places an enterprise flagged 链主 so on all its nodes), or the
    project is flagged 链主, or — for a project placed by its own words — its investor is."""
    t = table_names()
    nodes = placeholders(node_ids)
    where, params_where = _path_condition(path)
    start, end = date(year, 1, 1), date(year, 12, 31)
    present = f"(p.stage IN ({placeholders(SIGNED_OR_LATER)}) AND p.first_signed_on <= %s)"
    # Money in 分 (exact integers: cheap to read and to sum; ``diagnosis.rollup`` turns them back into 万元).
    columns = f"""p.id, p.investor_id,
               CASE WHEN {present} THEN 1 ELSE 0 END,
               CASE WHEN {present} THEN CAST(ROUND(p.agreed_investment_wan * 100) AS BIGINT) ELSE 0 END,
               CASE WHEN p.first_signed_on >= %s AND p.first_signed_on <= %s
                    THEN CAST(ROUND(p.agreed_investment_wan * 100) AS BIGINT) ELSE 0 END,
               CASE WHEN p.stage IN (%s, %s) THEN 1 ELSE 0 END,
               CASE WHEN p.first_signed_on IS NULL THEN 0 ELSE CAST(ROUND(COALESCE(
                 (SELECT SUM(f.amount_wan) FROM {t["funding"]} f
                   WHERE f.project_id = p.id AND f.month >= %s AND f.month <= %s
                     AND (f.reverses_id IS NULL OR EXISTS (SELECT 1 FROM {t["approval"]} a
                                                            WHERE a.entry_id = f.id AND a.decision = 'approved'))),
                 0) * 100) AS BIGINT) END"""
    column_params = [*SIGNED_OR_LATER, end, *SIGNED_OR_LATER, end, start, end, *PIPELINE, start, end]
    sql = f"""pairs({PAIR_COLUMNS}) AS (
        SELECT el.node_id, {columns},
               CASE WHEN el.role = 'chain_leader' OR p.is_chain_leader THEN 1 ELSE 0 END
          FROM {t["elink"]} el JOIN {t["project"]} p ON p.investor_id = el.enterprise_id
         WHERE el.node_id IN ({nodes}) AND el.decision = %s AND {where}
        UNION ALL
        SELECT pl.node_id, {columns},
               CASE WHEN pl.role = 'chain_leader' OR p.is_chain_leader OR e.is_chain_leader THEN 1 ELSE 0 END
          FROM {t["plink"]} pl JOIN {t["project"]} p ON p.id = pl.project_id
          JOIN {t["enterprise"]} e ON e.id = p.investor_id
         WHERE pl.node_id IN ({nodes}) AND pl.decision = %s AND {where})"""
    branch = [*column_params, *node_ids, Decision.CONFIRMED, *params_where]
    return sql, [*branch, *branch]


def _decimal(value) -> Decimal:
    """A sum as an exact amount in 万元 (SQLite sums decimals through floats)."""
    return wan_exact(value or 0)


def region_figures(
    *, nodes: list[ChainNode], area_path: str, year: int, kept: bool = False
) -> tuple[dict[int, NodeFigures], int]:
    """For every node, the sums over the region's enterprises on it or below it (``diagnosis.NodeFigures``), and
    n(R, chain): one query returns the region's (node, project) placements with what the figures need of each
    project, and ``diagnosis.rollup`` counts each project once per node and sums per enterprise. ``kept``: read
    them from the presence table (``presence.region_rows``; an approved version's), not from the placements and
    the projects (a draft's, whose nodes the table does not follow)."""
    if not nodes:
        return {}, 0
    parent = {n.pk: n.parent_id for n in nodes}
    ancestors = {}
    for node in nodes:
        chain, current = [], node.parent_id
        while current is not None:
            chain.append(current)
            current = parent.get(current)
        ancestors[node.pk] = tuple(chain)
    if kept:
        raw = presence.region_rows(node_ids=[n.pk for n in nodes], path=area_path, year=year)
    else:
        pairs_sql, pairs_params = _pairs_cte([n.pk for n in nodes], area_path, year)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {pairs_sql} SELECT {PAIR_COLUMNS} FROM pairs", pairs_params)
            raw = cursor.fetchall()
    return rollup([PlacedProject._make(row) for row in raw], ancestors)


def _exact(value) -> Decimal:
    return (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value))
        if isinstance(value, float)
        else Decimal(value or 0)
    )


def _presence_pairs_cte(node_ids: list[int], path: str, present_by: date) -> tuple[str, list]:
    """(node, investor) of the investors present in ``path`` on the nodes: a confirmed placement of an investor
    with a project there at 签约 or later, or a project there placed by its own words (the base counts need no more)."""
    t = table_names()
    nodes, stages = placeholders(node_ids), placeholders(SIGNED_OR_LATER)
    where, params_where = _path_condition(path)
    where += f" AND p.stage IN ({stages}) AND p.first_signed_on <= %s"
    params_where += [*SIGNED_OR_LATER, present_by]
    # A scalar subquery with LIMIT 1 (not EXISTS): PostgreSQL then probes the investor index once a placement instead
    # of scanning every project of the province for a semi-join (37 ms instead of 91 ms at 200,000 projects).
    sql = f"""pairs(node_id, investor_id) AS (
        SELECT el.node_id, el.enterprise_id FROM {t["elink"]} el
         WHERE el.node_id IN ({nodes}) AND el.decision = %s
           AND (SELECT 1 FROM {t["project"]} p WHERE p.investor_id = el.enterprise_id AND {where} LIMIT 1) = 1
        UNION
        SELECT pl.node_id, p.investor_id FROM {t["plink"]} pl JOIN {t["project"]} p ON p.id = pl.project_id
         WHERE pl.node_id IN ({nodes}) AND pl.decision = %s AND {where})"""
    return sql, [*node_ids, Decision.CONFIRMED, *params_where, *node_ids, Decision.CONFIRMED, *params_where]


def province_counts(*, nodes: list[ChainNode], year: int) -> tuple[dict[int, int], int]:
    """n(province, N) for every node and n(province, chain): distinct investors present in Yunnan (one query)."""
    if not nodes:
        return {}, 0
    pairs_sql, pairs_params = _presence_pairs_cte([n.pk for n in nodes], PROVINCE_PATH, date(year, 12, 31))
    closure_sql, closure_params = _closure_cte(closure(nodes))
    sql = f"""
    WITH {closure_sql}, {pairs_sql}
    SELECT c.anc_id, COUNT(DISTINCT pairs.investor_id)
      FROM pairs JOIN closure c ON c.node_id = pairs.node_id
     GROUP BY c.anc_id
    UNION ALL
    SELECT NULL, COUNT(DISTINCT pairs.investor_id) FROM pairs"""
    return _counts(sql, [*closure_params, *pairs_params])


def nation_counts(*, nodes: list[ChainNode], year: int) -> tuple[dict[int, int], int]:
    """n(nation, N) and n(nation, chain): the enterprise library's confirmed placements, and the investors present
    in Yunnan through their projects' own placements (one query)."""
    if not nodes:
        return {}, 0
    t = table_names()
    node_ids = [n.pk for n in nodes]
    pairs_sql, pairs_params = _presence_pairs_cte(node_ids, PROVINCE_PATH, date(year, 12, 31))
    closure_sql, closure_params = _closure_cte(closure(nodes))
    sql = f"""
    WITH {closure_sql}, {pairs_sql},
    placed(node_id, enterprise_id) AS (
        SELECT el.node_id, el.enterprise_id FROM {t["elink"]} el
         WHERE el.node_id IN ({placeholders(node_ids)}) AND el.decision = %s
        UNION
        SELECT pairs.node_id, pairs.investor_id FROM pairs)
    SELECT c.anc_id, COUNT(DISTINCT placed.enterprise_id)
      FROM placed JOIN closure c ON c.node_id = placed.node_id GROUP BY c.anc_id
    UNION ALL
    SELECT NULL, COUNT(DISTINCT placed.enterprise_id) FROM placed"""
    return _counts(sql, [*closure_params, *pairs_params, *node_ids, Decision.CONFIRMED])


def _counts(sql: str, params: list) -> tuple[dict[int, int], int]:
    counts, total = {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for node_id, count in cursor.fetchall():
            if node_id is None:
                total = int(count or 0)
            else:
                counts[node_id] = int(count or 0)
    return counts, total


def data_version() -> str:
    """The version of all the data (enterprises, tags, signals, activities, projects, placements): every write of
    business data appends an audit row, so the newest audit row that records a write is it. Rows that record no
    change of data — signing in and out, exports, downloads, refusals — are passed over, so that a sign-in or an
    export does not make every process rank its candidates again. (The newest rows come first on the primary key:
    the scan stops at the first write.)"""
    from zhaoshang.core.choices import Action
    from zhaoshang.core.models import AuditLog

    no_change = [
        Action.LOGIN,
        Action.LOGOUT,
        Action.LOGIN_FAILED,
        Action.LOCKOUT,
        Action.EXPORT,
        Action.ATTACHMENT_DOWNLOAD,
        *Action.REFUSALS,
    ]
    # the row's MAC with its id: an id handed out again after a rolled-back write names a different row
    latest = AuditLog.objects.exclude(action__in=no_change).order_by("-id").values_list("id", "hash").first()
    return f"{latest[0]}:{latest[1]}" if latest else ""


def base_counts(*, chain: IndustryChain, nodes: list[ChainNode], area: Area, year: int) -> tuple[dict[int, int], int]:
    """The base of the area (the nation for the province, else the province): the same for every region, so
    cached. The counts read projects (investor, stage, first signing, merge) and confirmed placements only; every
    write of those moves the figures' version (the project services; the placement services of this app), so the
    key is that version, not the audit head: signing in, an export, an enterprise edit, a signal or an outcome
    leave the cache. A draft's nodes change without a version move, so a draft is counted afresh."""
    from zhaoshang.projects.services.rollup import figures_version

    kind = "nation" if area.is_province else "province"
    compute = nation_counts if area.is_province else province_counts
    if chain.status == ChainStatus.DRAFT:
        return compute(nodes=nodes, year=year)
    if not area.is_province:  # an approved version: the presence table counts them (a few thousand rows)

        def compute(*, nodes, year):
            ids, roots = [n.pk for n in nodes], [n.pk for n in nodes if n.parent_id is None]
            return presence.province_counts(node_ids=ids, root_ids=roots, year=year) if ids else ({}, 0)

    key = f"chains:base:v3:{kind}:{chain.pk}:{year}:{figures_version()}"
    return cache.get_or_set(key, lambda: compute(nodes=nodes, year=year), timeout=CACHE_SECONDS)


@dataclass
class ChainDiagnosis:
    """A diagnosis with what it was computed on."""

    chain: IndustryChain
    area: Area
    year: int
    nodes: list[ChainNode]
    flows: list[tuple[int, int]]
    result: Diagnosis


def chain_structure(chain: IndustryChain) -> tuple[list[ChainNode], list[tuple[int, int]]]:
    """The nodes (tree order) and flows of a version. An approved version never changes, so they are cached by its
    id and last change; a draft is read afresh."""

    def compute():
        return chain_nodes(chain), chain_flows(chain)

    if chain.status == ChainStatus.DRAFT:
        return compute()
    key = f"chains:structure:v1:{chain.pk}:{chain.updated_at.timestamp()}"
    return cache.get_or_set(key, compute, timeout=CACHE_SECONDS)


def diagnosis_for(*, chain: IndustryChain, area: Area, year: int) -> ChainDiagnosis:
    nodes, flows = chain_structure(chain)
    kept = chain.status != ChainStatus.DRAFT
    figures, region_total = region_figures(nodes=nodes, area_path=area.path, year=year, kept=kept)
    counts, total = base_counts(chain=chain, nodes=nodes, area=area, year=year)
    result = diagnose(
        nodes=node_infos(nodes),
        figures=figures,
        region_total=region_total,
        base_counts=counts,
        base_total=total,
        base_label=area.base_label,
        flows=flows,
        thresholds=thresholds_of(chain),
    )
    return ChainDiagnosis(chain=chain, area=area, year=year, nodes=nodes, flows=flows, result=result)


def diagnosis_payload(d: ChainDiagnosis) -> dict:
    """The diagnosis as plain data: the API, the command and the page's JSON print the same."""
    r = d.result
    return {
        "chain": {"id": d.chain.pk, "code": d.chain.code, "name": d.chain.name, "version": d.chain.version},
        "region": {"code": d.area.code, "name": d.area.name, "kind": d.area.kind},
        "year": d.year,
        "base": r.base_label,
        "region_enterprises": r.region_enterprises,
        "base_enterprises": r.base_enterprises,
        "thresholds": r.thresholds.as_dict(),
        "nodes": [n.as_dict() for n in r.nodes],
        "gaps": [n.node.id for n in r.gaps()],
    }


# -- one node's drill-down -------------------------------------------------------------------------------------------
@dataclass
class NodeDrilldown:
    """Who is behind a node's figures: the region's projects (scoped to the user), the enterprises present
    elsewhere in the province (names and counts only: reference figures), and the enterprises of the library placed
    on the node that are not in Yunnan."""

    projects: list
    local_enterprises: list
    province_enterprises: list
    nation_links: list


def _subtree(nodes: list[ChainNode], node: ChainNode) -> list[int]:
    children = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n.pk)
    found, frontier = [node.pk], [node.pk]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, [])]
        found += frontier
    return found


def node_drilldown(*, user, nodes: list[ChainNode], node: ChainNode, area: Area, year: int, limit: int = 100):
    from django.db.models import Count, Exists, OuterRef, Q

    from zhaoshang.core.scope import path_q
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project

    subtree = _subtree(nodes, node)
    on_node = Q(
        Exists(
            EnterpriseNodeLink.objects.filter(
                enterprise_id=OuterRef("investor_id"), node_id__in=subtree, decision=Decision.CONFIRMED
            )
        )
    ) | Q(
        Exists(
            ProjectNodeLink.objects.filter(project_id=OuterRef("pk"), node_id__in=subtree, decision=Decision.CONFIRMED)
        )
    )
    end = date(year, 12, 31)
    counted = Project.objects.counted().filter(on_node)
    local = (
        counted.for_user(user)
        .filter(path_q("path", area.path))
        .select_related("investor", "county", "park")
        .order_by("-agreed_investment_wan", "pk")
    )
    projects = list(local[:limit])
    own = set(
        ProjectNodeLink.objects.filter(
            project__in=[p.pk for p in projects], node_id__in=subtree, decision=Decision.CONFIRMED
        ).values_list("project_id", flat=True)
    )
    for project in projects:
        project.placed_by_own_words = project.pk in own
        project.present = (
            project.stage in SIGNED_OR_LATER and project.first_signed_on and project.first_signed_on <= end
        )
    present_local = {p.investor_id for p in projects if p.present}
    # Present in the province outside the area: enterprise names and project counts (province-wide reference).
    elsewhere = (
        counted.filter(stage__in=SIGNED_OR_LATER, first_signed_on__lte=end)
        .filter(path_q("path", PROVINCE_PATH))
        .exclude(path_q("path", area.path))
        .values("investor_id")
        .annotate(projects=Count("pk"))
        .order_by("-projects", "investor_id")
    )
    elsewhere = [row for row in elsewhere[:limit] if row["investor_id"] not in present_local]
    names = Enterprise.objects.in_bulk([row["investor_id"] for row in elsewhere] + list(present_local))
    province_enterprises = [
        (names[row["investor_id"]], row["projects"]) for row in elsewhere if row["investor_id"] in names
    ]
    local_enterprises = [names[i] for i in sorted(present_local, key=lambda i: names[i].name) if i in names]
    in_province = counted.filter(stage__in=SIGNED_OR_LATER).filter(path_q("path", PROVINCE_PATH)).values("investor_id")
    nation = (
        EnterpriseNodeLink.objects.filter(node_id__in=subtree)
        .exclude(decision=Decision.REJECTED)
        .exclude(enterprise_id__in=in_province)
        .select_related("enterprise", "node")
        .order_by("decision", "-score", "enterprise__name")
    )
    return NodeDrilldown(
        projects=projects,
        local_enterprises=local_enterprises,
        province_enterprises=province_enterprises,
        nation_links=list(nation[:limit]),
    )
