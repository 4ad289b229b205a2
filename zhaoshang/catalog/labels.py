"""Admission rules by name: the rule codes the checker reports (``overcapacity``, ``prohibited``, a 慎招 rule's code)
as pages, exports and the audit trail show them. Read from the catalog's own rule data — the checker's labels, the
rule categories, and the titles of the rules in the database or the shipped file — never typed again here."""

import time

from django.db.models import Q

UNKNOWN = "其他准入规则"
CACHE_SECONDS = 300  # as the checker's own cache: an edited rule title shows within five minutes
_cache: dict[str, tuple[float, str]] = {}


def _checker_labels() -> dict:
    from zhaoshang.catalog import admission

    return getattr(admission, "RULE_LABELS", {})


def _title_in_database(code: str) -> str:
    from zhaoshang.catalog.models import AdmissionRule

    condition = Q(code=code)
    if any(f.name == "reports_as" for f in AdmissionRule._meta.fields):
        condition |= Q(reports_as=code)
    return AdmissionRule.objects.filter(condition).order_by("code").values_list("title", flat=True).first() or ""


def _title_in_file(code: str) -> str:
    from zhaoshang.catalog.reference import admission_data

    for rule in admission_data().get("rules", []):
        if code in (rule.get("code"), rule.get("reports_as")):
            return rule.get("title", "")
    return ""


def admission_rule_label(code: str) -> str:
    """``overcapacity`` → 产能严重过剩; ``short_term_gdp`` → 只对短期GDP有贡献; an unknown code → 其他准入规则."""
    from zhaoshang.catalog.models import RuleCategory

    if not code:
        return ""
    cached = _cache.get(code)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    label = (
        _checker_labels().get(code)
        or dict(RuleCategory.choices).get(code)
        or _title_in_database(code)
        or _title_in_file(code)
        or UNKNOWN
    )
    _cache[code] = (time.monotonic(), str(label))
    return str(label)


def admission_rule_labels(codes) -> str:
    """A list of rule codes in words, joined with 、."""
    if isinstance(codes, str):
        codes = [codes]
    return "、".join(admission_rule_label(code) for code in codes or [])
