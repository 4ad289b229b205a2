"""Reads of 靶向寻商: the candidates of a region for a chain (optionally one node or one action), hard filters first,
then the score of ``targeting.py``, kept per process and brought up to date after writes; the outcomes already
recorded (a candidate's fit across regions and the conversion report are in ``targeting_reports``). Five queries
whatever the number of candidates (candidates, tags, signals, projects, activities), plus the region's diagnosis
(its base figures cached)."""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from functools import lru_cache

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhaoshang.chains import targeting
from zhaoshang.chains.choices import ChainAction, Decision, SignalKind
from zhaoshang.chains.models import (
    ChainNode,
    IndustryChain,
    TargetOutcome,
)
from zhaoshang.chains.selectors import SIGNED_OR_LATER, Area, data_version, diagnosis_for
from zhaoshang.chains.sql import placeholders, table_names


@dataclass
class Filtered:
    enterprise_id: int
    name: str
    reason: str


@dataclass
class Targeting:
    """A ranking: every candidate's score (``targeting.quick_score``), best first; the explanation of a candidate
    (``targeting.score``) is built when it is shown — a page or the API's top N — not for the thousands below."""

    chain: IndustryChain
    area: Area
    year: int
    node: ChainNode | None
    action: str
    ranked: list[tuple[float, targeting.CandidateFacts]]
    filtered: list[Filtered]
    outcomes: dict[int, TargetOutcome] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    grades: dict[int, targeting.NodeGrade] = field(default_factory=dict)
    today: date | None = None
    weights_version: object = None  # ``weights.WeightsVersion``: which weights scored this ranking
    _built: dict[int, targeting.Candidate] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ranked)

    def candidate(self, index: int) -> targeting.Candidate:
        if index not in self._built:
            facts = self.ranked[index][1]
            self._built[index] = targeting.score(facts, grades=self.grades, weights=self.weights, today=self.today)
        return self._built[index]

    def slice(self, start: int = 0, stop: int | None = None) -> list[targeting.Candidate]:
        stop = self.count if stop is None else min(stop, self.count)
        return [self.candidate(i) for i in range(start, stop)]

    @property
    def candidates(self) -> list[targeting.Candidate]:
        return self.slice()

    def payload(self, top: int | None = None, start: int = 0) -> list[dict]:
        rows = []
        stop = start + top if top else None
        for rank, c in enumerate(self.slice(start, stop), start=start + 1):
            outcome = self.outcomes.get(c.facts.enterprise_id)
            rows.append(
                {
                    "rank": rank,
                    "enterprise_id": c.facts.enterprise_id,
                    "enterprise": c.facts.name,
                    "credit_code": c.facts.credit_code,
                    "stock_code": c.facts.stock_code,
                    "score": c.score,
                    "expansion": c.expansion,
                    "nodes": [n.name for n in c.nodes[:5]],
                    "outcome": outcome.get_status_display() if outcome else "",
                    "reasons": c.reasons,
                    "factors": [f.as_dict() for f in c.factors],
                }
            )
        return rows


@lru_cache(maxsize=4096)
def _node_refusal(node_id: int, name: str) -> str:
    """The admission reason a new project making this node's product would be refused for ("" when admitted): the
    same checker as every project (``projects.services.admission_evaluate``) on the words "新建<节点>项目"."""
    from zhaoshang.catalog.admission.verdict import REJECT
    from zhaoshang.projects.services import admission_evaluate

    admission = admission_evaluate(name=f"新建{name}项目", classify=False)
    if admission is None or admission.verdict != REJECT:
        return ""
    return (admission.reasons or ["准入规则不予承接"])[0]


def region_grades(*, chain: IndustryChain, area: Area, year: int) -> tuple[dict[int, targeting.NodeGrade], list]:
    d = diagnosis_for(chain=chain, area=area, year=year)
    grades = {
        r.node.id: targeting.NodeGrade(r.node.id, r.node.name, r.grade, r.node.is_key_link, r.action)
        for r in d.result.nodes
    }
    return grades, d.nodes


def _subtree(nodes: list[ChainNode], root_id: int) -> set[int]:
    children = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n.pk)
    ids, todo = set(), [root_id]
    while todo:
        current = todo.pop()
        ids.add(current)
        todo.extend(children.get(current, []))
    return ids


