"""A project whose recorded facts fail a rule added or tightened after it was entered can still be edited: an edit
that leaves the admission facts as they were is never blocked (the current verdict is shown), and a changed fact
runs the check again — in the service, so the page and the API behave alike."""

from dataclasses import fields
from decimal import Decimal

import pytest

from zhaoshang.catalog.admission import ProjectFacts
from zhaoshang.core.testing import browser_form_values
from zhaoshang.projects import services
from zhaoshang.projects.models import AdmissionDecision, Project
from zhaoshang.projects.services import PROJECT_FIELDS

D = Decimal
pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def failing(make_project):
    """Entered when it passed; its stored facts (as the demo data's were) fail today's 投资强度 standard."""
    project = make_project(description="建设钛材深加工生产线")
    assert project.admission_verdict == "pass"
    Project.objects.filter(pk=project.pk).update(land_mu=D("5000"), expected_annual_tax_wan=D("100"))
    project = Project.objects.get(pk=project.pk)
    assert current_verdict(project) == "reject"
    return project


def current_verdict(project) -> str:
    return services.admission_evaluate(
        name=project.name,
        description=project.description,
        investment_wan=project.agreed_investment_wan,
        land_mu=project.land_mu,
        expected_annual_tax_wan=project.expected_annual_tax_wan,
        investor_name=project.investor.name,
        county=project.county,
        park=project.park,
        classify=False,
    ).verdict


def update(project, actor, **changes):
    data = {name: getattr(project, name) for name in PROJECT_FIELDS} | changes
    name, county, park = data.pop("name", project.name), data.pop("county", project.county), project.park
    return services.project_update(actor=actor, project=project, name=name, county=county, park=park, **data)


def test_an_edit_that_leaves_the_facts_alone_is_saved_and_keeps_the_recorded_verdict(failing, officer):
    saved = update(failing, officer, jobs=120, responsible_person="王强", description="建设钛材深加工生产线\n")
    assert (saved.jobs, saved.responsible_person, saved.admission_verdict) == (120, "王强", "pass")
    assert not AdmissionDecision.objects.filter(project=failing).exists()


@pytest.mark.parametrize(
    "change",
    [{"land_mu": D("4000")}, {"name": "禄丰钛材深加工二期项目"}, {"agreed_investment_wan": D("60000")}],
)
def test_a_changed_fact_runs_the_check_again(failing, officer, change):
    with pytest.raises(services.AdmissionRejected):
        update(failing, officer, **change)
    assert Project.objects.get(pk=failing.pk).land_mu == D("5000")


def test_the_edit_page_shows_the_current_verdict_and_saves_unchanged(as_persona, failing):
    client = as_persona("lufeng_officer")
    url = f"/projects/{failing.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'data-verdict="reject"' in page and 'id="admission-unchanged"' in page
    assert 'id="admission-blocked"' not in page
    data = browser_form_values(page, url)
    data["jobs"] = ["150"]
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["form"].errors
    assert any("不招" in str(m) for m in response.context["messages"])
    assert Project.objects.get(pk=failing.pk).jobs == 150

    data["land_mu"] = ["4500"]
    response = client.post(url, data)
    assert response.status_code == 200 and "不招" in str(response.context["form"].non_field_errors())
    assert Project.objects.get(pk=failing.pk).land_mu == D("5000")


def test_the_live_panel_says_when_the_typed_facts_differ_from_the_saved_ones(as_persona, failing):
    client = as_persona("lufeng_officer")
    url = f"/projects/{failing.pk}/edit/"
    data = browser_form_values(client.get(url).content.decode(), url)
    panel = client.post(f"/projects/{failing.pk}/edit/admission/", data).content.decode()
    assert 'id="admission-unchanged"' in panel and 'id="admission-blocked"' not in panel
    panel = client.post(f"/projects/{failing.pk}/edit/admission/", data | {"land_mu": ["4500"]}).content.decode()
    assert 'id="admission-unchanged"' not in panel and 'id="admission-blocked"' in panel


def test_the_api_behaves_alike(as_persona, failing):
    client = as_persona("lufeng_officer")
    url = f"/api/v1/projects/{failing.pk}/"
    response = client.patch(url, {"jobs": 99}, content_type=JSON)
    assert response.status_code == 200 and response.json()["admission_verdict"] == "pass"
    response = client.patch(url, {"land_mu": "4500"}, content_type=JSON)
    assert response.status_code == 409 and response.json()["verdict"] == "reject"


def test_every_fact_the_checker_reads_is_compared():
    """A fact the checker starts to read must be added to ADMISSION_FACTS, or an edit of it would not be checked."""
    from zhaoshang.projects.services.admission_facts import ADMISSION_FACTS, NOT_PROJECT_FACTS

    read = {f.name for f in fields(ProjectFacts)}
    assert read <= set(ADMISSION_FACTS.values()) | NOT_PROJECT_FACTS
