"""Benchmark and quality report of the industry classifier and the admission checker.

Prints, for each labelled set — the vocabulary authors' (labelled_projects.jsonl) and a separate author's
(labelled_admission_cases.jsonl, issue 12) — top-1 accuracy and the admission confusion matrix, then texts classified
per second and admission checks per second (single process, with every rule shipped: the curated rules and the
national-list items of catalog_items.json).

    .venv/bin/python bench/catalog_bench.py
"""

import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from zhaoshang.catalog.quality import LABELLED, LABELLED_ADMISSION, evaluate, load_labelled  # noqa: E402


def main() -> None:
    from zhaoshang.catalog.admission import AdmissionChecker, ProjectFacts
    from zhaoshang.catalog.classifier import Classifier
    from zhaoshang.catalog.quality import default_thresholds

    started = time.perf_counter()
    classifier = Classifier.from_files()
    checker = AdmissionChecker.from_files(classifier)
    print(f"载入词表与规则: {time.perf_counter() - started:.2f} s，规则 {len(checker.rules)} 条")
    reports = {}
    for label, path in (("词表作者的样本", LABELLED), ("独立作者的准入样本", LABELLED_ADMISSION)):
        print(f"== {label}（{path.name}）")
        reports[path.name] = evaluate(checker, load_labelled(path))
        print(reports[path.name].render())
    cases = load_labelled(LABELLED) + load_labelled(LABELLED_ADMISSION)

    texts = [(c["name"], c["description"]) for c in cases]
    rounds = max(1, 20000 // len(texts))
    started = time.perf_counter()
    for _ in range(rounds):
        for name, description in texts:
            classifier.classify(name, description)
    elapsed = time.perf_counter() - started
    print(f"分类速度: {rounds * len(texts) / elapsed:,.0f} 条/秒（单进程，{rounds * len(texts)} 条）")

    facts = [
        ProjectFacts(
            name=c["name"],
            description=c["description"],
            total_investment_wan=Decimal(str(c["total_investment_wan"])),
            land_mu=Decimal(str(c["land_mu"])) if c.get("land_mu") is not None else None,
            expected_annual_tax_wan=(
                Decimal(str(c["expected_annual_tax_wan"])) if c.get("expected_annual_tax_wan") is not None else None
            ),
            investor_credit=c.get("investor_credit"),
        )
        for c in cases
    ]
    thresholds = default_thresholds()
    rounds = max(1, 10000 // len(facts))
    started = time.perf_counter()
    for _ in range(rounds):
        for f in facts:
            checker.check(f, thresholds)
    elapsed = time.perf_counter() - started
    print(f"准入校验速度: {rounds * len(facts) / elapsed:,.0f} 次/秒（单进程，{rounds * len(facts)} 次）")
    summary = {name: {"top1": r.accuracy, "wrongly_passed_rejects": r.wrongly_passed} for name, r in reports.items()}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
