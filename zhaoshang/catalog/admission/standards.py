"""Land standards (投资强度, 亩均税收): applied only to the land kinds the standard covers."""

from zhaoshang.catalog.admission.verdict import (
    NOTE,
    REJECT,
    REVIEW,
    UNCHECKED,
    AdmissionResult,
    Finding,
    ProjectFacts,
    Thresholds,
)
from zhaoshang.catalog.land import NON_INDUSTRIAL, UNKNOWN, LandReader, LandUse
from zhaoshang.catalog.reading import Reading, normalize
from zhaoshang.core.formatting import figure


def land_use_findings(
    land_reader: LandReader, facts: ProjectFacts, thresholds: Thresholds, result: AdmissionResult, reading: Reading
) -> list[Finding]:
    """附件1 二（三）: 投资强度 and 亩均税收 against the standard, for the land kinds the standard covers."""
    land = facts.land_mu
    if land is None or land <= 0:
        return [Finding("intensity", UNCHECKED, "未填写用地面积（亩），未校验投资强度和亩均税收。")]
    explicit = facts.min_intensity_wan_per_mu is not None or facts.min_tax_wan_per_mu is not None
    use = land_kind(land_reader, facts, result, reading)
    covered = explicit or use.kind in thresholds.land_kinds or use.kind == UNKNOWN
    if not covered:
        covers = "、".join(land_reader.label(k) for k in thresholds.land_kinds)
        reason = (
            f"投资强度和亩均税收不适用：项目用地为{use.label}（{use.basis}），"
            f"而标准（{thresholds.basis}）只适用于{covers}，未按其校验。"
        )
        return [Finding("intensity", UNCHECKED, reason)]
    findings = []
    min_intensity = facts.min_intensity_wan_per_mu or thresholds.min_intensity_wan_per_mu
    min_tax = facts.min_tax_wan_per_mu or thresholds.min_tax_wan_per_mu
    basis = "本次提交的标准" if explicit else thresholds.basis
    # Land that mixes industrial with farm, scenic or station land is not measured as a whole: a shortfall
    # asks for review (the industrial part's own figures decide), it does not refuse.
    effect, action = (REVIEW, "用地含非工业部分，请按工业用地部分核实") if use.mixed_with else (REJECT, "一律不招")
    mixed = f"（用地含{use.mixed_with}）" if use.mixed_with else ""
    if facts.total_investment_wan is not None:
        intensity = facts.total_investment_wan / land
        if intensity < min_intensity:
            reason = (
                f"投资强度 {figure(intensity)} 万元/亩（总投资 {figure(facts.total_investment_wan)} 万元 ÷ "
                f"{figure(land)} 亩），低于标准 {figure(min_intensity)} 万元/亩（{basis}）{mixed}，"
                f"{action}（附件1 二（三））。"
            )
            findings.append(Finding("intensity", effect, reason, [f"{figure(intensity)}万元/亩"]))
    else:
        findings.append(Finding("intensity", UNCHECKED, "未填写投资额，未校验投资强度。"))
    if facts.expected_annual_tax_wan is not None:
        tax = facts.expected_annual_tax_wan / land
        if tax < min_tax:
            reason = (
                f"预期亩均税收 {figure(tax)} 万元/亩（年税收 {figure(facts.expected_annual_tax_wan)} 万元 ÷ "
                f"{figure(land)} 亩），低于标准 {figure(min_tax)} 万元/亩（{basis}）{mixed}，"
                f"{action}（附件1 二（三））。"
            )
            findings.append(Finding("tax_per_mu", effect, reason, [f"{figure(tax)}万元/亩"]))
    else:
        findings.append(Finding("tax_per_mu", UNCHECKED, "未填写预期年税收，未校验亩均税收。"))
    if use.kind == UNKNOWN and not explicit:
        findings.append(Finding("intensity", NOTE, "项目文字未说明用地用途，按工业用地标准校验。"))
    return findings


def land_kind(land_reader: LandReader, facts: ProjectFacts, result: AdmissionResult, reading: Reading) -> LandUse:
    name_end = len(normalize(facts.name))
    use = land_reader.decide(reading=reading, name_end=name_end, stated=facts.land_kind, section=facts.industry_section)
    if use.kind == UNKNOWN and result.classification.kind == NON_INDUSTRIAL:
        return land_reader.non_industrial()
    return use
