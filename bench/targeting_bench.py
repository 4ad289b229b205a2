"""Benchmark of 靶向寻商 (issue 16) on a throwaway PostgreSQL database: E enterprises (default 1,000,000), L
enterprise–node placements (default 200,000) on the 15 shipped chains, P projects (default 100,000) and S signals
(default 20,000), all made in SQL (INSERT … SELECT over generate_series, seeded random) from one row written
through the ORM. Prints:

- the bare SQL that selects the candidates (``targeting_selectors.candidate_sql``: every enterprise placed on the
  chain's nodes, by its own placement or its projects') for 禄丰 (532302) and 绿色硅;
- the targeting page's median time ranked afresh (the whole request with no ranking kept: diagnosis with the
  province's figures cached, candidates, score, explanation, render) as a multiple of it (target ≤ 3×);
- the API's median latency for the same ranking (``/api/v1/targeting/?top=20``, target < 300 ms), with the ranking
  kept and on the first call right after a sign-in, a signal write and a project write (the kept ranking brought up
  to date: only the candidates the write touched are read again).

Exits 1 when a target is missed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/targeting_bench.py
        [--enterprises 1000000] [--links 200000] [--projects 100000] [--signals 20000] [--repeat 7]
"""

import argparse
import os
import statistics
import sys
import time

from _support import ROOT, run_child, throwaway_database


def seed(args) -> None:
    from datetime import date
    from decimal import Decimal

    from django.db import connection

    from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, IndustryChain, Signal
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project
    from zhaoshang.regions.models import Region

    template = Enterprise.objects.create(
        name="基准企业模板有限公司", normalised_name="基准企业模板", hq_province="广东"
    )
    county = Region.objects.get(code="532302")
    project = Project.objects.create(
        name="基准项目模板",
        investor=template,
        county=county,
        path=county.path,
        agreed_investment_wan=Decimal(10000),
        stage="signed",
        stage_on=date(2024, 5, 1),
        first_signed_on=date(2024, 5, 1),
    )
    e_table, p_table = Enterprise._meta.db_table, Project._meta.db_table
    with connection.cursor() as cursor:

        def columns(table: str) -> list[str]:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
                "ORDER BY ordinal_position",
                [table],
            )
            return [row[0] for row in cursor.fetchall()]

        cursor.execute("SELECT setseed(0.2026)")
        e_cols = columns(e_table)
        provinces = ["云南", "四川", "广东", "浙江", "江苏", "北京", "上海", "贵州", "湖南", "陕西"]
        values = {
            "name": "'基准企业' || g || '有限公司'",
            "normalised_name": "'基准企业' || g",
            "hq_province": f"(ARRAY{provinces})[1 + (g %% {len(provinces)})]",
            "is_global500": "(g %% 997 = 0)",
            "is_china500": "(g %% 211 = 0)",
            "is_chain_leader": "(g %% 503 = 0)",
            "credit_status": "CASE WHEN g %% 1009 = 0 THEN 'dishonest' ELSE '' END",
        }
        select = ", ".join(values.get(c, f'e."{c}"') for c in e_cols)
        cursor.execute(
            f"INSERT INTO {e_table} ({', '.join(chr(34) + c + chr(34) for c in e_cols)}) "
            f"SELECT {select} FROM {e_table} e, generate_series(1, %s) g WHERE e.id = %s",
            [args.enterprises - 1, template.pk],
        )
        cursor.execute(f"SELECT min(id), max(id) FROM {e_table}")
        low, high = cursor.fetchone()
        nodes = list(ChainNode.objects.filter(chain__in=IndustryChain.objects.current()).values_list("pk", flat=True))
        cursor.execute(
            f"""INSERT INTO {EnterpriseNodeLink._meta.db_table}
                  (node_id, enterprise_id, role, strength, evidence, score, decision, origin, note, placed_at)
                SELECT (%s::int[])[1 + floor(random() * %s)::int], %s + floor(random() * %s)::int, 'producer',
                       'medium', '[]', 2, CASE WHEN random() < 0.9 THEN 'confirmed' ELSE 'uncertain' END, 'auto', '',
                       now()
                  FROM generate_series(1, %s) ON CONFLICT DO NOTHING""",
            [nodes, len(nodes), low, high - low + 1, int(args.links * 1.02)],
        )
        p_cols = columns(p_table)
        counties = list(Region.objects.filter(level=3).values_list("pk", "path"))
        county_ids = [c[0] for c in counties]
        county_paths = [c[1] for c in counties]
        stages = ["lead", "negotiating", "signed", "registered", "under_construction", "in_production"]
        pick = f"1 + (g * 7919 %% {len(counties)})"
        values = {
            "name": "'基准项目' || g",
            "investor_id": f"{low} + floor(random() * {high - low + 1})::int",
            "county_id": f"(ARRAY{county_ids})[{pick}]",
            "path": f"(ARRAY{county_paths})[{pick}]",
            "stage": f"(ARRAY{stages})[1 + (g %% {len(stages)})]",
            "first_signed_on": "CASE WHEN g %% 6 >= 2 THEN DATE '2022-01-01' + (g %% 1400) END",
            "external_code": "''",
        }
        select = ", ".join(values.get(c, f'p."{c}"') for c in p_cols)
        cursor.execute(
            f"INSERT INTO {p_table} ({', '.join(chr(34) + c + chr(34) for c in p_cols)}) "
            f"SELECT {select} FROM {p_table} p, generate_series(1, %s) g WHERE p.id = %s",
            [args.projects - 1, project.pk],
        )
        kinds = ["financing", "new_subsidiary", "expansion", "planned_project", "ranking", "closed_subsidiary"]
        cursor.execute(
            f"""INSERT INTO {Signal._meta.db_table}
                  (enterprise_id, kind, "on", source, evidence, origin, created_at, updated_at)
                SELECT %s + floor(random() * %s)::int, (%s::text[])[1 + (g %% %s)],
                       CURRENT_DATE - (g %% 900), '基准', '', 'import', now(), now()
                  FROM generate_series(1, %s) g""",
            [low, high - low + 1, kinds, len(kinds), args.signals],
        )
        cursor.execute("ANALYZE")


