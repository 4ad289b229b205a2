"""Keeping the presence tables (``presence_models.py``) equal to what the placements and the projects say, and the
two reads of the diagnosis that use them.

One rule for every write, as the ledger's roll-up has: the rows of the objects written are deleted and computed
again from the source tables, in the writer's transaction. ``presence_refresh(project_ids=…)`` after a project write
(the ``projects.hooks`` hook, through ``placement_run``), ``presence_refresh(node_ids=…)`` after a version's
placements are carried to a new version, ``presence_rebuild()`` after a bulk load or for a repair; the investors
whose rows the projects held before or hold now are counted again in ``InvestorPresence``. Reading a few rows per
project written is cheap; the diagnosis no longer joins every placement with every project.
"""

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from zhaoshang.chains.choices import Decision
from zhaoshang.chains.presence_models import InvestorPresence, NodePresence
from zhaoshang.chains.sql import placeholders, table_names
from zhaoshang.projects.services.rollup import figures_changed

SIGNED_OR_LATER = ("signed", "registered", "under_construction", "in_production")
PIPELINE = ("lead", "negotiating")
CHUNK = 500  # ids per statement: within SQLite's parameter limit
PROVINCE_PATH = "530000"


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# -- what the tables should hold ---------------------------------------------------------------------------------
def _presence_select(where_el: str = "", where_pl: str = "") -> str:
    """(node, counted project) through a confirmed placement of its investor or its own, one row each."""
    t = table_names()
    facts = (
        "p.id AS project_id, p.investor_id AS investor_id, p.path AS path, p.stage AS stage, "
        "p.first_signed_on AS first_signed_on, CAST(ROUND(p.agreed_investment_wan * 100) AS BIGINT) AS agreed_fen"
    )
    return f"""
        SELECT node_id, project_id, investor_id, path, stage, first_signed_on, agreed_fen, MAX(leader), MAX(own_link)
          FROM (SELECT el.node_id AS node_id, {facts},
                       CASE WHEN el.role = 'chain_leader' OR p.is_chain_leader THEN 1 ELSE 0 END AS leader,
                       0 AS own_link
                  FROM {t["elink"]} el JOIN {t["project"]} p ON p.investor_id = el.enterprise_id
                 WHERE el.decision = '{Decision.CONFIRMED}' AND p.merged_into_id IS NULL {where_el}
                UNION ALL
                SELECT pl.node_id, {facts},
                       CASE WHEN pl.role = 'chain_leader' OR p.is_chain_leader THEN 1 ELSE 0 END, 1
                  FROM {t["plink"]} pl JOIN {t["project"]} p ON p.id = pl.project_id
                 WHERE pl.decision = '{Decision.CONFIRMED}' AND p.merged_into_id IS NULL {where_pl}) AS placed
         GROUP BY node_id, project_id, investor_id, path, stage, first_signed_on, agreed_fen"""


def _investor_sql(where: str = "") -> str:
    """Insert (node or a node above it, investor, first signing among its present projects there). The CTE leads
    the statement: SQLite and PostgreSQL both take WITH … INSERT … SELECT."""
    t = table_names()
    signed = ", ".join(f"'{s}'" for s in SIGNED_OR_LATER)
    return f"""
        WITH RECURSIVE up(node_id, anc_id) AS (
            SELECT id, id FROM {t["node"]}
            UNION ALL
            SELECT up.node_id, n.parent_id FROM up JOIN {t["node"]} n ON n.id = up.anc_id WHERE n.parent_id IS NOT NULL)
        INSERT INTO {t["ipresence"]} ({INVESTOR_COLUMNS})
        SELECT up.anc_id, np.investor_id, MIN(np.first_signed_on)
          FROM {t["presence"]} np JOIN up ON up.node_id = np.node_id
         WHERE np.stage IN ({signed}) AND np.first_signed_on IS NOT NULL {where}
         GROUP BY up.anc_id, np.investor_id"""


PRESENCE_COLUMNS = "node_id, project_id, investor_id, path, stage, first_signed_on, agreed_fen, leader, own_link"
INVESTOR_COLUMNS = "node_id, investor_id, first_present_on"


def _insert_presence(cursor, where_el: str, where_pl: str, params: list) -> None:
    t = table_names()
    cursor.execute(
        f"INSERT INTO {t['presence']} ({PRESENCE_COLUMNS}) {_presence_select(where_el, where_pl)}", [*params, *params]
    )


def _insert_investors(cursor, where: str, params: list) -> None:
    cursor.execute(_investor_sql(where), params)