CANDIDATE_SQL = """
SELECT el.enterprise_id, el.node_id, e.name, e.credit_code, e.hq_province, e.credit_status, e.yunnan_entity,
       e.is_global500, e.is_china500, e.is_private500, e.is_chain_leader, e.size
  FROM {elink} el JOIN {enterprise} e ON e.id = el.enterprise_id
 WHERE el.node_id IN ({nodes}) AND el.decision <> %s
UNION ALL
SELECT p.investor_id, pl.node_id, e.name, e.credit_code, e.hq_province, e.credit_status, e.yunnan_entity,
       e.is_global500, e.is_china500, e.is_private500, e.is_chain_leader, e.size
  FROM {plink} pl JOIN {project} p ON p.id = pl.project_id JOIN {enterprise} e ON e.id = p.investor_id
 WHERE pl.node_id IN ({nodes}) AND pl.decision <> %s AND p.merged_into_id IS NULL
"""


def candidate_sql(node_ids: list[int], only: list[int] | None = None) -> tuple[str, list]:
    """The bare selection of the candidates (the benchmark's reference): every enterprise placed on the nodes, by
    its own placement or by a project of its placed there (an investor present by its project is a target too).
    ``only``: these enterprises alone (a ranking reading again the few a write touched)."""
    t = table_names()
    params = [*node_ids, Decision.REJECTED]
    sql = CANDIDATE_SQL.format(nodes=placeholders(node_ids), **t)
    if only is None:
        return sql, [*params, *params]
    marks = placeholders(only) or "NULL"
    first, second = sql.split("UNION ALL")
    sql = (
        f"{first.rstrip()} AND el.enterprise_id IN ({marks})\n"
        f"UNION ALL{second.rstrip()} AND p.investor_id IN ({marks})\n"
    )
    return sql, [*params, *only, *params, *only]


CHUNK = 2000


