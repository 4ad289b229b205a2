"""Funds for a month before the project existed (before its first recorded date, the 线索's registration) are not
taken silently: the service asks for a note explaining them, for the form, the API and any import alike."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.models import AuditLog
from zhaoshang.projects import services
from zhaoshang.projects.models import FundingEntry

D = Decimal
pytestmark = pytest.mark.django_db


def record(project, actor, month, note=""):
    return services.funding_record(actor=actor, project=project, month=month, amount_wan=D("500"), note=note)


def test_a_month_before_the_project_was_registered_needs_a_note(signed_project, officer):
    # the 线索 was registered on 2024-01-05 (conftest), signed on 2024-03-01
    with pytest.raises(ValidationError) as refused:
        record(signed_project, officer, date(2023, 12, 1))
    message = refused.value.message_dict["note"][0]
    assert "2023年12月" in message and "2024-01-05" in message and "备注" in message
    assert not FundingEntry.objects.filter(project=signed_project).exists()

    entry = record(signed_project, officer, date(2023, 12, 1), note="项目登记前已支付的土地保证金")
    assert (entry.month, entry.note) == (date(2023, 12, 1), "项目登记前已支付的土地保证金")
    audit = AuditLog.objects.get(action="fund_entry", object_id=str(entry.pk))
    assert audit.after["before_project"] == "2024-01-05"


def test_the_month_of_registration_and_later_need_no_note(signed_project, officer):
    assert record(signed_project, officer, date(2024, 1, 1)).month == date(2024, 1, 1)
    assert record(signed_project, officer, date(2024, 2, 1)).month == date(2024, 2, 1)  # before signing: allowed


def test_the_form_asks_for_the_note_and_warns_when_saved(as_persona, signed_project):
    client = as_persona("lufeng_officer")
    url = f"/projects/{signed_project.pk}/funds/new/"
    response = client.post(url, {"month": "2023-11", "amount_wan": "300"})
    assert response.status_code == 200
    assert "早于项目最早的记录日期" in response.context["form"].errors["note"][0]
    response = client.post(url, {"month": "2023-11", "amount_wan": "300", "note": "前期设备订金"}, follow=True)
    assert response.redirect_chain
    shown = [str(m) for m in response.context["messages"]]
    assert any("早于项目最早的记录日期" in m for m in shown)
    assert FundingEntry.objects.get(project=signed_project).note == "前期设备订金"


def test_the_api_refuses_it_without_a_note_and_takes_it_with_one(as_persona, signed_project):
    client = as_persona("lufeng_officer")
    payload = {"project": signed_project.pk, "month": "2023-11", "amount_wan": "300"}
    response = client.post("/api/v1/funding-entries/", payload, content_type="application/json")
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(
        "/api/v1/funding-entries/", payload | {"note": "前期设备订金"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
