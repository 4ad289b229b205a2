"""The same facts through every channel that writes a project — the form, the API, the Excel import and the lead of
an activity — give the same stored project and the same refusals (issue 14: one plan for every write).

Each channel runs inside a savepoint that is rolled back, so that every channel starts from the same database
(the same facts entered twice would be each other's duplicate)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from zhaoshang.catalog.models import CreditBlacklistEntry
from zhaoshang.core.testing import browser_form_values, persona
from zhaoshang.investors import services as investor_services
from zhaoshang.investors.choices import ActivityKind, LeaderLevel
from zhaoshang.investors.models import Enterprise
from zhaoshang.projects import services
from zhaoshang.projects.importers import projects_import
from zhaoshang.projects.models import Project
from zhaoshang.projects.services.admission import AdmissionRejected, projects_suggest_industries
from zhaoshang.projects.tests.test_import import workbook
from zhaoshang.regions.models import Region

NAME = "禄丰高纯硅材料深加工项目"
SUBSIDIARY = "云南跨国硅业测试有限公司"
BLACKLISTED = "失信测试投资有限公司"
# What a write derives: every channel must store the same values.
DERIVED = (
    "name",
    "description",
    "path",
    "county_id",
    "park_id",
    "stage",
    "agreed_investment_wan",
    "source_province",
    "region_group",
    "is_foreign",
    "is_global500",
    "is_chain_leader",
    "key_industry_id",
    "industry_class_id",
    "industry_suggested",
    "class_suggested",
    "admission_verdict",
    "admission_rules",
    "admission_reasons",
    "needs_collective_decision",
)


class Refused(Exception):
    """A channel refused the write; ``kinds`` says why, in the words every channel shares."""

    def __init__(self, kinds: set[str]):
        self.kinds = kinds
        super().__init__(kinds)


def kinds_of(keys_and_messages) -> set[str]:
    """The refusal kinds of a channel's answer: the field a form or the API names, or the words of an import line
    (written once, in ``projects.services.plan``)."""
    kinds = set()
    for key, message in keys_and_messages:
        if key == "confirm_not_duplicate" or "疑似重复" in message:
            kinds.add("duplicate")
        elif key == "admission" or "不招" in message:
            kinds.add("admission")
        elif key in ("county", "park") or "辖区" in message:
            kinds.add("scope")
        else:
            kinds.add(f"other:{key}:{message}")
    return kinds


@pytest.fixture
def world(db):
    group = Enterprise(name="跨国测试控股集团", is_global500=True, is_chain_leader=True)
    group.save()
    Enterprise(name=SUBSIDIARY, parent=group).save()
    CreditBlacklistEntry.objects.create(
        credit_code="91530000BLACK00001", name=BLACKLISTED, listed_on=date(2024, 1, 1), authority="测试局"
    )
    return {"group": group, "lufeng": Region.objects.get(code="532302"), "wuhua": Region.objects.get(code="530102")}


def facts(**changes) -> dict:
    return {
        "name": NAME,
        "investor_name": SUBSIDIARY,
        "county": "532302",
        "amount": "20000",
        "source_province": "广东",
        "description": "建设年产5万吨高纯多晶硅生产线",
        "confirm": False,
    } | changes


def _stored(project_id: int) -> dict:
    project = Project.objects.select_related("investor").get(pk=project_id)
    values = {name: getattr(project, name) for name in DERIVED}
    values["investor"] = project.investor.normalised_name
    return values


def via_form(client, f: dict) -> int:
    county = Region.objects.get(code=f["county"])
    data = {
        "name": f["name"],
        "investor_name": f["investor_name"],
        "county": county.pk,
        "agreed_investment_wan": f["amount"],
        "source_province": f["source_province"],
        "description": f["description"],
        "currency": "CNY",
        "category": "industry",
        "on": "2025-01-10",
    }
    if f["confirm"]:
        data["confirm_not_duplicate"] = "on"
    response = client.post("/projects/new/", data)
    if response.status_code != 302:
        errors = response.context["form"].errors
        raise Refused(kinds_of((key, message) for key, messages in errors.items() for message in messages))
    return int(response.url.strip("/").split("/")[-1])


def via_api(client, f: dict) -> int:
    payload = {
        "name": f["name"],
        "investor_name": f["investor_name"],
        "county": f["county"],
        "agreed_investment_wan": f["amount"],
        "source_province": f["source_province"],
        "description": f["description"],
        "on": "2025-01-10",
        "confirm_not_duplicate": f["confirm"],
    }
    response = client.post("/api/v1/projects/", payload, content_type="application/json")
    if response.status_code != 201:
        body = response.json()
        if response.status_code == 409:
            raise Refused({"admission"})
        raise Refused(kinds_of((key, str(value)) for key, value in body.items()))
    return response.json()["id"]


def via_import(officer, f: dict) -> int:
    county = Region.objects.get(code=f["county"])
    row = {
        "name": f["name"],
        "investor_name": f["investor_name"],
        "county": county.name,
        "stage": "线索",
        "registered_on": "2025-01-10",
        "amount_wan": Decimal(f["amount"]),  # a number cell, exact
        "source_province": f["source_province"],
        "description": f["description"],
    }
    report = projects_import(content=workbook([row]), actor=officer)
    if not report.ok:
        raise Refused(kinds_of(("", error) for error in report.errors))
    (project,) = Project.objects.filter(name=f["name"], source="import")
    projects_suggest_industries(actor=officer, project_ids=[project.pk])  # the import job's last step
    return project.pk


def via_lead(officer, f: dict) -> int:
    trip = investor_services.activity_create(
        actor=officer,
        kind=ActivityKind.TRIP,
        title="赴广东开展硅材料产业招商",
        start_on=date(2025, 1, 8),
        destination_province="广东",
        destination_city="深圳",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
    )
    investor = investor_services.enterprise_get_or_create(actor=officer, name=f["investor_name"])
    confirm = {"confirm_not_duplicate": True} if f["confirm"] else {}
    try:
        project = investor_services.activity_create_lead(
            actor=officer,
            activity=trip,
            name=f["name"],
            investor=investor,
            county=Region.objects.get(code=f["county"]),
            on=date(2025, 1, 10),
            agreed_investment_wan=Decimal(f["amount"]),
            source_province=f["source_province"],
            description=f["description"],
            **confirm,
        )
    except AdmissionRejected:
        raise Refused({"admission"}) from None
    except Http404:
        raise Refused({"scope"}) from None
    except ValidationError as error:
        raise Refused(kinds_of((key, m) for key, messages in error.message_dict.items() for m in messages)) from None
    return project.pk


def through_every_channel(client, f: dict) -> dict[str, dict | set]:
    """channel → the stored derived values, or the refusal kinds; each channel's writes rolled back after."""
    officer = persona("lufeng_officer")
    client.force_login(officer)
    channels = {
        "form": lambda: via_form(client, f),
        "api": lambda: via_api(client, f),
        "import": lambda: via_import(officer, f),
        "lead": lambda: via_lead(officer, f),
    }
    outcome = {}
    for channel, write in channels.items():
        with transaction.atomic():
            try:
                outcome[channel] = _stored(write())
            except Refused as refused:
                outcome[channel] = refused.kinds
            transaction.set_rollback(True)
    return outcome


