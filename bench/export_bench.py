"""Benchmark of a large Excel export (issue 19): the project list's export (``ScopedListView.export``, the path
every list export takes) of 10,000 and of 100,000 rows as province_admin, each in a fresh process, printing its time
and the process's peak memory (RSS) above what it held before the export. Target: constant memory, i.e. the
100,000-row export's peak growth at most 1.5× the 10,000-row one's (it grew tenfold, to 1.1 GB, when every cell was
an object in memory); the script exits 1 when it misses. ``--old`` times the former in-memory writer
(``workbook_bytes``) on the same rows, for comparison.

Needs a database that holds at least 100,000 projects (``seed_demo``), e.g. the one the cockpit benchmark seeds:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<seeded> DJANGO_ENV=test .venv/bin/python bench/export_bench.py
        [--rows 10000 100000] [--old]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from _support import RESULT, ROOT

TARGET = 1.5


def child(rows: int, old: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    import django

    django.setup()
    from django.test import RequestFactory

    import zhaoshang.core.excel as excel
    from zhaoshang.core.testing import persona
    from zhaoshang.projects.views import ProjectListView

    class Limited(ProjectListView):
        def get_queryset(self):
            return super().get_queryset()[:rows]

    if old:  # the writer before issue 19: every cell an object in memory, the file built in a BytesIO
        from zhaoshang.core import views

        def old_file(**kwargs):
            from io import BytesIO

            return BytesIO(excel.workbook_bytes(**kwargs))

        views.workbook_file = old_file
    request = RequestFactory().get("/projects/", {"export": "xlsx"})
    request.user = persona("province_admin")
    view = Limited()
    view.setup(request)
    view.get_queryset().count()  # connection and per-process caches warm, as in a serving process
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = view.export()
    size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"rows": rows, "seconds": seconds, "growth_mb": (peak - before) / 1024, "peak_mb": peak / 1024}
    print(RESULT + json.dumps(result | {"bytes": size, "streamed": response.streaming}))


def measure(rows: int, old: bool) -> dict:
    command = [sys.executable, __file__, "--child", str(rows)] + (["--old"] if old else [])
    process = subprocess.run(
        command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=os.environ | {"DJANGO_ENV": "test"}
    )
    lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT)]
    if process.returncode or not lines:
        sys.exit(f"export of {rows} rows failed (exit {process.returncode})")
    return json.loads(lines[-1][len(RESULT) :])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--old", action="store_true", help="also time the former in-memory writer")
    parser.add_argument("--child", type=int)
    args, _ = parser.parse_known_args()
    if args.child:
        child(args.child, "--old" in sys.argv)
        return
    small, large = args.rows
    modes = [False, True] if args.old else [False]
    results = {}
    for old in modes:
        label = "former in-memory writer" if old else "write-only, streamed"
        for rows in (small, large):
            r = measure(rows, old)
            results[(old, rows)] = r
            print(
                f"{label}: {r['rows']:,} rows in {r['seconds']:.1f} s ({r['rows'] / r['seconds']:,.0f} rows/s), "
                f"peak RSS {r['peak_mb']:.0f} MB (+{r['growth_mb']:.0f} MB during the export), "
                f"{r['bytes'] / 1e6:.1f} MB file, {'streamed' if r['streamed'] else 'in one piece'}",
                flush=True,
            )
    ratio = max(results[(False, large)]["growth_mb"], 1) / max(results[(False, small)]["growth_mb"], 1)
    print(f"memory growth {large:,} rows / {small:,} rows: {ratio:.2f}x (target ≤ {TARGET}x: constant memory)")
    if ratio > TARGET:
        print("MISSED: the export's memory grows with its rows")
        sys.exit(1)
    print("target met")


if __name__ == "__main__":
    main()
