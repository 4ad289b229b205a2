"""The demo data passes the admission check, except the projects meant to show a refusal: leads and negotiations
whose land use is below the standard where they sit."""

from collections import Counter

import pytest
from django.core.management import call_command

from zhaoshang.catalog.services import admission_batch, thresholds_for
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.projects.services import admission_evaluate

pytestmark = pytest.mark.django_db


def test_only_the_projects_meant_to_show_a_refusal_are_refused():
    call_command("seed_demo", projects=600, seed=3, stdout=open("/dev/null", "w"))
    verdicts, refused = Counter(), []
    rows = Project.objects.select_related("county", "park", "investor", "industry_class")
    with admission_batch():
        for project in rows:
            admission = admission_evaluate(
                name=project.name,
                description=project.description,
                investment_wan=project.agreed_investment_wan,
                land_mu=project.land_mu,
                expected_annual_tax_wan=project.expected_annual_tax_wan,
                investor_name=project.investor.name,
                county=project.county,
                park=project.park,
                classify=False,
            )
            verdicts[admission.verdict] += 1
            if admission.verdict != "pass":
                refused.append((project, admission))
    assert verdicts["review"] == 0
    assert 0 < verdicts["reject"] <= 0.06 * rows.count()
    for project, admission in refused:
        standard = thresholds_for(park_code=project.park.code if project.park else "", region_code=project.county.code)
        assert project.stage in (Stage.LEAD, Stage.NEGOTIATING), project.name
        assert set(admission.rules) <= {"intensity", "tax_per_mu"}, (project.name, admission.reasons)
        assert project.agreed_investment_wan / project.land_mu < standard.min_intensity_wan_per_mu
