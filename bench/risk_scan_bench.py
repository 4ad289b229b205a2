"""Benchmark of the risk scan (issue 20 item 3): with N demo projects (default 200,000) on a throwaway PostgreSQL
database, the time of the first full scan (which raises the warnings), of a second one (which finds them again:
updates, no duplicates), and the number of SQL statements each takes — set-based evaluators read a few result sets
per rule, whatever the number of projects. Target: a full re-scan of 200,000 projects in ≤ 60 s and reads that do
not grow with the projects (≤ 4 per rule besides the batched writes); the script exits 1 on a miss.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/risk_scan_bench.py
        [--projects 200000]
"""

import argparse
import math
import os
import sys
import time

from _support import ROOT, run_child, throwaway_database

TARGET_SECONDS = 60.0
READS_PER_RULE = 4
BATCH = 2000


def child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zhaoshang.core.testing import load_platform_data
    from zhaoshang.projects.models import Project
    from zhaoshang.risk.models import RiskRule, RiskWarning
    from zhaoshang.risk.services import risk_scan

    started = time.perf_counter()
    if not args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        load_platform_data()
        call_command("seed_demo", projects=args.projects, seed=2026, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    projects = Project.objects.count()
    print(f"setup: {time.perf_counter() - started:.0f} s, projects: {projects:,}")
    today = timezone.localdate()
    rules = RiskRule.objects.filter(enabled=True).count()
    timings, statements = [], []
    for run in ("first", "second"):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            result = risk_scan(today=today)
            timings.append(time.perf_counter() - t)
        statements.append(len(queries))
        print(
            f"{run} scan: {timings[-1]:.1f} s, {len(queries)} SQL statements; "
            f"created {result.created:,}, updated {result.updated:,}, cleared {result.cleared:,}"
        )
    live = RiskWarning.objects.live().count()
    print(f"live warnings: {live:,} over {rules} enabled rules")
    # Writes come in batches of BATCH rows (bulk_create / bulk_update); everything else is a read or the audit row.
    allowed = rules * READS_PER_RULE + 3 * math.ceil(max(live, 1) / BATCH) * 2 + 20
    missed = []
    if timings[1] > TARGET_SECONDS:
        missed.append(f"re-scan {timings[1]:.1f} s > {TARGET_SECONDS:.0f} s")
    if statements[1] > allowed:
        missed.append(f"re-scan {statements[1]} statements > {allowed}")
    if RiskWarning.objects.live().values("project", "rule").distinct().count() != live:
        missed.append("duplicate live warnings")
    if missed:
        print("MISSED: " + "; ".join(missed))
        sys.exit(1)
    print(f"target met (re-scan ≤ {TARGET_SECONDS:.0f} s, statements ≤ {allowed})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="DATABASE_URL is a database seeded already (seed_demo)")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (this benchmark is about PostgreSQL)")
    command = [sys.executable, __file__, "--child", "--projects", str(args.projects)]
    if args.reuse:
        _, code = run_child([*command, "--reuse"], os.environ | {"DJANGO_ENV": "test"})
        sys.exit(code)
    with throwaway_database(base, "bench_risk") as database:
        _, code = run_child(command, os.environ | {"DATABASE_URL": database, "DJANGO_ENV": "test"})
    sys.exit(code)


if __name__ == "__main__":
    main()
