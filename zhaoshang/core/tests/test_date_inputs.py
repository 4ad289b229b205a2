"""Every date input shows its current or default value: the browser's ``<input type="date">`` accepts only ISO
dates (YYYY-MM-DD) and shows anything else — Django's zh-hans format 2024/05/01 — as blank."""

import importlib
import pkgutil
import re
from datetime import date
from decimal import Decimal

import django_filters
import lxml.html
import pytest
from django import forms
from django.utils import timezone, translation

import zhaoshang
from zhaoshang.core.testing import LUFENG_PARK, persona
from zhaoshang.regions.models import Park, Region

DAY = date(2024, 5, 1)
RENDERED = {"date": "2024-05-01", "month": "2024-05"}


def our_modules():
    for info in pkgutil.walk_packages(zhaoshang.__path__, "zhaoshang."):
        if not re.search(r"\.(tests|migrations|management)(\.|$)", info.name):
            yield importlib.import_module(info.name)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def date_fields():
    """(where, field) for every date field of every form and filter of the platform."""
    list(our_modules())
    for form_class in set(subclasses(forms.BaseForm)):
        if form_class.__module__.startswith("zhaoshang."):
            for name, field in form_class.base_fields.items():
                if isinstance(field, forms.DateField):
                    yield f"{form_class.__module__}.{form_class.__name__}.{name}", field
    for filterset in set(subclasses(django_filters.FilterSet)):
        if filterset.__module__.startswith("zhaoshang."):
            for name, item in filterset.base_filters.items():
                if isinstance(item.field, forms.DateField):
                    yield f"{filterset.__module__}.{filterset.__name__}.{name}", item.field


def test_the_walk_finds_the_date_fields_of_forms_and_filters():
    found = {where for where, _ in date_fields()}
    assert "zhaoshang.projects.forms.TransitionForm.on" in found
    assert "zhaoshang.projects.forms.AgreementForm.signed_on" in found
    assert "zhaoshang.regions.forms.ParkForm.approved_on" in found
    assert "zhaoshang.core.filters.AuditLogFilter.start" in found or any(".core.filters." in w for w in found)


def test_every_date_field_is_a_date_picker_that_renders_iso_dates():
    wrong = {}
    with translation.override("zh-hans"):
        for where, field in date_fields():
            kind = getattr(field.widget, "input_type", "")
            shown = field.widget.format_value(DAY)
            if RENDERED.get(kind) != shown:
                wrong[where] = (kind, shown)
    assert wrong == {}


# -- the pages: each date input of the form carries its value ---------------------------------------------------
def date_inputs(html: str) -> dict[str, str]:
    document = lxml.html.fromstring(html)
    return {i.get("name"): i.get("value", "") for i in document.xpath("//form//input[@type='date']")}


@pytest.fixture
def project(db):
    from zhaoshang.projects import services

    return services.project_create(
        actor=persona("lufeng_officer"),
        name="禄丰钛材深加工项目",
        investor_name="云南钛业股份有限公司",
        county=Region.objects.get(code="532302"),
        on=date(2024, 1, 5),
        agreed_investment_wan=Decimal("60000"),
    )


@pytest.fixture
def negotiating(project):
    from zhaoshang.projects import services
    from zhaoshang.projects.choices import Stage

    return services.project_advance(project=project, to=Stage.NEGOTIATING, actor=persona("lufeng_officer"), on=DAY)


def test_project_transition_agreement_and_investor_forms_show_their_default_date(client, negotiating):
    today = timezone.localdate().isoformat()
    client.force_login(persona("lufeng_officer"))
    pk = negotiating.pk
    assert date_inputs(client.get("/projects/new/").content.decode()) == {"on": today}
    assert date_inputs(client.get(f"/projects/{pk}/transition/").content.decode()) == {"on": today}
    agreement = date_inputs(client.get(f"/projects/{pk}/agreements/new/").content.decode())
    assert agreement.pop("signed_on") == today
    assert set(agreement.values()) == {""}  # the optional 兑现期限 of the empty clause rows
    assert date_inputs(client.get(f"/projects/{pk}/investor/").content.decode()) == {"on": today}


def test_a_form_sent_back_with_an_error_keeps_the_typed_date(client, negotiating):
    client.force_login(persona("lufeng_officer"))
    response = client.post(f"/projects/{negotiating.pk}/transition/", {"to": "terminated", "on": "2024-06-03"})
    assert response.status_code == 200  # 终止 needs a reason
    assert date_inputs(response.content.decode()) == {"on": "2024-06-03"}


def test_edit_pages_show_the_saved_dates(client, db):
    from zhaoshang.investors import services
    from zhaoshang.investors.choices import ActivityKind, LeaderLevel

    officer = persona("lufeng_officer")
    activity = services.activity_create(
        actor=officer,
        kind=ActivityKind.TRIP,
        title="赴深圳开展新能源电池产业招商",
        start_on=date(2025, 3, 10),
        end_on=date(2025, 3, 12),
        destination_province="广东",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
        follow_up_on=date(2025, 4, 30),
        enterprises=[],
    )
    client.force_login(officer)
    page = client.get(f"/activities/{activity.pk}/edit/").content.decode()
    assert date_inputs(page) == {"start_on": "2025-03-10", "end_on": "2025-03-12", "follow_up_on": "2025-04-30"}
    enterprise = services.enterprise_create(actor=officer, name="云南跟进日期测试有限公司")
    services.enterprise_set_follow_up(actor=officer, enterprise=enterprise, owner=officer, next_follow_up_on=DAY)
    page = client.get(f"/enterprises/{enterprise.pk}/follow-up/").content.decode()
    assert date_inputs(page) == {"next_follow_up_on": "2024-05-01"}
    park = Park.objects.get(code=LUFENG_PARK)
    client.force_login(persona("chuxiong_officer"))
    page = client.get(f"/parks/{park.pk}/edit/").content.decode()
    assert date_inputs(page) == {"approved_on": park.approved_on.isoformat()}
    page = client.get(f"/parks/{park.pk}/retire/").content.decode()
    assert date_inputs(page) == {"retired_on": timezone.localdate().isoformat()}
