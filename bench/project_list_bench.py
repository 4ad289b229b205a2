"""Benchmark of the project list page with many projects on PostgreSQL, as ``province_admin``.

Creates a throwaway ``bench_projects_<pid>`` database (dropped at the end, also on failure), migrates it, loads the
reference data and demo accounts, seeds ``--projects`` demo projects with ``seed_demo``, then requests the list
page (Django test Client, ``force_login``) unfiltered and with realistic filters, ``--repeat`` times each after a
warm-up. For each case it prints the median page time, the median time of the bare SQL the page needs (the page's
own statements, captured with ``CaptureQueriesContext`` and re-executed with a raw cursor), their ratio (target
≤ 3×) and the number of SQL queries per page, for page 1, a later page and other page sizes (it must not change).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DJANGO_ENV=test \\
        .venv/bin/python bench/project_list_bench.py [--projects 200000] [--repeat 15]
"""

import argparse
import json
import os
import re
import sys

from _support import RESULT, ROOT, run_child, throwaway_database

TARGET = 3.0


def _child(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_ENV", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    import statistics
    import time

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from zhaoshang.accounts.models import User
    from zhaoshang.catalog.models import KeyIndustry

    settings.ALLOWED_HOSTS = ["*"]
    assert connection.vendor == "postgresql", "this benchmark runs on PostgreSQL (set DATABASE_URL)"
    if not args.reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference_data", stdout=open(os.devnull, "w"))
        call_command("create_demo_accounts", stdout=open(os.devnull, "w"))
        print(f"建库、参考数据与演示账号: {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", projects=args.projects, seed=2026, stdout=open(os.devnull, "w"))
        seeded = time.perf_counter() - started
        print(
            f"seed_demo --projects {args.projects}: {seeded:.1f} s（{args.projects / seeded:,.0f} 项目/秒）", flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    client = Client()
    client.force_login(User.objects.get(username="province_admin"))
    url = reverse("projects:project_list")
    industry = KeyIndustry.objects.order_by("sort_order").first()
    today = time.localtime()
    cases = {
        "不筛选": {},
        "阶段=开工 + 重点产业": {"stage": "under_construction", "key_industry": str(industry.pk)},
        "10亿元以上": {"band": "10yi"},
        "签约日期区间（去年全年）": {
            "signed_from": f"{today.tm_year - 1}-01-01",
            "signed_to": f"{today.tm_year - 1}-12-31",
        },
        "10亿元以上 + 按金额排序": {"band": "10yi", "sort": "-amount"},
    }

    def page(params):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed, [q["sql"] for q in captured.captured_queries], response

    def bare(statements):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
        return time.perf_counter() - started

    results = {"projects": args.projects, "cases": {}}
    for label, params in cases.items():
        for _ in range(2):  # warm-up: caches, prepared plans, the catalogue
            page(params)
        pages, sqls = [], []
        for _ in range(args.repeat):
            elapsed, statements, response = page(params)
            pages.append(elapsed)
            sqls.append(bare(statements))
        found = re.search(r"共 (\d+) 条，第 \d+/(\d+) 页", response.content.decode())
        total, last = (int(found[1]), int(found[2])) if found else (0, 1)
        counts = {"第1页": len(statements)}
        if last > 1:
            counts[f"第{min(last, 40)}页"] = len(page(params | {"page": str(min(last, 40))})[1])
        for size in (20, 100):
            counts[f"每页{size}条"] = len(page(params | {"page_size": str(size)})[1])
        page_ms, sql_ms = statistics.median(pages) * 1000, statistics.median(sqls) * 1000
        ratio = page_ms / sql_ms
        results["cases"][label] = {
            "rows": total,
            "page_ms": page_ms,
            "sql_ms": sql_ms,
            "ratio": ratio,
            "queries": counts,
        }
        print(
            f"{label}: {total:,} 条；页面中位数 {page_ms:.1f} ms，裸SQL中位数 {sql_ms:.1f} ms，"
            f"比值 {ratio:.2f}×（目标 ≤ {TARGET:.0f}×）{'' if ratio <= TARGET else ' 未达标'}；"
            f"SQL条数 " + "，".join(f"{k} {v}" for k, v in counts.items()),
            flush=True,
        )
        if len(set(counts.values())) != 1:
            print(f"  警告：{label} 的SQL条数随页码或每页条数变化", flush=True)
    if args.show_sql:
        for sql in statements:
            print("  SQL:", sql[:300])
    print(RESULT + json.dumps(results, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--show-sql", action="store_true", help="print the last case's SQL")
    parser.add_argument(
        "--reuse", action="store_true", help="DATABASE_URL is a database seeded already (seed_demo): time it as it is"
    )
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL 须指向 PostgreSQL（例如 postgres://postgres@127.0.0.1:5432/postgres）")
    command = [sys.executable, __file__, "--child", "--projects", str(args.projects), "--repeat", str(args.repeat)]
    if args.show_sql:
        command.append("--show-sql")
    if args.reuse:
        command.append("--reuse")
        result, code = run_child(command, dict(os.environ, DJANGO_ENV="test"))
    else:
        with throwaway_database(url, "bench_projects") as database:
            result, code = run_child(command, dict(os.environ, DATABASE_URL=database, DJANGO_ENV="test"))
    if code:
        sys.exit(code)
    print("\n== 汇总 ==")
    for label, case in result["cases"].items():
        print(
            f"{label:>16}: 页面 {case['page_ms']:.1f} ms / 裸SQL {case['sql_ms']:.1f} ms = {case['ratio']:.2f}×，"
            f"SQL {sorted(set(case['queries'].values()))} 条/页"
        )

    missed = [label for label, case in result["cases"].items() if case["ratio"] > TARGET]
    if missed:
        print(f"未达标（目标 ≤ {TARGET:.0f}×）: " + "、".join(missed))
        sys.exit(1)
    print(f"全部达标（目标 ≤ {TARGET:.0f}×）")


if __name__ == "__main__":
    main()
