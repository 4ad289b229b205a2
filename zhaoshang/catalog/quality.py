"""The labelled set of project descriptions and its evaluation (top-1 accuracy, admission confusion matrix),
shared by the quality test and bench/catalog_bench.py."""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from zhaoshang.catalog.admission import PASS, REJECT, REVIEW, AdmissionChecker, ProjectFacts, Thresholds
from zhaoshang.catalog.reference import DEFAULT_MIN_INTENSITY, DEFAULT_MIN_TAX

TESTS = Path(__file__).resolve().parent / "tests"
LABELLED = TESTS / "labelled_projects.jsonl"  # written with the vocabulary (issue 6)
# Written by a separate author from the policy texts, without reading the rules (issue 12): the honest measure.
LABELLED_ADMISSION = TESTS / "labelled_admission_cases.jsonl"
VERDICTS = (PASS, REVIEW, REJECT)


def load_labelled(path: Path = LABELLED) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_all_labelled() -> list[dict]:
    return load_labelled(LABELLED) + load_labelled(LABELLED_ADMISSION)


def default_thresholds() -> Thresholds:
    return Thresholds(DEFAULT_MIN_INTENSITY, DEFAULT_MIN_TAX, "全省默认值")


def facts_of(case: dict) -> ProjectFacts:
    def dec(key):
        value = case.get(key)
        return None if value is None else Decimal(str(value))

    return ProjectFacts(
        name=case["name"],
        description=case.get("description", ""),
        total_investment_wan=dec("total_investment_wan"),
        land_mu=dec("land_mu"),
        expected_annual_tax_wan=dec("expected_annual_tax_wan"),
        investor_credit=case.get("investor_credit"),
        land_kind=case.get("land_kind", ""),
    )


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    matrix: dict = field(default_factory=lambda: {e: dict.fromkeys(VERDICTS, 0) for e in VERDICTS})
    verdict_misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return round(self.correct / self.total, 4) if self.total else 0.0

    @property
    def wrongly_passed(self) -> int:
        return self.matrix[REJECT][PASS]

    def render(self) -> str:
        lines = [f"样本数: {self.total}", f"分类 top-1 准确率: {self.accuracy:.1%}（{self.correct}/{self.total}）"]
        lines += [f"  分类错误: {m}" for m in self.misses]
        lines.append("准入混淆矩阵（行=期望，列=结论）:")
        lines.append("          " + "".join(f"{v:>8}" for v in VERDICTS))
        for expected in VERDICTS:
            lines.append(f"  {expected:>8}" + "".join(f"{self.matrix[expected][v]:>8}" for v in VERDICTS))
        lines += [f"  结论不符: {m}" for m in self.verdict_misses]
        return "\n".join(lines)


def evaluate(checker: AdmissionChecker, cases: list[dict]) -> Report:
    report = Report()
    thresholds = default_thresholds()
    for case in cases:
        result = checker.check(facts_of(case), thresholds)
        predicted = result.classification.top_name
        report.total += 1
        if predicted == case["expected_industry"]:
            report.correct += 1
        else:
            report.misses.append(f"{case['id']} {case['name']}: 期望 {case['expected_industry']}，得到 {predicted}")
        report.matrix[case["expected_verdict"]][result.verdict] += 1
        if result.verdict != case["expected_verdict"]:
            report.verdict_misses.append(
                f"{case['id']} {case['name']}: 期望 {case['expected_verdict']}，得到 {result.verdict} {result.rules}"
            )
    return report
