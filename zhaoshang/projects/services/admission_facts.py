"""A project's admission facts — what the admission check (准入) reads — and whether an edit changed them.

The check runs when a project is entered and when an edit changes one of these facts. An edit that leaves them as
they were (a typo in the responsible person, the jobs figure, a stalled flag) is not checked again and never
blocked, even when a rule added or tightened since then would refuse the recorded facts: the verdict recorded
stands, and the page shows what today's rules say. Whitespace and a zero amount (the checker's "not given") are
not a change."""

from decimal import Decimal

# project field → what it feeds in the check (a ``catalog.admission.ProjectFacts`` field or an argument of
# ``catalog.services.admission_check``)
ADMISSION_FACTS = {
    "name": "name",
    "description": "description",
    "agreed_investment_wan": "total_investment_wan",
    "land_mu": "land_mu",
    "expected_annual_tax_wan": "expected_annual_tax_wan",
    "industry_class": "industry_section",
    "investor": "investor_name, investor_credit_code",
    "county": "region_code",
    "park": "park_code",
}
# ProjectFacts fields a project does not state: the standards and the 失信 register are looked up by the checker
# (from the park, county and investor above), the land kind is decided from the class and the words.
NOT_PROJECT_FACTS = {
    "min_intensity_wan_per_mu",
    "min_tax_wan_per_mu",
    "investor_credit",
    "investor_credit_evidence",
    "investor_credit_checked",
    "land_kind",
}


def _text(value) -> str:
    return " ".join((value or "").split())


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    value = Decimal(value)
    return value if value > 0 else None


def _pk(value):
    return getattr(value, "pk", value) or None


def admission_facts_key(
    *,
    name: str = "",
    description: str = "",
    investment_wan=None,
    land_mu=None,
    expected_annual_tax_wan=None,
    industry_class=None,
    county=None,
    park=None,
    investor_name: str = "",
    investor_credit_code: str = "",
    **_ignored,
) -> tuple:
    """The facts as the checker sees them, comparable (the keywords of ``admission_evaluate``)."""
    return (
        _text(name),
        _text(description),
        _amount(investment_wan),
        _amount(land_mu),
        _amount(expected_annual_tax_wan),
        getattr(industry_class, "section", "") or "",
        _pk(county),
        _pk(park),
        _text(investor_name),
        (investor_credit_code or "").strip().upper(),
    )


def project_admission_facts(project) -> dict:
    """The saved (or about to be saved) project's facts, as keywords of ``admission_facts_key``."""
    investor = project.investor if project.investor_id else None
    return {
        "name": project.name,
        "description": project.description,
        "investment_wan": project.agreed_investment_wan,
        "land_mu": project.land_mu,
        "expected_annual_tax_wan": project.expected_annual_tax_wan,
        # A class the system suggested is not a fact the checker reads (``admission_apply``).
        "industry_class": None if project.class_suggested else project.industry_class,
        "county": project.county_id,
        "park": project.park_id,
        "investor_name": investor.name if investor else "",
        "investor_credit_code": investor.credit_code if investor else "",
    }


def project_admission_key(project) -> tuple:
    return admission_facts_key(**project_admission_facts(project))