def _fetch_for(ids: list[int], sql, params: list, order=None) -> list[tuple]:
    """Rows for ``ids`` in chunks (SQLite caps the parameters of a statement), leading ``params`` first; sorted by
    ``order`` so that the result does not depend on the chunking or the plan."""
    if not ids:
        return []
    if connection.vendor == "postgresql":
        # one array parameter, sent as its text ('{1,2,3}'): PostgreSQL binds thousands of separate parameters
        # slowly (40 ms a chunk of 2,000), and psycopg dumps a Python list of ints slowly too (100 ms for 15,000)
        literal = "{" + ",".join(map(str, ids)) + "}"
        rows = _fetch(sql("SELECT unnest(%s::int[])"), [*params, literal])
    else:
        rows = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows.extend(_fetch(sql(placeholders(chunk)), [*params, *chunk]))
    return sorted(rows, key=order) if order else rows


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _local_date(value, zone=None) -> date | None:
    """A timestamp read by raw SQL as the local date (SQLite gives text in UTC, PostgreSQL an aware datetime);
    ``zone``: the current time zone, looked up once by a caller converting many."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(zone or timezone.get_current_timezone()).date()


def _prefecture_names() -> dict[str, str]:
    from zhaoshang.regions.models import Region

    return dict(Region.objects.filter(level=2).values_list("code", "name"))


def candidate_facts(*, node_ids: list[int], area_path: str, today: date, only: list[int] | None = None):
    """Candidates placed on ``node_ids`` with everything the score needs, and those a hard filter takes out;
    ``only``: of these enterprises alone."""
    from zhaoshang.investors.choices import CreditStatus, EnterpriseSize, TagKind
    from zhaoshang.projects.choices import RegionGroup, region_group_for

    t = table_names()
    sql, params = candidate_sql(node_ids, only)
    facts: dict[int, targeting.CandidateFacts] = {}
    nodes_of: dict[int, list[int]] = defaultdict(list)
    dishonest: dict[int, str] = {}
    # plain strings and local names in the loop: it runs once per placement (tens of thousands)
    dishonest_code, large_code, other_group = (
        str(CreditStatus.DISHONEST),
        str(EnterpriseSize.LARGE),
        str(RegionGroup.OTHER),
    )
    groups: dict[str, str] = {}
    no_flags: frozenset = frozenset()
    for eid, node_id, name, code, province, credit, entity, g500, c500, p500, leader, size in _fetch(sql, params):
        nodes_of[eid].append(node_id)
        if eid in facts or eid in dishonest:
            continue
        if credit == dishonest_code:
            dishonest[eid] = name
            continue
        if g500 or c500 or p500 or leader or size == large_code:
            held = []
            if g500:
                held.append("global500")
            if c500:
                held.append("china500")
            if p500:
                held.append("private500")
            if leader:
                held.append("chain_leader")
            if size == large_code:
                held.append("large")
            flags = frozenset(held)
        else:
            flags = no_flags
        province = province or ""
        group = groups.get(province)
        if group is None:
            group = groups[province] = region_group_for(province) or (other_group if province else "")
        facts[eid] = targeting.CandidateFacts(eid, name, code or "", "", province, group, flags, bool(entity))
    filtered = [Filtered(eid, name, "列入失信惩戒名单（信用状况：失信），一律不招") for eid, name in dishonest.items()]
    if not facts:
        return facts, nodes_of, filtered
    ids = sorted(facts)
    conf = targeting.settings()
    horizon = today - timedelta(days=conf["signal_horizon_days"])
    # listed: stock codes
    for eid, code in _fetch_for(
        ids,
        lambda marks: f"SELECT enterprise_id, code FROM {t['tag']} WHERE kind = %s AND enterprise_id IN ({marks})",
        [TagKind.LISTED],
        order=lambda r: (r[0], r[1] or ""),
    ):
        if eid in facts:
            f = facts[eid]
            f.flags = f.flags | {"listed"}
            f.stock_code = f.stock_code or (code or "")
    # signals (stored); 企业注销 is a hard filter
    signals: dict[int, list] = defaultdict(list)
    deregistered: set[int] = set()
    labels = dict(SignalKind.choices)
    on_column = connection.ops.quote_name("on")
    for eid, kind, on, source, evidence, _ in _fetch_for(
        ids,
        lambda marks: (
            f"SELECT enterprise_id, kind, {on_column}, source, evidence, id FROM {t['signal']} "
            f"WHERE enterprise_id IN ({marks})"
        ),
        [],
        order=lambda r: (r[0], -r[2].toordinal(), r[5]),
    ):
        if kind == SignalKind.DEREGISTERED:
            deregistered.add(eid)
        elif on >= horizon:
            signals[eid].append(targeting.SignalFact(kind, labels.get(kind, kind), on, source, evidence))
    # projects of the group in Yunnan (own and its direct subsidiaries'), counted: presence, local nodes, and the
    # platform-derived signal of a project registered within the horizon
    prefectures = _prefecture_names()
    per_prefecture: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    local: set[int] = set()
    rows = _fetch_for(
        ids,
        lambda marks: (
            f"""SELECT p.investor_id, p.path, p.name, p.stage, p.created_at FROM {t["project"]} p
             WHERE p.merged_into_id IS NULL AND p.stage <> 'terminated' AND p.investor_id IN ({marks})"""
        ),
        [],
    ) + _fetch_for(
        ids,
        lambda marks: (
            f"""SELECT s.parent_id, p.path, p.name, p.stage, p.created_at FROM {t["project"]} p
              JOIN {t["enterprise"]} s ON s.id = p.investor_id
             WHERE p.merged_into_id IS NULL AND p.stage <> 'terminated' AND s.parent_id IN ({marks})"""
        ),
        [],
    )
    zone = timezone.get_current_timezone()
    for eid, path, pname, stage, created in sorted(rows, key=lambda r: (r[0], str(r[4]), r[2])):
        if eid not in facts:
            continue
        prefecture = path.split("/")[1] if path.count("/") >= 1 else ""
        per_prefecture[eid][prefectures.get(prefecture, "云南")] += 1
        if stage in SIGNED_OR_LATER and (path == area_path or path.startswith(area_path + "/")):
            local.add(eid)
        created_on = _local_date(created, zone)
        if created_on and created_on >= horizon:
            signals[eid].append(
                targeting.SignalFact("platform_project", "集团在滇新建项目", created_on, "平台项目库", pname)
            )
    # activities that met them
    for eid, title, start_on, _ in _fetch_for(
        ids,
        lambda marks: (
            f"""SELECT ae.enterprise_id, a.title, a.start_on, a.id FROM {t["activity_enterprise"]} ae
              JOIN {t["activity"]} a ON a.id = ae.activity_id
             WHERE a.start_on >= %s AND ae.enterprise_id IN ({marks})"""
        ),
        [horizon],
        order=lambda r: (r[2], r[3]),
    ):
        if eid in facts:
            signals[eid].append(
                targeting.SignalFact("platform_activity", "招商活动中接触", start_on, "平台活动记录", title)
            )
    for eid in deregistered:
        f = facts.pop(eid, None)
        if f is not None:
            filtered.append(Filtered(eid, f.name, "企业已注销（扩张信号：企业注销）"))
    for eid, f in facts.items():
        own = nodes_of[eid]
        f.node_ids = (own[0],) if len(own) == 1 else tuple(sorted(set(own)))
        if eid in signals:
            f.signals = tuple(signals[eid])
        if eid in per_prefecture:
            f.projects_by_prefecture = tuple(sorted(per_prefecture[eid].items(), key=lambda kv: (-kv[1], kv[0])))
        if eid in local:
            f.local_node_ids = frozenset(f.node_ids)
    return facts, nodes_of, filtered


def latest_outcomes(*, user, area: Area, enterprise_ids=None) -> dict[int, TargetOutcome]:
    rows = TargetOutcome.objects.for_user(user).filter(path=area.path).select_related("owner", "project")
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    latest: dict[int, TargetOutcome] = {}
    for outcome in rows.order_by("created_at", "id"):
        latest[outcome.enterprise_id] = outcome
    return latest


def targeting_for(
    *,
    chain: IndustryChain,
    area: Area,
    year: int,
    node: ChainNode | None = None,
    action: str = "",
    user=None,
    today: date | None = None,
) -> Targeting:
    """The ranked candidates of ``area`` for ``chain`` (and ``node``'s subtree, or the nodes of ``action``).

    The ranking (not the user's outcomes) is kept in this process and brought up to date when the data changes
    (``data_version``: the newest audit row of a write; a sign-in or an export leaves it): the candidates the
    writes since touched are read and scored again, the others keep their place (``_refresh``); a write that
    cannot be tied to its enterprises, or many of them, makes the ranking afresh. A typeahead or a page turn reads
    it again without ranking."""
    today = today or timezone.localdate()
    key = (chain.pk, chain.updated_at, area.path, node.pk if node else 0, action, year, today)
    version = data_version()
    state = _RANKINGS.get(key)
    if state is None or state.version != version:
        args = {"chain": chain, "area": area, "year": year, "node": node, "action": action, "today": today}
        fresh = _refresh(state, version=version, **args) if state is not None else None
        state = fresh or _rank(version=version, **args)
        _RANKINGS.pop(key, None)
        _RANKINGS[key] = state
        while len(_RANKINGS) > RANKINGS_KEPT:
            _RANKINGS.pop(next(iter(_RANKINGS)))
    outcomes = latest_outcomes(user=user, area=area) if user is not None else {}
    return Targeting(
        chain,
        area,
        year,
        node,
        action,
        state.scored,
        state.filtered,
        outcomes,
        state.weights,
        state.grades,
        today,
        weights_version=state.weights_version,
    )


RANKINGS_KEPT = 32


@dataclass(frozen=True)
class _Ranking:
    """A ranking kept in this process: the ranked and filtered candidates as of ``version``, and what bringing it
    up to date needs (the nodes asked for, their grades' values, each candidate's entry). Never changed once made:
    a refresh makes a new one, so a ranking being read is never altered under its reader."""

    version: str
    wanted: frozenset
    node_values: dict
    grades: dict
    nodes: list
    weights: dict
    weights_version: object
    entries: dict  # enterprise id -> (score, facts) when ranked, Filtered when a hard filter took it out
    scored: list
    filtered: list


_RANKINGS: dict[tuple, _Ranking] = {}


def _wanted(nodes, grades, node, action) -> set[int]:
    wanted = {n.pk for n in nodes}
    if node is not None:
        wanted &= _subtree(nodes, node.pk)
    if action and action in ChainAction.values:
        wanted &= {pk for pk, g in grades.items() if g.action == action}
    return wanted


def _entries(facts, filtered, *, nodes, wanted, quick) -> dict:
    """Each candidate's entry: its score, or the hard filter that took it out (the 失信 and 注销 of
    ``candidate_facts``, or the admission rules of all its nodes)."""
    refused = {n.pk: _node_refusal(n.pk, n.name) for n in nodes if n.pk in wanted}
    allowed_set = {pk for pk in wanted if not refused.get(pk)}
    entries: dict = {f.enterprise_id: f for f in filtered}
    for eid in sorted(facts):
        f = facts[eid]
        usable = (
            f.node_ids if allowed_set.issuperset(f.node_ids) else tuple(pk for pk in f.node_ids if pk in allowed_set)
        )
        if not usable:
            reason = next((refused[pk] for pk in f.node_ids if refused.get(pk)), "")
            entries[eid] = Filtered(eid, f.name, f"所在环节准入不予承接：{reason}")
            continue
        f.node_ids = usable
        entries[eid] = (quick(f), f)
    return entries


def _order(item) -> tuple:
    """Best first; the same data gives the same order (ties by enterprise id), as ``targeting.rank``."""
    return (-item[0], item[1].enterprise_id)


def _filter_order(x) -> tuple:
    return (x.reason, x.enterprise_id)


def _ranking(*, version, wanted, node_values, grades, nodes, weights, weights_version, entries) -> _Ranking:
    scored = sorted((e for e in entries.values() if type(e) is tuple), key=_order)
    filtered = sorted((e for e in entries.values() if type(e) is Filtered), key=_filter_order)
    wanted = frozenset(wanted)
    return _Ranking(version, wanted, node_values, grades, nodes, weights, weights_version, entries, scored, filtered)


def _rank(*, chain, area, year, node, action, today, version=""):
    from zhaoshang.chains.weights import weights_version

    grades, nodes = region_grades(chain=chain, area=area, year=year)
    wanted = _wanted(nodes, grades, node, action)
    weights = targeting.weights_for(chain.targeting_weights)
    node_values = {pk: targeting.node_fit_value(g) for pk, g in grades.items()}
    quick = targeting.quick_scorer(node_values=node_values, weights=weights, today=today)
    entries: dict = {}
    if wanted:
        facts, _, filtered = candidate_facts(node_ids=sorted(wanted), area_path=area.path, today=today)
        entries = _entries(facts, filtered, nodes=nodes, wanted=wanted, quick=quick)
    return _ranking(
        version=version,
        wanted=wanted,
        node_values=node_values,
        grades=grades,
        nodes=nodes,
        weights=weights,
        weights_version=weights_version(chain),
        entries=entries,
    )


def _refresh(state: _Ranking, *, chain, area, year, node, action, today, version) -> _Ranking | None:
    """``state`` brought up to ``version``: the enterprises the writes since touched read again and scored, every
    other candidate kept (scored again only if the region's grades moved). None when it cannot be done exactly
    (the writes cannot be tied to enterprises, too many of them, the nodes asked for changed, or the ranking's own
    audit row is gone — a rolled-back write): the caller ranks afresh."""
    from zhaoshang.chains.targeting_changes import grades_may_move, touched_enterprises, writes_since
    from zhaoshang.core.models import AuditLog

    if not state.version or not version:
        return None
    audit_id, _, audit_hash = state.version.partition(":")
    if not AuditLog.objects.filter(id=int(audit_id), hash=audit_hash).exists():
        return None
    rows = writes_since(int(audit_id))
    touched = touched_enterprises(rows) if rows is not None else None
    if touched is None:
        return None
    if grades_may_move(rows):
        grades, nodes = region_grades(chain=chain, area=area, year=year)
    else:  # signals, outcomes, activities: the diagnosis does not read them
        grades, nodes = state.grades, state.nodes
    wanted = _wanted(nodes, grades, node, action)
    if wanted != state.wanted:
        return None
    node_values = {pk: targeting.node_fit_value(g) for pk, g in grades.items()}
    quick = targeting.quick_scorer(node_values=node_values, weights=state.weights, today=today)
    entries = dict(state.entries)
    for eid in touched:
        entries.pop(eid, None)
    regraded = node_values != state.node_values
    if regraded:  # the grades moved: every kept candidate is scored again
        entries = {eid: (quick(e[1]), e[1]) if type(e) is tuple else e for eid, e in entries.items()}
    fresh: dict = {}
    if touched and wanted:
        facts, _, filtered = candidate_facts(
            node_ids=sorted(wanted), area_path=area.path, today=today, only=sorted(touched)
        )
        fresh = _entries(facts, filtered, nodes=nodes, wanted=wanted, quick=quick)
        entries.update(fresh)
    if not regraded:  # the kept order stands: the touched leave it and come back in their place
        scored = [item for item in state.scored if item[1].enterprise_id not in touched]
        for entry in fresh.values():
            if type(entry) is tuple:
                bisect.insort(scored, entry, key=_order)
        filtered = sorted((e for e in entries.values() if type(e) is Filtered), key=_filter_order)
        return _Ranking(
            version,
            state.wanted,
            node_values,
            grades,
            nodes,
            state.weights,
            state.weights_version,
            entries,
            scored,
            filtered,
        )
    return _ranking(
        version=version,
        wanted=wanted,
        node_values=node_values,
        grades=grades,
        nodes=nodes,
        weights=state.weights,
        weights_version=state.weights_version,
        entries=entries,
    )
