"""Issue 13 item 6: implausible funds in place are refused by the service (core/validators.py holds the ranges), so the
form and the API refuse them alike: 999,999,999,999.99 万元 in a month, months 0001-01 and 1900-01, an exchange rate
that is negative (it got round "foreign ≤ total") or a per-100-dollar quote; a 20-digit year and NUL bytes are a 400,
never a 500."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.validators import ENTRY_CEILING_WAN, MONTHS_BEFORE_FIRST_RECORD
from zhaoshang.projects import services
from zhaoshang.projects.models import FundingEntry

D = Decimal
pytestmark = pytest.mark.django_db


def record(project, officer, **values):
    values = {"month": date(2024, 4, 1), "amount_wan": D("1000"), "note": ""} | values
    return services.funding_record(actor=officer, project=project, **values)


def refusal(project, officer, **values) -> dict:
    with pytest.raises(ValidationError) as refused:
        record(project, officer, **values)
    return refused.value.message_dict


def test_an_amount_beyond_the_ceiling_or_far_beyond_the_agreement_is_refused(signed_project, officer):
    assert "amount_wan" in refusal(signed_project, officer, amount_wan=D("999999999999.99"))
    assert "amount_wan" in refusal(signed_project, officer, amount_wan=ENTRY_CEILING_WAN + D("0.01"))
    # The agreement is 50,000 万元: one month may bring up to three times that (增资 included), not more.
    assert "3倍" in refusal(signed_project, officer, amount_wan=D("150000.01"))["amount_wan"][0]
    assert record(signed_project, officer, amount_wan=D("150000")).amount_wan == D("150000")


def test_months_before_2000_or_long_before_the_first_record_or_in_the_future_are_refused(signed_project, officer):
    # The project's first record is 2024-01-05 (conftest); a month before it needs a note, and even with one…
    for month in (date(1, 1, 1), date(1900, 1, 1), date(1999, 12, 1), date(2021, 12, 1)):
        assert "month" in refusal(signed_project, officer, month=month, note="项目登记前到位"), month
    assert "month" in refusal(signed_project, officer, month=date(2099, 1, 1))
    earliest = date(2024 - MONTHS_BEFORE_FIRST_RECORD // 12, 1, 1)  # two years before 2024-01
    assert record(signed_project, officer, month=earliest, note="土地保证金，线索登记前已到位").month == earliest


def test_an_exchange_rate_must_be_yuan_per_dollar(signed_project, officer):
    usd = {"foreign_usd_wan": D("100")}
    assert "usd_rate" in refusal(signed_project, officer, usd_rate=D("-7.1"), **usd)
    assert "usd_rate" in refusal(signed_project, officer, usd_rate=D("0"), **usd)
    assert "usd_rate" in refusal(signed_project, officer, usd_rate=D("710.5"), **usd)  # the per-100-dollar quote
    assert "usd_rate" in refusal(signed_project, officer, usd_rate=D("-7.1"))  # a rate is checked even without usd
    assert record(signed_project, officer, usd_rate=D("7.1"), **usd).usd_rate == D("7.1")


def test_the_api_refuses_them_with_400_and_never_fails(as_persona, signed_project):
    client = as_persona("lufeng_officer")
    good = {"project": signed_project.pk, "month": "2024-04", "amount_wan": "1000.00"}
    cases = [
        {"amount_wan": "999999999999.99"},
        {"month": "0001-01"},
        {"month": "1900-01"},
        {"month": "99999999999999999999-01"},
        {"month": "2024-04\x00"},
        {"note": "备注\x00"},
        {"note": "备注\x07"},
        {"usd_rate": "-7.1", "foreign_usd_wan": "10"},
        {"amount_wan": "1e999999"},
    ]
    for change in cases:
        response = client.post("/api/v1/funding-entries/", good | change, content_type="application/json")
        assert response.status_code == 400, (change, response.status_code)
    assert FundingEntry.objects.count() == 0
    assert client.post("/api/v1/funding-entries/", good, content_type="application/json").status_code == 201


def test_the_form_refuses_them_on_the_page(as_persona, signed_project):
    client = as_persona("lufeng_officer")
    url = f"/projects/{signed_project.pk}/funds/new/"
    good = {"month": "2024-04", "amount_wan": "1000", "outside_province_wan": "0"}
    for change in ({"amount_wan": "999999999999.99"}, {"month": "1900-01"}, {"month": "99999999999999999999-01"}):
        response = client.post(url, good | change)
        assert response.status_code == 200, (change, response.status_code)  # the form again, with its errors
        assert response.context["form"].errors, change
    assert FundingEntry.objects.count() == 0


def test_business_dates_before_2000_are_refused_on_every_write(make_project, officer, as_persona):
    from zhaoshang.projects.choices import Stage

    with pytest.raises(ValidationError) as refused:
        make_project(on=date(55, 7, 11))  # the probe's 0055-07-11: the ledger then took months from year 55
    assert "2000" in refused.value.message_dict["on"][0]
    project = make_project()
    with pytest.raises(ValidationError):
        services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(1999, 12, 31))
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(actor=officer, project=project, signed_on=date(1900, 1, 1), amount_wan=D("1"))
    assert "signed_on" in refused.value.message_dict
    payload = {"name": "禄丰某项目", "investor_name": "某公司", "county": "532302", "on": "0055-07-11"}
    response = as_persona("lufeng_officer").post("/api/v1/projects/", payload, content_type="application/json")
    assert response.status_code == 400 and "on" in response.json()
