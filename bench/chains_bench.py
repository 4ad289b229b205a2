"""Benchmark of the chain diagnosis (issue 15) on a throwaway PostgreSQL database: with N projects (default 200,000)
across the 129 counties and L enterprise–node placements (default 100,000) on the 15 shipped chains,

- the median time of the diagnosis of one prefecture (楚雄 532300) over one chain (绿色硅), as a multiple of the bare
  SQL aggregate that counts the prefecture's placements per node (target ≤ 3×): with no write since the last,
  right after a real write that changes no figure (a signal through ``signal_create``: the province's reference
  figures stay cached, keyed on the figures' version) and right after a real project write (``project_update``
  elsewhere in the province: the figures' version moves, the province's figures are counted again, from the presence
  tables the write itself kept up to date);
- the number of queries of the chain-map page for two chains of different sizes (constant in the number of nodes).

Also prints the placement quality on the labelled sets. Exits 1 when a diagnosis is over 3× the aggregate or the
presence tables kept by the writes differ from a rebuild.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/chains_bench.py
        [--projects 200000] [--links 100000] [--repeat 7]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from _support import ROOT, run_child, throwaway_database

BARE_SQL = """
SELECT el.node_id, COUNT(*)
  FROM chains_enterprisenodelink el JOIN projects_project p ON p.investor_id = el.enterprise_id
 WHERE el.node_id = ANY(%s) AND el.decision = 'confirmed' AND (p.path = %s OR p.path LIKE %s)
 GROUP BY el.node_id