# -- keeping them ----------------------------------------------------------------------------------------------
@transaction.atomic
def presence_refresh(*, project_ids: Iterable[int] = (), node_ids: Iterable[int] = ()) -> None:
    """Compute again the rows of ``project_ids`` (a project written: its facts, its placements or its investor's)
    or of ``node_ids`` (placements carried to a version's nodes), and the investor counts they feed."""
    t = table_names()
    projects = sorted({int(pk) for pk in project_ids if pk})
    nodes = sorted({int(pk) for pk in node_ids if pk})
    with connection.cursor() as cursor:
        investors: set[int] = set()
        for chunk in _chunks(projects):
            marks = placeholders(chunk)
            cursor.execute(f"SELECT DISTINCT investor_id FROM {t['presence']} WHERE project_id IN ({marks})", chunk)
            investors.update(row[0] for row in cursor.fetchall())
            cursor.execute(f"SELECT DISTINCT investor_id FROM {t['project']} WHERE id IN ({marks})", chunk)
            investors.update(row[0] for row in cursor.fetchall() if row[0] is not None)
            cursor.execute(f"DELETE FROM {t['presence']} WHERE project_id IN ({marks})", chunk)
            _insert_presence(cursor, f"AND p.id IN ({marks})", f"AND p.id IN ({marks})", chunk)
        for chunk in _chunks(sorted(investors)):
            marks = placeholders(chunk)
            cursor.execute(f"DELETE FROM {t['ipresence']} WHERE investor_id IN ({marks})", chunk)
            _insert_investors(cursor, f"AND np.investor_id IN ({marks})", chunk)
        # A version's nodes: their tree is closed (a node's ancestors are of its chain), so their rows are theirs.
        for chunk in _chunks(nodes):
            marks = placeholders(chunk)
            cursor.execute(f"DELETE FROM {t['presence']} WHERE node_id IN ({marks})", chunk)
            _insert_presence(cursor, f"AND el.node_id IN ({marks})", f"AND pl.node_id IN ({marks})", chunk)
        if nodes:
            _refresh_investor_nodes(cursor, nodes)


def presence_after_placement(*, enterprises=None, projects=None, enterprise_links=(), project_links=()) -> None:
    """After placements were written: the given projects (a queryset) and the projects of the given enterprises
    (a queryset), or of the enterprises and projects of the given link ids; everything when neither queryset is
    given and no link is (``placement_run`` over all)."""
    from zhaoshang.chains.models import EnterpriseNodeLink, ProjectNodeLink
    from zhaoshang.projects.models import Project

    if enterprises is None and projects is None and not enterprise_links and not project_links:
        presence_rebuild()
        return
    ids = set(projects.values_list("pk", flat=True)) if projects is not None else set()
    ids |= set(ProjectNodeLink.objects.filter(pk__in=list(project_links)).values_list("project_id", flat=True))
    investors = set(enterprises.values_list("pk", flat=True)) if enterprises is not None else set()
    investors |= set(
        EnterpriseNodeLink.objects.filter(pk__in=list(enterprise_links)).values_list("enterprise_id", flat=True)
    )
    for chunk in _chunks(sorted(investors)):
        ids |= set(Project.objects.filter(investor_id__in=chunk).values_list("pk", flat=True))
    presence_refresh(project_ids=ids)


def _refresh_investor_nodes(cursor, nodes: list[int]) -> None:
    t = table_names()
    for chunk in _chunks(nodes):
        cursor.execute(f"DELETE FROM {t['ipresence']} WHERE node_id IN ({placeholders(chunk)})", chunk)
    for chunk in _chunks(nodes):
        _insert_investors(cursor, f"AND np.node_id IN ({placeholders(chunk)})", chunk)


def presence_fill() -> None:
    """Both tables emptied and filled from the placements and the projects (also the migration that adds them)."""
    t = table_names()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {t['ipresence']}")
        cursor.execute(f"DELETE FROM {t['presence']}")
        _insert_presence(cursor, "", "", [])
        _insert_investors(cursor, "", [])


@transaction.atomic
def presence_rebuild() -> tuple[int, int]:
    """Both tables from scratch (after a bulk load that bypassed the services, or a repair): (rows, investor rows)."""
    presence_fill()
    figures_changed()  # a repair can change the answer: the cached province counts go
    return NodePresence.objects.count(), InvestorPresence.objects.count()


def _presence_rows() -> set[tuple]:
    return set(NodePresence.objects.values_list(*PRESENCE_COLUMNS.split(", ")))


def _investor_rows() -> set[tuple]:
    return set(InvestorPresence.objects.values_list("node_id", "investor_id", "first_present_on"))


def presence_differences() -> list[str]:
    """Where the kept tables and a rebuild from the sources differ, in words (none: they agree). Computed in a
    transaction rolled back afterwards, so the kept tables stay as they were."""
    kept, investors = _presence_rows(), _investor_rows()
    with transaction.atomic():
        presence_rebuild()
        rebuilt, rebuilt_investors = _presence_rows(), _investor_rows()
        transaction.set_rollback(True)
    problems = [f"多出 {row}" for row in sorted(kept - rebuilt, key=str)]
    problems += [f"缺少 {row}" for row in sorted(rebuilt - kept, key=str)]
    problems += [f"企业计数多出 {row}" for row in sorted(investors - rebuilt_investors, key=str)]
    problems += [f"企业计数缺少 {row}" for row in sorted(rebuilt_investors - investors, key=str)]
    return problems