def test_the_same_facts_store_the_same_project_through_every_channel(client, world):
    outcome = through_every_channel(client, facts())
    stored = outcome["form"]
    assert isinstance(stored, dict), stored
    assert all(outcome[channel] == stored for channel in outcome), outcome
    # the subsidiary's project counts for its 世界500强 / 链主 group, whichever way it came in
    assert stored["is_global500"] and stored["is_chain_leader"]
    assert stored["region_group"] == "pearl_delta" and stored["path"] == "530000/532300/532302"
    assert stored["admission_verdict"] == "pass" and stored["key_industry_id"] is not None


def test_a_likely_duplicate_is_refused_by_every_channel_until_confirmed(client, world):
    services.project_create(
        actor=persona("lufeng_officer"),
        name=NAME,
        investor_name=SUBSIDIARY,
        county=world["lufeng"],
        on=date(2024, 6, 1),
    )
    refused = through_every_channel(client, facts(name=f"{NAME}二期"))
    assert refused == dict.fromkeys(("form", "api", "import", "lead"), {"duplicate"})
    confirmed = through_every_channel(client, facts(name=f"{NAME}二期", confirm=True))
    # an import cannot confirm (the row is entered on the form); every other channel then saves the same project
    assert confirmed.pop("import") == {"duplicate"}
    assert all(isinstance(v, dict) for v in confirmed.values()), confirmed
    assert confirmed["form"] == confirmed["api"] == confirmed["lead"]