"""
STAGES = ["lead", "negotiating", "signed", "registered", "under_construction", "in_production", "terminated"]
STAGE_WEIGHTS = [14, 14, 14, 12, 18, 18, 10]


def seed(projects: int, links: int, year: int) -> dict:
    from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, IndustryChain
    from zhaoshang.core.testing import persona
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import FundingEntry, Project
    from zhaoshang.regions.models import Region

    rng = random.Random(2026)
    actor = persona("province_admin")
    counties = list(Region.objects.counties().order_by("code"))
    enterprises = [
        Enterprise(name=f"基准测试企业{i:06d}有限公司", normalised_name=f"基准测试企业{i:06d}")
        for i in range(links // 2)
    ]
    Enterprise.objects.bulk_create(enterprises, batch_size=5000)
    nodes = list(ChainNode.objects.filter(chain__in=IndustryChain.objects.current()).values_list("pk", flat=True))
    pairs = set()
    while len(pairs) < links:
        pairs.add((rng.choice(nodes), rng.choice(enterprises).pk))
    EnterpriseNodeLink.objects.bulk_create(
        (
            EnterpriseNodeLink(
                node_id=n,
                enterprise_id=e,
                strength="medium",
                decision="confirmed" if rng.random() < 0.9 else "uncertain",
            )
            for n, e in pairs
        ),
        batch_size=5000,
    )
    start = date(year - 3, 1, 1)
    rows = []
    for i in range(projects):
        county = counties[i % len(counties)]
        stage = rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]
        signed = start + timedelta(days=rng.randint(0, 1400)) if stage not in ("lead", "negotiating") else None
        rows.append(
            Project(
                name=f"基准项目{i}",
                investor_id=rng.choice(enterprises).pk,
                county=county,
                path=county.path,
                agreed_investment_wan=Decimal(rng.choice([800, 5000, 20000, 80000])),
                stage=stage,
                stage_on=signed or start,
                first_signed_on=signed,
                is_chain_leader=rng.random() < 0.02,
            )
        )
        if len(rows) == 10000:
            Project.objects.bulk_create(rows)
            rows = []
    Project.objects.bulk_create(rows)
    signed_ids = list(Project.objects.filter(first_signed_on__isnull=False).values_list("pk", flat=True))
    FundingEntry.objects.bulk_create(
        (
            FundingEntry(
                project_id=pk, month=date(year, rng.randint(1, 12), 1), amount_wan=Decimal(100), entered_by=actor
            )
            for pk in rng.sample(signed_ids, k=len(signed_ids) // 2)
        ),
        batch_size=10000,
    )
    return {"enterprises": len(enterprises), "funding": len(signed_ids) // 2}


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhaoshang.chains.models import EnterpriseNodeLink, IndustryChain
    from zhaoshang.chains.quality import LABELLED, evaluate, load_cases
    from zhaoshang.chains.selectors import area_of, chain_nodes, diagnosis_for
    from zhaoshang.chains.services import chains_load_shipped
    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.projects.models import Project
    from zhaoshang.regions.models import Region

    year = 2025
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_platform_data()
    chains_load_shipped(actor=None)
    seeded = seed(args.projects, args.links, year)
    from zhaoshang.chains.presence import presence_differences, presence_rebuild

    t = time.perf_counter()
    presence_rows = presence_rebuild()  # the bulk load bypassed the services that keep the presence tables
    rebuilt_in = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"setup: {time.perf_counter() - started:.0f} s; projects {Project.objects.count():,}, "
        f"enterprise–node links {EnterpriseNodeLink.objects.count():,}, ledger entries {seeded['funding']:,}"
    )
    print(
        f"presence tables rebuilt in {rebuilt_in:.1f} s: {presence_rows[0]:,} node × project rows, "
        f"{presence_rows[1]:,} node × investor rows"
    )
    silicon = IndustryChain.objects.current().get(code="green_silicon")
    chuxiong = Region.objects.get(code="532300")
    area = area_of(chuxiong)
    node_ids = [n.pk for n in chain_nodes(silicon)]

    def run_bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [node_ids, chuxiong.path, chuxiong.path + "/%"])
            return cursor.fetchall()

    counted = run_bare()
    from zhaoshang.chains.choices import SignalKind
    from zhaoshang.chains.targeting_services import signal_create
    from zhaoshang.projects.services import project_update

    admin = persona("province_admin")
    # Real writes through the services, elsewhere in the province: a project edit (moves the figures' version, so
    # the province's reference counts are counted again) and a signal on an enterprise (an audit row, no figure).
    written = Project.objects.exclude(path__startswith=chuxiong.path).select_related("county", "park").first()
    someone = written.investor

    def project_write(i: int) -> None:
        project_update(
            actor=admin,
            project=written,
            name=written.name,
            county=written.county,
            park=written.park,
            description=f"基准测试写入{i}",
        )

    def other_write(i: int) -> None:
        signal_create(
            actor=admin, enterprise=someone, kind=SignalKind.FINANCING, on=date(year, 6, 1), source=f"基准{i}"
        )

    diagnosis_for(chain=silicon, area=area, year=year)  # warm-up
    # Interleaved, so that other load on the machine weighs on each measure alike.
    bare, cold, warm, kept, writes = [], [], [], [], []
    for i in range(args.repeat):
        t = time.perf_counter()
        run_bare()
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        d = diagnosis_for(chain=silicon, area=area, year=year)
        warm.append(time.perf_counter() - t)
        other_write(i)
        t = time.perf_counter()
        diagnosis_for(chain=silicon, area=area, year=year)
        kept.append(time.perf_counter() - t)
        t = time.perf_counter()
        project_write(i)
        writes.append(time.perf_counter() - t)
        t = time.perf_counter()
        diagnosis_for(chain=silicon, area=area, year=year)
        cold.append(time.perf_counter() - t)
    b, c, w = statistics.median(bare), statistics.median(cold), statistics.median(warm)
    k = statistics.median(kept)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"bare SQL aggregate (placements per node, 楚雄, 绿色硅, {len(counted)} nodes): {b * 1000:.1f} ms")
    print(f"diagnosis, no write since the last: {w * 1000:.1f} ms -> {w / b:.2f}x (target ≤ 3x)")
    print(f"diagnosis right after a write outside the figures (a signal): {k * 1000:.1f} ms -> {k / b:.2f}x")
    print(
        f"diagnosis right after a project write (project_update elsewhere; the province's counts again): "
        f"{c * 1000:.1f} ms -> {c / b:.2f}x"
    )
    print(f"  楚雄 on 绿色硅: {d.result.region_enterprises} enterprises, {len(d.result.gaps())} gaps")
    print(
        f"the project write itself (project_update with its hook: placement and presence): "
        f"{statistics.median(writes) * 1000:.1f} ms"
    )
    t = time.perf_counter()
    differences = presence_differences()
    print(f"presence tables equal a rebuild after the writes: {not differences} ({time.perf_counter() - t:.1f} s)")
    missed = [
        name
        for name, ratio in (("warm", w / b), ("after a signal", k / b), ("after a project write", c / b))
        if ratio > 3
    ]

    client = Client()
    client.force_login(persona("chuxiong_officer"))
    counts = {}
    for code in ("tobacco", "green_aluminium", "green_silicon"):
        chain = IndustryChain.objects.current().get(code=code)
        client.get(f"/chains/{chain.pk}/?year={year}")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            assert client.get(f"/chains/{chain.pk}/?year={year}").status_code == 200
            elapsed = time.perf_counter() - t
        counts[code] = (chain.nodes.count(), len(queries), elapsed)
    print(
        "chain-map page queries: "
        + "; ".join(f"{code} {n} nodes → {q} queries ({e * 1000:.0f} ms)" for code, (n, q, e) in counts.items())
    )
    print("constant in the number of nodes:", len({q for _, q, _ in counts.values()}) == 1)
    main = evaluate()
    holdout = evaluate(load_cases(LABELLED.with_name("labelled_placements_holdout.jsonl")))
    print("placement, labelled set (written with the vocabulary):")
    print(main.render(details=False))
    print("placement, held-out set (written after the vocabulary, never tuned on):")
    print(holdout.render(details=False))
    if differences or missed:
        print(f"MISSED: diagnosis over 3x {missed}" if missed else "MISSED: presence tables differ from a rebuild")
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (this benchmark is about PostgreSQL)")
    command = [
        sys.executable,
        __file__,
        "--child",
        "--projects",
        str(args.projects),
        "--links",
        str(args.links),
        "--repeat",
        str(args.repeat),
    ]
    with throwaway_database(base, "zs_chains_bench") as database:
        _, code = run_child(command, os.environ | {"DATABASE_URL": database, "DJANGO_ENV": "test"})
    sys.exit(code)


if __name__ == "__main__":
    main()
