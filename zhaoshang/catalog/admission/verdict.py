"""What a check answers: the facts it reads, the standards it applies, its findings and verdict, and the words
pages show for them (one place: pages, exports and the audit trail read the labels from here)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from zhaoshang.catalog.classifier import Classification
from zhaoshang.catalog.land import INDUSTRIAL
from zhaoshang.catalog.reading import normalize

PASS, REVIEW, REJECT = "pass", "review", "reject"
NOTE, UNCHECKED = "note", "unchecked"
REJECT_CATEGORIES = ("prohibited", "restricted", "eliminated", "security_ecology")
CATEGORY_LABELS = {
    "prohibited": "禁止类",
    "restricted": "限制类",
    "eliminated": "淘汰类",
    "security_ecology": "危害国家安全、生态安全或公共利益",
    "cautious": "慎招",
}
CATEGORY_CLAUSE = {
    "prohibited": "附件1 二（一）",
    "restricted": "附件1 二（一）",
    "eliminated": "附件1 二（一）",
    "security_ecology": "附件1 二（五）",
    "cautious": "意见 二 总体要求",
}
# What the labels of findings say, in one place (pages, exports, the audit trail read them from here).
RULE_LABELS = {
    "prohibited": "禁止类",
    "restricted": "限制类",
    "eliminated": "淘汰类",
    "overcapacity": "产能严重过剩",
    "intensity": "投资强度不达标",
    "tax_per_mu": "亩均税收不达标",
    "credit": "失信主体",
    "security_ecology": "危害安全或公共利益",
    "short_term_gdp": "只对短期GDP有贡献",
    "farmer_benefit": "农民收益无保障",
    "raw_material_only": "只看重原材料",
}


@dataclass
class ProjectFacts:
    name: str
    description: str = ""
    total_investment_wan: Decimal | None = None
    land_mu: Decimal | None = None
    expected_annual_tax_wan: Decimal | None = None
    min_intensity_wan_per_mu: Decimal | None = None
    min_tax_wan_per_mu: Decimal | None = None
    investor_credit: str | None = None  # "blacklisted" | "ok" | None (unknown)
    investor_credit_evidence: str = ""
    investor_credit_checked: bool = False  # the register was consulted for this investor
    land_kind: str = ""  # stated land kind (a LandKind code), else decided from the class or the words
    industry_section: str = ""  # GB/T 4754 门类 of the project's class, when known

    @property
    def text(self) -> str:
        return normalize(f"{self.name}。{self.description}")


@dataclass
class Thresholds:
    min_intensity_wan_per_mu: Decimal
    min_tax_wan_per_mu: Decimal
    basis: str
    land_kinds: tuple[str, ...] = (INDUSTRIAL,)


@dataclass
class Finding:
    rule: str
    effect: str  # reject | review | note | unchecked
    reason: str
    evidence: list[str] = field(default_factory=list)
    item: str = ""

    def as_dict(self) -> dict:
        return {"rule": self.rule, "effect": self.effect, "item": self.item, "evidence": self.evidence}


class AdmissionResult:
    """The verdict and its findings. The classification is computed when asked for: the verdict needs it only
    for land-use facts, and an import of thousands of rows stores the verdict alone."""

    def __init__(self, verdict: str, findings: list[Finding], classification: Callable[[], Classification]):
        self.verdict = verdict
        self.findings = findings
        self._classify = classification

    @cached_property
    def classification(self) -> Classification:
        return self._classify()

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.findings if f.effect in (REJECT, REVIEW)))

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.findings]

    @property
    def not_checked(self) -> list[str]:
        return [f.reason for f in self.findings if f.effect == UNCHECKED]

    def verdict_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "rules": self.rules,
            "reasons": self.reasons,
            "findings": [f.as_dict() for f in self.findings if f.effect in (REJECT, REVIEW)],
            "not_checked": self.not_checked,
        }

    def as_dict(self) -> dict:
        top = self.classification.top
        return {**self.verdict_dict(), "industry": top.name if top else "非重点产业"}