# -- the diagnosis's reads -------------------------------------------------------------------------------------------
def _region_sql(node_ids: list[int], path: str, year: int) -> tuple[str, list]:
    """The region's (node, project) rows in the shape of ``diagnosis.PlacedProject`` (see
    ``selectors._pairs_cte``, which computes the same from the placements and the projects)."""
    t = table_names()
    start, end = date(year, 1, 1), date(year, 12, 31)
    where, params_where = "", []
    if path != PROVINCE_PATH:
        # LIKE 'X%' ranges over the (node, path) index (pattern ops); the exact test keeps X and X/… only
        where = "AND np.path LIKE %s AND (np.path = %s OR np.path LIKE %s)"
        params_where = [path + "%", path, path + "/%"]
    present = f"(np.stage IN ({placeholders(SIGNED_OR_LATER)}) AND np.first_signed_on <= %s)"
    sql = f"""
        SELECT np.node_id, np.project_id, np.investor_id,
               CASE WHEN {present} THEN 1 ELSE 0 END,
               CASE WHEN {present} THEN np.agreed_fen ELSE 0 END,
               CASE WHEN np.first_signed_on >= %s AND np.first_signed_on <= %s THEN np.agreed_fen ELSE 0 END,
               CASE WHEN np.stage IN (%s, %s) THEN 1 ELSE 0 END,
               CASE WHEN np.first_signed_on IS NULL THEN 0 ELSE CAST(ROUND(COALESCE(
                 (SELECT SUM(f.amount_wan) FROM {t["funding"]} f
                   WHERE f.project_id = np.project_id AND f.month >= %s AND f.month <= %s
                     AND (f.reverses_id IS NULL OR EXISTS (SELECT 1 FROM {t["approval"]} a
                                                            WHERE a.entry_id = f.id AND a.decision = 'approved'))),
                 0) * 100) AS BIGINT) END,
               CASE WHEN np.leader = 1 THEN 1
                    WHEN np.own_link = 1 AND EXISTS (SELECT 1 FROM {t["enterprise"]} e
                                                      WHERE e.id = np.investor_id AND e.is_chain_leader) THEN 1
                    ELSE 0 END
          FROM {t["presence"]} np
         WHERE np.node_id IN ({placeholders(node_ids)}) {where}"""
    params = [*SIGNED_OR_LATER, end, *SIGNED_OR_LATER, end, start, end, *PIPELINE, start, end, *node_ids]
    return sql, [*params, *params_where]


def region_rows(*, node_ids: list[int], path: str, year: int) -> list[tuple]:
    sql, params = _region_sql(node_ids, path, year)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def region_investors(*, closure: list[tuple[int, int]], node_ids: list[int], path: str, year: int) -> list[tuple]:
    """The region's figures per (node, investor) in the shape of ``diagnosis.InvestorOnNode``: each project once for
    its node and every node above it (``closure``: (node, ancestor-or-self) pairs), then summed per investor — what
    ``diagnosis.rollup`` does in Python, done by the database over the kept rows (one query)."""
    rows_sql, rows_params = _region_sql(node_ids, path, year)
    values = ", ".join(["(%s, %s)"] * len(closure))
    sql = f"""
    WITH closure(node_id, anc_id) AS (VALUES {values}),
    placed(node_id, project_id, investor_id, present, stock, signed, pipeline, funds, leader) AS ({rows_sql}),
    once AS (
        SELECT c.anc_id, p.project_id, MAX(p.investor_id) AS investor_id, MAX(p.present) AS present,
               MAX(p.stock) AS stock, MAX(p.signed) AS signed, MAX(p.pipeline) AS pipeline, MAX(p.funds) AS funds,
               MAX(p.leader * p.present) AS leader
          FROM placed p JOIN closure c ON c.node_id = p.node_id
         GROUP BY c.anc_id, p.project_id)
    SELECT anc_id, investor_id, SUM(present), SUM(stock), SUM(signed), SUM(pipeline), SUM(funds), MAX(leader)
      FROM once GROUP BY anc_id, investor_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for pair in closure for v in pair] + rows_params)
        return [tuple(int(v or 0) for v in row) for row in cursor.fetchall()]


def province_counts(*, node_ids: list[int], root_ids: list[int], year: int) -> tuple[dict[int, int], int]:
    """n(province, N) for every node (investors present on it or below it, first signed by the year's end) and
    n(province, chain), from ``InvestorPresence``: a count per node, and the distinct investors of the roots."""
    t = table_names()
    end = date(year, 12, 31)
    sql = f"""
    SELECT node_id, COUNT(*) FROM {t["ipresence"]}
     WHERE node_id IN ({placeholders(node_ids)}) AND first_present_on <= %s GROUP BY node_id
    UNION ALL
    SELECT NULL, COUNT(DISTINCT pairs.investor_id) FROM {t["ipresence"]} pairs
     WHERE pairs.node_id IN ({placeholders(root_ids)}) AND pairs.first_present_on <= %s"""
    counts, total = {}, 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [*node_ids, end, *root_ids, end])
        for node_id, count in cursor.fetchall():
            if node_id is None:
                total = int(count or 0)
            else:
                counts[node_id] = int(count or 0)
    return counts, total
