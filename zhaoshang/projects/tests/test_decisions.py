"""集体决策 before signing a 慎招 project, whichever channel asks for the stage change; the records themselves."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.models import AppendOnlyError, AuditLog
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import client_for, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import DecisionRecord, Project
from zhaoshang.projects.services.errors import IllegalTransition

D = Decimal
ON = date(2024, 3, 1)


@pytest.fixture
def cautious(make_project, officer):
    project = make_project(name="禄丰慎招冶炼项目")
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=ON)
    services.agreement_create(actor=officer, project=project, signed_on=ON, amount_wan=D("50000"))
    Project.objects.filter(pk=project.pk).update(needs_collective_decision=True)  # as a 慎招 admission verdict sets it
    project.refresh_from_db()
    return project


def record(project, actor, *, outcome="agreed", kind="collective", held_on=ON, participants=None):
    return services.decision_record(
        actor=actor,
        project=project,
        kind=kind,
        meeting="禄丰市招商引资项目集体研判会",
        held_on=held_on,
        outcome=outcome,
        participants=participants if participants is not None else [actor.org_unit],
        notes="同意引进，须落实产能置换",
    )


def test_a_cautious_project_cannot_sign_without_a_collective_decision(cautious, officer):
    assert "慎招项目" in services.transition_problem(cautious, Stage.SIGNED, ON, "")
    with pytest.raises(IllegalTransition):
        services.project_advance(project=cautious, to=Stage.SIGNED, actor=officer, on=ON)


@pytest.mark.parametrize("outcome", ["refused", "deferred"])
def test_a_decision_that_is_not_agreed_does_not_open_the_gate(cautious, officer, outcome):
    record(cautious, officer, outcome=outcome)
    assert services.transition_problem(cautious, Stage.SIGNED, ON, "") is not None


def test_a_legality_review_is_not_a_collective_decision(cautious, officer):
    record(cautious, officer, kind="legality")
    assert services.transition_problem(cautious, Stage.SIGNED, ON, "") is not None


def test_a_decision_held_after_the_signing_date_does_not_count_for_it(cautious, officer):
    record(cautious, officer, held_on=date(2024, 3, 5))
    assert services.transition_problem(cautious, Stage.SIGNED, ON, "") is not None
    assert services.transition_problem(cautious, Stage.SIGNED, date(2024, 3, 5), "") is None


def test_an_agreed_collective_decision_lets_it_sign(cautious, officer):
    record(cautious, officer)
    project = services.project_advance(project=cautious, to=Stage.SIGNED, actor=officer, on=ON)
    assert project.stage == Stage.SIGNED


def test_an_ordinary_project_signs_without_one(make_project, sign):
    assert sign(make_project()).stage == Stage.SIGNED


def test_the_transition_page_refuses_it_too(client, cautious):
    client_for(client, "lufeng_officer")
    response = client.post(f"/projects/{cautious.pk}/transition/", {"to": Stage.SIGNED, "on": "2024-03-01", "note": ""})
    assert response.status_code == 200 and "慎招项目" in response.content.decode()
    assert Project.objects.get(pk=cautious.pk).stage == Stage.NEGOTIATING


def test_a_record_is_validated_audited_and_never_changed(cautious, officer):
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=officer, project=cautious, kind="collective", meeting="", held_on=ON, outcome="agreed"
        )
    assert {"meeting", "participants"} <= set(refused.value.message_dict)
    saved = record(cautious, officer)
    row = AuditLog.objects.filter(action="decision_record").latest("id")
    assert row.object_id == str(cautious.pk) and row.after["participants"] == [str(officer.org_unit)]
    saved.meeting = "改过的会议"
    with pytest.raises(AppendOnlyError):
        saved.save()


def test_another_county_cannot_record_on_the_project(cautious):
    kunming = persona("kunming_officer")
    with pytest.raises(OutOfScope):
        record(cautious, kunming)


def test_the_page_records_a_decision_and_keeps_a_refused_form(client, cautious, officer):
    client_for(client, "lufeng_officer")
    url = f"/projects/{cautious.pk}/decisions/new/"
    assert client.get(url).status_code == 200
    typed = {"kind": "collective", "meeting": "禄丰市集体研判会", "held_on": "2024-03-01", "outcome": "agreed"}
    response = client.post(url, typed)  # no participants
    assert response.status_code == 200 and "集体决策须列明参会单位" in response.content.decode()
    assert 'value="禄丰市集体研判会"' in response.content.decode()
    response = client.post(url, typed | {"participants": [officer.org_unit_id]})
    assert response.status_code == 302
    assert DecisionRecord.objects.filter(project=cautious, outcome="agreed").count() == 1
    page = client.get(f"/projects/{cautious.pk}/").content.decode()
    assert "禄丰市集体研判会" in page and 'id="decision-' in page


def test_kunming_gets_404_for_the_decision_page(client, cautious):
    client_for(client, "kunming_officer")
    assert client.get(f"/projects/{cautious.pk}/decisions/new/").status_code == 404


def test_an_import_cannot_bring_in_a_signed_cautious_project_but_brings_it_in_negotiating(officer):
    from zhaoshang.projects.importers import projects_import
    from zhaoshang.projects.tests.test_import import row, workbook

    cautious = {"name": "禄丰磷矿开采项目", "description": "露天开采磷矿，原矿和精矿全部外销", "amount_wan": 20000}
    signed = row(3, **cautious)
    report = projects_import(content=workbook([signed]), actor=officer)
    assert not report.ok and any("慎招项目，签约须先录入" in error for error in report.errors), report.errors
    assert not Project.objects.filter(name="禄丰磷矿开采项目").exists()
    negotiating = row(1, **cautious)
    report = projects_import(content=workbook([negotiating]), actor=officer)
    assert report.ok, report.errors
    project = Project.objects.get(name="禄丰磷矿开采项目")
    assert project.stage == Stage.NEGOTIATING and project.needs_collective_decision
