"""Benchmark of the province cockpit (issue 5, issue 19): with N demo projects (default 200,000, about 2,000,000
ledger entries) on a throwaway PostgreSQL database, the median time of the cockpit request for province_admin right
after a write to the ledger (an entry recorded through ``funding_record``, untimed, before each timed request), the
median of the fastest SQL that returns the headline figure from the ledger (several formulations are timed, the
fastest counts), their ratio (target ≤ 2×; the script exits 1 when it misses), the request after a sign-in (which
must not recompute the figures), and the number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test .venv/bin/python bench/cockpit_bench.py
        [--projects 200000] [--repeat 7]
"""

import argparse
import os
import statistics
import sys
import time

from _support import ROOT, run_child, throwaway_database

TARGET = 2.0
COUNTED = """(e.reverses_id IS NULL OR EXISTS (SELECT 1 FROM projects_correctionapproval a
                                           WHERE a.entry_id = e.id AND a.decision = 'approved'))"""
# The headline 省外到位资金（产业类） of the province, January to the month, straight from the ledger: the
# formulations a DBA would try; the fastest is the baseline.
HEADLINE_SQL = {
    "three sums, EXISTS": f"""
        SELECT SUM(e.outside_province_wan), SUM(e.outside_prefecture_wan), SUM(e.amount_wan)
        FROM projects_fundingentry e JOIN projects_project p ON p.id = e.project_id
        WHERE e.month BETWEEN %s AND %s AND p.merged_into_id IS NULL AND p.category = 'industry' AND {COUNTED}""",
    "one sum, EXISTS": f"""
        SELECT SUM(e.outside_province_wan)
        FROM projects_fundingentry e JOIN projects_project p ON p.id = e.project_id
        WHERE e.month BETWEEN %s AND %s AND p.merged_into_id IS NULL AND p.category = 'industry' AND {COUNTED}""",
    "one sum, LEFT JOIN": """
        SELECT SUM(e.outside_province_wan)
        FROM projects_fundingentry e JOIN projects_project p ON p.id = e.project_id
        LEFT JOIN projects_correctionapproval a ON a.entry_id = e.id
        WHERE e.month BETWEEN %s AND %s AND p.merged_into_id IS NULL AND p.category = 'industry'
          AND (e.reverses_id IS NULL OR a.decision = 'approved')""",
    "one sum, IN": """
        SELECT SUM(e.outside_province_wan) FROM projects_fundingentry e
        WHERE e.month BETWEEN %s AND %s
          AND e.project_id IN (SELECT id FROM projects_project WHERE merged_into_id IS NULL AND category = 'industry')
          AND (e.reverses_id IS NULL
               OR e.id IN (SELECT entry_id FROM projects_correctionapproval WHERE decision = 'approved'))""",
}


def _write_one(today, state: dict) -> None:
    """One ledger entry through the service, as a county officer's would be (committed: autocommit)."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from zhaoshang.core.testing import persona
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services.ledger import funding_record

    actor = persona("province_admin")
    candidates = Project.objects.filter(merged_into__isnull=True, first_signed_on__isnull=False)
    for project in candidates.order_by("-id")[state.setdefault("skip", 0) : state["skip"] + 50]:
        try:
            funding_record(
                actor=actor,
                project=project,
                month=today.replace(day=1),
                amount_wan=Decimal("1.00"),
                outside_province_wan=Decimal("1.00"),
            )
            return
        except ValidationError:
            state["skip"] += 1
    raise RuntimeError("no project took a ledger entry")


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

    from zhaoshang.core.audit import audit_record
    from zhaoshang.core.choices import Action
    from zhaoshang.core.testing import load_platform_data, persona
    from zhaoshang.projects.models import FundingEntry

    started = time.perf_counter()
    if not args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        load_platform_data()
        call_command("seed_demo", projects=args.projects, seed=2026, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"setup: {time.perf_counter() - started:.0f} s, ledger entries: {FundingEntry.objects.count():,}")
    today = timezone.localdate()
    admin = persona("province_admin")
    client = Client()
    client.force_login(admin)
    url = f"/dashboard/?year={today.year}&month={today.month}"
    client.get(url)  # warm-up
    state: dict = {}
    after_write = []
    for _ in range(args.repeat):
        _write_one(today, state)
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        after_write.append(time.perf_counter() - t)
    page = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        page.append(time.perf_counter() - t)
    after_login = []
    for _ in range(args.repeat):
        audit_record(actor=admin, action=Action.LOGIN)  # what a sign-in anywhere appends
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        after_login.append(time.perf_counter() - t)
    _write_one(today, state)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    with CaptureQueriesContext(connection) as cached_queries:
        client.get(url)
    start, end = today.replace(month=1, day=1), today
    bare = {}
    with connection.cursor() as cursor:
        for name, sql in HEADLINE_SQL.items():
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                cursor.execute(sql, [start, end])
                cursor.fetchall()
                times.append(time.perf_counter() - t)
            bare[name] = statistics.median(times)
            print(f"headline SQL ({name}) median: {bare[name] * 1000:.1f} ms")
    fastest = min(bare, key=bare.get)
    b = bare[fastest]
    p, w, login = statistics.median(page), statistics.median(after_write), statistics.median(after_login)
    print(f"fastest single headline SQL aggregate ({fastest}): {b * 1000:.1f} ms")
    print(f"cockpit request median, repeated (data unchanged): {p * 1000:.1f} ms -> {p / b:.2f}x")
    print(f"cockpit request median, after a sign-in: {login * 1000:.1f} ms -> {login / b:.2f}x")
    print(f"cockpit request median, first after a ledger write: {w * 1000:.1f} ms -> {w / b:.2f}x (target ≤ {TARGET}x)")
    print(f"queries per request: {len(queries)} after a write, {len(cached_queries)} repeated")
    if w / b > TARGET:
        print(f"MISSED: cockpit after a write {w / b:.2f}x the fastest headline SQL (target ≤ {TARGET}x)")
        sys.exit(1)
    print("target met")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="DATABASE_URL is a database seeded already (seed_demo): time it as it is"
    )
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (this benchmark is about PostgreSQL)")
    command = [sys.executable, __file__, "--child", "--projects", str(args.projects), "--repeat", str(args.repeat)]
    if args.reuse:
        _, code = run_child([*command, "--reuse"], os.environ | {"DJANGO_ENV": "test"})
        sys.exit(code)
    with throwaway_database(base, "bench_cockpit") as database:
        _, code = run_child(command, os.environ | {"DATABASE_URL": database, "DJANGO_ENV": "test"})
    sys.exit(code)


if __name__ == "__main__":
    main()
