"""Benchmark of the public site (issue 21): with the demo content of `make run`, the median time of a public page
served from the page cache (target < 50 ms), next to the median of the same page rendered without it. Runs on a
throwaway SQLite database in var/ with the configured cache backend (local memory unless REDIS_URL is set).

    DJANGO_ENV=test .venv/bin/python bench/portal_bench.py [--repeat 200]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_ENV", "test")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="portal_bench_")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

PAGES = ["/en/invest/", "/invest/regions/532300/", "/en/invest/regions/532302/", "/invest/parks/"]


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from zhaoshang.core.testing import load_platform_data
    from zhaoshang.portal.demo import seed_demo_portal
    from zhaoshang.portal.models import ProjectListing

    call_command("migrate", verbosity=0)
    load_platform_data()
    seed_demo_portal()
    listing = ProjectListing.objects.published().first()
    pages = [*PAGES, f"/en/invest/projects/{listing.project_id}/"]
    client = Client()
    print(f"缓存后端：{settings.CACHES['default']['BACKEND']}")
    worst = 0.0
    for url in pages:
        cache.clear()
        uncached = []
        for _ in range(max(5, args.repeat // 20)):
            cache.clear()
            uncached.append(timed(client, url))
        client.get(url)  # fills the cache
        hits = [timed(client, url) for _ in range(args.repeat)]
        assert client.get(url)["X-Portal-Cache"] == "hit"
        median = statistics.median(hits)
        worst = max(worst, median)
        print(f"{url:40s} 缓存命中中位数 {median:6.2f} ms   未缓存中位数 {statistics.median(uncached):7.2f} ms")
    print(f"公开页面缓存命中中位数（最慢页面）：{worst:.2f} ms（目标 < 50 ms）{'达标' if worst < 50 else '未达标'}")


if __name__ == "__main__":
    main()