RATIO_TARGET = 3.0  # the page ranked afresh, as a multiple of the bare SQL selecting the candidates
API_TARGET_MS = 300  # median of the API, also the first call right after a write


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, IndustryChain
    from zhaoshang.chains.services import chains_load_shipped
    from zhaoshang.chains.targeting_selectors import candidate_sql
    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if not (args.reuse and Enterprise.objects.filter(name="基准企业模板有限公司").exists()):
        load_platform_data()
        chains_load_shipped(actor=None)
        seed(args)
    print(
        f"setup: {time.perf_counter() - started:.0f} s; enterprises {Enterprise.objects.count():,}, "
        f"enterprise–node links {EnterpriseNodeLink.objects.count():,}, projects {Project.objects.count():,}"
    )
    silicon = IndustryChain.objects.current().get(code="green_silicon")
    node_ids = sorted(ChainNode.objects.filter(chain=silicon).values_list("pk", flat=True))
    sql, params = candidate_sql(node_ids)

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    rows = bare()
    client = Client()
    client.force_login(persona("lufeng_officer"))
    page_url = f"/chains/targeting/?region=532302&chain={silicon.pk}"
    api_url = "/api/v1/targeting/?region=532302&chain=绿色硅&top=20"
    assert client.get(page_url).status_code == 200  # warm-up: the province's base figures are cached from here
    assert client.get(api_url).status_code == 200
    from zhaoshang.chains.targeting_selectors import _RANKINGS

    bare_t, page_t, api_t, api_cold, page_warm = [], [], [], [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        bare()
        bare_t.append(time.perf_counter() - t)
        # no ranking kept: a new process, a new day, new weights, or a write not tied to its enterprises (the
        # province's base figures stay cached)
        _RANKINGS.clear()
        t = time.perf_counter()
        response = client.get(page_url)
        page_t.append(time.perf_counter() - t)
        assert response.status_code == 200
        t = time.perf_counter()
        client.get(page_url + "&page=2")
        page_warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        response = client.get(api_url)
        api_t.append(time.perf_counter() - t)
        _RANKINGS.clear()
        t = time.perf_counter()
        client.get(api_url)
        api_cold.append(time.perf_counter() - t)
    # The API's first call right after real writes through the services: a signal on an enterprise (no figure: the
    # province's base figures stay cached; the ranking re-reads the enterprise) and a project edit (the diagnosis is
    # asked again; the ranking re-reads the project's investor and its group).
    from datetime import date

    from zhaoshang.chains.choices import SignalKind
    from zhaoshang.chains.targeting_services import signal_create
    from zhaoshang.projects.services import project_update

    admin = persona("province_admin")
    written = Project.objects.exclude(path__startswith="530000/532300").select_related("county", "park").first()
    from zhaoshang.core.audit import audit_record
    from zhaoshang.core.choices import Action

    after_signal, after_project, after_login = [], [], []
    for i in range(args.repeat):
        client.get(api_url)
        audit_record(actor=admin, action=Action.LOGIN, object_type="accounts.User")  # a sign-in: no data changed
        t = time.perf_counter()
        client.get(api_url)
        after_login.append(time.perf_counter() - t)
        signal_create(
            actor=admin, enterprise=written.investor, kind=SignalKind.FINANCING, on=date(2025, 6, 1), source=f"基准{i}"
        )
        t = time.perf_counter()
        client.get(api_url)
        after_signal.append(time.perf_counter() - t)
        project_update(
            actor=admin,
            project=written,
            name=written.name,
            county=written.county,
            park=written.park,
            description=f"基准测试写入{i}",
        )
        t = time.perf_counter()
        client.get(api_url)
        after_project.append(time.perf_counter() - t)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    b, p, a = statistics.median(bare_t), statistics.median(page_t), statistics.median(api_t)
    count = response.json()["count"]
    after = {
        "a sign-in": statistics.median(after_login),
        "a signal write": statistics.median(after_signal),
        "a project write": statistics.median(after_project),
    }
    print(
        f"bare SQL selecting the candidates (禄丰, 绿色硅, {len(node_ids)} nodes): "
        f"{len(rows):,} rows, {b * 1000:.1f} ms"
    )
    print(
        f"targeting page ranked afresh (no ranking kept in the process): {p * 1000:.1f} ms -> {p / b:.2f}x the bare "
        f"SQL (target ≤ {RATIO_TARGET:g}x); {count:,} candidates ranked"
    )
    print(
        f"targeting page, next page of the same ranking (kept until the data changes): "
        f"{statistics.median(page_warm) * 1000:.1f} ms -> {statistics.median(page_warm) / b:.2f}x"
    )
    print(
        f"API /api/v1/targeting/ (top 20): median {a * 1000:.1f} ms with the ranking kept; "
        f"{statistics.median(api_cold) * 1000:.1f} ms when ranked afresh (no ranking kept)"
    )
    print(
        "API first call right after "
        + "; ".join(f"{what}: median {t * 1000:.1f} ms" for what, t in after.items())
        + f" (target < {API_TARGET_MS} ms; a write re-reads the candidates it touched, not all)"
    )
    misses = []
    if p / b > RATIO_TARGET:
        misses.append(f"page ranked afresh {p / b:.2f}x > {RATIO_TARGET:g}x")
    for what, t in [("with the ranking kept", a), *(("after " + w, t) for w, t in after.items())]:
        if t * 1000 >= API_TARGET_MS:
            misses.append(f"API {what} {t * 1000:.0f} ms ≥ {API_TARGET_MS} ms")
    print("MISSED: " + "; ".join(misses) if misses else "all targets met")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        _RANKINGS.clear()  # ranked afresh: the part that matters
        profile.runcall(client.get, api_url)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    if misses:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=200_000)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a profile of one API call")
    parser.add_argument("--reuse", action="store_true", help="(child) keep a database seeded by an earlier run")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (this benchmark is about PostgreSQL)")
    command = (
        [sys.executable, __file__, "--child"]
        + [f"--{k}={getattr(args, k)}" for k in ("enterprises", "links", "projects", "signals", "repeat")]
        + (["--profile"] if args.profile else [])
    )
    with throwaway_database(base, "zs_targeting_bench") as database:
        _, code = run_child(command, os.environ | {"DATABASE_URL": database, "DJANGO_ENV": "test"})
    sys.exit(code)


if __name__ == "__main__":
    main()
