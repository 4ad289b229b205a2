"""Admission check (准入): project facts → ``pass`` / ``review`` (慎招) / ``reject`` (不招), the rules that fired
with their evidence quoted in its clause, and what was not checked. The rules are those of 附件1 二 and 总体要求
of the 2022-12-01 opinion:

- ``prohibited`` / ``restricted`` / ``eliminated``: items of 《产业结构调整指导目录（2024年本）》 and of the 2012
  禁止 / 限制用地项目目录, some with a size threshold (二（一）);
- ``overcapacity``: new capacity in a severe-overcapacity industry without a secured 产能置换 (二（二）);
- ``intensity`` / ``tax_per_mu``: 投资强度 or 预期亩均税收 below the standard of the park, county or province,
  applied only to the land kinds the standard covers (二（三）);
- ``credit``: the investor is on the 失信 register (二（四））;
- ``security_ecology``: harm to national or ecological security or the public interest (二（五））;
- 慎招 rules (``farmer_benefit``, ``raw_material_only``, ``short_term_gdp``) → review.

Words are read in their clause (``reading``): harmful evidence counts unless negated, exonerating evidence only
when affirmed and not merely planned.
"""

from zhaoshang.catalog.admission.checker import AdmissionChecker, get_checker, reset_checker
from zhaoshang.catalog.admission.rules import CompiledRule, SizeLimit
from zhaoshang.catalog.admission.verdict import (
    PASS,
    REJECT,
    REVIEW,
    RULE_LABELS,
    AdmissionResult,
    Finding,
    ProjectFacts,
    Thresholds,
)

__all__ = [
    "PASS",
    "REJECT",
    "REVIEW",
    "RULE_LABELS",
    "AdmissionChecker",
    "AdmissionResult",
    "CompiledRule",
    "Finding",
    "ProjectFacts",
    "SizeLimit",
    "Thresholds",
    "get_checker",
    "reset_checker",
]
