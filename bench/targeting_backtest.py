"""Backtest of 靶向寻商 (issue 16) on the projects the database really holds: each counted project (签约 or later)
whose investor is placed on a chain is hidden (marked merged into another project, which every read of the
diagnosis and the targeting leaves out), and the investor's rank is read in the ranking of the project's county for
the project's chain, over the whole chain and for the project's own node. Prints recall at 10 and 50 and the median
rank; an investor the ranking does not find once its project is hidden counts as a miss.

Runs against the configured database (``make run``'s SQLite by default) and changes nothing (every hiding is rolled
back). Deterministic: projects in id order, ``--limit`` of them spread evenly.

    VAR_DIR=... DJANGO_ENV=development .venv/bin/python bench/targeting_backtest.py [--limit 200]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from zhaoshang.chains.choices import Decision
    from zhaoshang.chains.models import EnterpriseNodeLink, ProjectNodeLink
    from zhaoshang.chains.selectors import SIGNED_OR_LATER, area_of
    from zhaoshang.chains.targeting_selectors import targeting_for
    from zhaoshang.projects.models import Project

    year = timezone.localdate().year
    cases = []
    for project in (
        Project.objects.filter(merged_into=None, stage__in=SIGNED_OR_LATER)
        .select_related("county", "investor")
        .order_by("pk")
    ):
        link = (
            ProjectNodeLink.objects.filter(project=project, node__chain__status="current", decision=Decision.CONFIRMED)
            .select_related("node__chain")
            .order_by("pk")
            .first()
        )
        if link is None:
            link = (
                EnterpriseNodeLink.objects.filter(
                    enterprise_id=project.investor_id, node__chain__status="current", decision=Decision.CONFIRMED
                )
                .select_related("node__chain")
                .order_by("pk")
                .first()
            )
        if link is not None:
            cases.append((project, link.node))
    if not cases:
        sys.exit("no counted project is placed on a chain: run make run's setup (seed_demo_chains) first")
    step = max(len(cases) // args.limit, 1)
    cases = cases[::step][: args.limit]
    other = Project.objects.order_by("pk").values_list("pk", flat=True).first()
    chain_ranks, node_ranks = [], []
    started = time.perf_counter()
    for project, node in cases:
        try:
            with transaction.atomic():
                Project.objects.filter(pk=project.pk).update(merged_into_id=other if other != project.pk else None)
                area = area_of(project.county)
                for target, kwargs in ((chain_ranks, {}), (node_ranks, {"node": node})):
                    t = targeting_for(chain=node.chain, area=area, year=year, **kwargs)
                    ids = [facts.enterprise_id for _, facts in t.ranked]
                    target.append(ids.index(project.investor_id) + 1 if project.investor_id in ids else None)
                raise Rollback
        except Rollback:
            pass
    elapsed = time.perf_counter() - started

    def report(label, ranks):
        found = [r for r in ranks if r is not None]
        n = len(ranks)
        at10 = sum(1 for r in found if r <= 10) / n
        at50 = sum(1 for r in found if r <= 50) / n
        median = statistics.median(found) if found else None
        print(
            f"{label}: {n} projects hidden; recall@10 {at10:.1%}, recall@50 {at50:.1%}; "
            f"found at all {len(found) / n:.1%}; median rank when found {median}"
        )

    print(f"backtest on {len(cases)} counted projects placed on a chain ({elapsed:.1f} s)")
    report("whole chain, project's county", chain_ranks)
    report("project's node (and below), project's county", node_ranks)


if __name__ == "__main__":
    main()
