"""The labelled placement set (``tests/labelled_placements.jsonl``) and its evaluation: precision and recall of node
placement, shared by the quality test and ``bench/chains_bench.py``.

Each case is a project (name, description) or an enterprise (name, notes) with the nodes it belongs on, in every
chain where its product lives (磷酸铁锂 is on the battery, the new-materials and the phosphorus chains). Strict:
a predicted ``chain/node`` counts when it is expected. Lenient: also when it is an ancestor or a descendant of an
expected node (placed on the module instead of the product). Cases with no expected node (real estate, a denial,
a dismantled line) must get none."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from zhaoshang.chains.placement import Matcher, enterprise_sources, project_sources, specs_from_files

LABELLED = Path(__file__).resolve().parent / "tests" / "labelled_placements.jsonl"


def load_cases(path: Path = LABELLED) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Report:
    cases: int = 0
    predicted: int = 0
    expected: int = 0
    true_positive: int = 0
    lenient_positive: int = 0
    lenient_found: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 0.0

    @property
    def lenient_precision(self) -> float:
        return self.lenient_positive / self.predicted if self.predicted else 0.0

    @property
    def lenient_recall(self) -> float:
        return self.lenient_found / self.expected if self.expected else 0.0

    def render(self, *, details: bool = True) -> str:
        lines = [
            f"样本 {self.cases} 条，期望挂链 {self.expected} 个，识别出 {self.predicted} 个",
            f"严格（节点完全一致）：精确率 {self.precision:.1%}，召回率 {self.recall:.1%}",
            f"宽松（同一分支的上级或下级也算）：精确率 {self.lenient_precision:.1%}，召回率 {self.lenient_recall:.1%}",
        ]
        if details:
            lines += [f"  {m}" for m in self.misses]
        return "\n".join(lines)


def evaluate(cases: list[dict] | None = None) -> Report:
    cases = load_cases() if cases is None else cases
    specs, names = specs_from_files()
    matcher = Matcher(specs)
    by_name = {name: pk for pk, name in names.items()}
    lineage = {s.id: set(s.ancestors) for s in specs}
    report = Report()
    for case in cases:
        if case["kind"] == "project":
            sources = project_sources(name=case["name"], description=case.get("description", ""))
        else:
            sources = enterprise_sources(name=case["name"], notes=case.get("notes", ""))
        predicted = {m.node_id for m in matcher.place(sources)}
        expected = {by_name[key] for key in case["expected"]}
        related = {e: {e} | lineage[e] | {n for n, ancestors in lineage.items() if e in ancestors} for e in expected}
        report.cases += 1
        report.predicted += len(predicted)
        report.expected += len(expected)
        report.true_positive += len(predicted & expected)
        report.lenient_positive += sum(1 for p in predicted if any(p in r for r in related.values()))
        report.lenient_found += sum(1 for r in related.values() if predicted & r)
        if predicted != expected:
            extra = "、".join(sorted(names[p] for p in predicted - expected)) or "—"
            missing = "、".join(sorted(names[e] for e in expected - predicted)) or "—"
            report.misses.append(f"{case['id']} {case['name']}：多出 {extra}；缺少 {missing}")
    return report
