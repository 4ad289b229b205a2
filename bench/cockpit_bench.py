"""Benchmark of the province cockpit (issue 5): with N demo projects (default 200,000) and their ledger on a
throwaway PostgreSQL database, the median time of the cockpit request for province_admin, the median of the
single fastest SQL aggregate that returns the headline numbers, their ratio (target ≤ 2×), and the number of
queries the cockpit issues.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/cockpit_bench.py
        [--projects 200000] [--repeat 7]
"""

import argparse
import os
import statistics
import sys
import time

from _support import ROOT, run_child, throwaway_database

HEADLINE_SQL = """
SELECT SUM(e.outside_province_wan), SUM(e.outside_prefecture_wan), SUM(e.amount_wan)
FROM projects_fundingentry e JOIN projects_project p ON p.id = e.project_id
WHERE e.month BETWEEN %s AND %s AND p.merged_into_id IS NULL AND p.category = 'industry'
  AND (e.reverses_id IS NULL OR EXISTS (SELECT 1 FROM projects_correctionapproval a
                                         WHERE a.entry_id = e.id AND a.decision = 'approved'))
"""


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.projects.models import FundingEntry

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_platform_data()
    call_command("seed_demo", projects=args.projects, seed=2026, verbosity=0)
    print(f"setup: {time.perf_counter() - started:.0f} s, ledger entries: {FundingEntry.objects.count():,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    today = timezone.localdate()
    client = Client()
    client.force_login(persona("province_admin"))
    url = f"/dashboard/?year={today.year}&month={today.month}"
    from django.core.cache import cache

    client.get(url)  # warm-up
    cold = []
    for _ in range(args.repeat):
        cache.clear()  # as after a write: the audit head moved, so the figures are computed again
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        cold.append(time.perf_counter() - t)
    page = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        page.append(time.perf_counter() - t)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with CaptureQueriesContext(connection) as cached_queries:
        client.get(url)
    bare = []
    start, end = today.replace(month=1, day=1), today
    with connection.cursor() as cursor:
        for _ in range(args.repeat):
            t = time.perf_counter()
            cursor.execute(HEADLINE_SQL, [start, end])
            cursor.fetchall()
            bare.append(time.perf_counter() - t)
    p, c, b = statistics.median(page), statistics.median(cold), statistics.median(bare)
    print(f"single headline SQL aggregate median: {b * 1000:.1f} ms")
    print(f"cockpit request median, repeated (data unchanged): {p * 1000:.1f} ms -> ratio {p / b:.2f}x (target ≤ 2x)")
    print(f"cockpit request median, first after a write (recomputed): {c * 1000:.1f} ms -> ratio {c / b:.1f}x")
    print(f"queries per request: {len(queries)} recomputed, {len(cached_queries)} repeated")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (this benchmark is about PostgreSQL)")
    command = [sys.executable, __file__, "--child", "--projects", str(args.projects), "--repeat", str(args.repeat)]
    with throwaway_database(base, "bench_cockpit") as database:
        _, code = run_child(command, os.environ | {"DATABASE_URL": database, "DJANGO_ENV": "test"})
    sys.exit(code)


if __name__ == "__main__":
    main()