def test_a_blacklisted_investor_is_refused_by_every_channel(client, world):
    refused = through_every_channel(client, facts(investor_name=BLACKLISTED))
    assert refused == dict.fromkeys(("form", "api", "import", "lead"), {"admission"})


def test_a_county_out_of_the_officers_jurisdiction_is_refused_by_every_channel(client, world):
    refused = through_every_channel(client, facts(county="530102"))
    assert refused == dict.fromkeys(("form", "api", "import", "lead"), {"scope"})


@pytest.fixture
def plain_project(world):
    """A lead of an investor outside any group, entered by the service."""
    return services.project_create(
        actor=persona("lufeng_officer"),
        name=NAME,
        investor_name="云南普通投资有限公司",
        county=world["lufeng"],
        on=date(2024, 6, 1),
        agreed_investment_wan=Decimal("20000"),
        source_province="广东",
    )


def test_an_update_derives_the_same_values_through_the_form_and_the_api(client, world, plain_project):
    """The investor joins a 世界500强 / 链主 group; the next edit, through either channel, takes the group's flags."""
    investor = plain_project.investor
    investor.parent = world["group"]
    investor.save()
    client.force_login(persona("lufeng_officer"))
    outcome = {}
    with transaction.atomic():
        url = f"/projects/{plain_project.pk}/edit/"
        data = browser_form_values(client.get(url).content.decode(), url)
        data["jobs"] = ["300"]
        assert client.post(url, data).status_code == 302
        outcome["form"] = _stored(plain_project.pk)
        transaction.set_rollback(True)
    with transaction.atomic():
        response = client.patch(f"/api/v1/projects/{plain_project.pk}/", {"jobs": 300}, content_type="application/json")
        assert response.status_code == 200, response.json()
        outcome["api"] = _stored(plain_project.pk)
        transaction.set_rollback(True)
    assert outcome["form"] == outcome["api"]
    assert outcome["form"]["is_global500"] and outcome["form"]["is_chain_leader"]


def test_a_change_of_investor_takes_the_new_groups_flags_and_checks_the_new_investor(client, world, plain_project):
    client.force_login(persona("lufeng_officer"))
    url = f"/projects/{plain_project.pk}/investor/"
    with transaction.atomic():
        assert client.post(url, {"investor_name": SUBSIDIARY, "on": "2025-02-01"}).status_code == 302
        through_page = _stored(plain_project.pk)
        transaction.set_rollback(True)
    with transaction.atomic():
        services.project_change_investor(
            actor=persona("lufeng_officer"), project=plain_project, investor_name=SUBSIDIARY, on=date(2025, 2, 1)
        )
        through_service = _stored(plain_project.pk)
        transaction.set_rollback(True)
    assert through_page == through_service
    assert through_page["is_global500"] and through_page["is_chain_leader"]
    # the investor is an admission fact: a 失信 investor is refused on a change as on entry
    response = client.post(url, {"investor_name": BLACKLISTED, "on": "2025-02-01"})
    assert response.status_code == 200 and "不招" in response.content.decode()
    assert Project.objects.get(pk=plain_project.pk).investor.name == "云南普通投资有限公司"


def test_an_import_row_takes_the_group_flags_of_an_existing_investor(world):
    officer = persona("lufeng_officer")
    row = {
        "name": NAME,
        "investor_name": SUBSIDIARY,
        "county": "禄丰市",
        "stage": "线索",
        "registered_on": "2025-01-10",
    }
    assert projects_import(content=workbook([row]), actor=officer).ok
    project = Project.objects.get(name=NAME)
    assert project.is_global500 and project.is_chain_leader
