"""The enterprise scope (issue 17, Done when 3): an enterprise account sees its own enterprise's requests and
promises and nothing else — not another enterprise's, not any bureau data — on every page and API of the site;
a bureau sees requests by jurisdiction (kunming_officer never sees 禄丰's)."""

import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.accounts.models import Company, OrgUnit
from zhaoshang.aftercare.choices import PromiseKind
from zhaoshang.aftercare.models import Promise, Ticket
from zhaoshang.aftercare.services import promises, tickets
from zhaoshang.aftercare.tests.conftest import make_project
from zhaoshang.core.scope import EnterpriseScopedQuerySet
from zhaoshang.core.testing import persona
from zhaoshang.investors.models import Enterprise
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Park, Region

pytestmark = pytest.mark.django_db
SKIP = ("logout", "admin/")  # signing out ends the walk; the admin site has its own scope test


@pytest.fixture
def world(ent_a, ent_b, lufeng_project, kunming_project, officer, lufeng):
    a = tickets.ticket_submit(
        actor=ent_a, category="power", title="甲企业用电增容诉求", description="甲的诉求内容", project=lufeng_project
    )
    b = tickets.ticket_submit(
        actor=ent_b, category="land", title="乙企业用地指标诉求", description="乙的诉求内容", project=kunming_project
    )
    clause = lufeng_project.agreements.get().clauses.first()
    pa = promises.promise_create(actor=officer, clause=clause, kind=PromiseKind.SUBSIDY, responsible=officer.org_unit)
    kunming = persona("kunming_officer")
    from zhaoshang.projects import services as project_services

    agreement = kunming_project.agreements.get()
    from zhaoshang.projects.models import IncentiveClause

    kb = IncentiveClause.objects.create(agreement=agreement, content="乙企业人才公寓承诺", amount_wan=Decimal("80"))
    pb = promises.promise_create(actor=kunming, clause=kb, kind=PromiseKind.TALENT, responsible=kunming.org_unit)
    internal = make_project(officer, lufeng, "禄丰内部保密项目")
    assert project_services  # the bureau's own project, linked to no enterprise
    return {"a": a, "b": b, "pa": pa, "pb": pb, "internal": internal}


def test_each_enterprise_sees_only_its_own(world, ent_a, ent_b):
    assert list(Ticket.objects.for_user(ent_a)) == [world["a"]]
    assert list(Ticket.objects.for_user(ent_b)) == [world["b"]]
    assert list(Promise.objects.for_user(ent_a)) == [world["pa"]]
    assert list(Promise.objects.for_user(ent_b)) == [world["pb"]]
    assert list(Company.objects.for_user(ent_a)) == [ent_a.company]


def test_enterprise_users_see_no_bureau_data(world, ent_a):
    for model in (Project, Region, Park, OrgUnit, Enterprise):
        assert not model.objects.for_user(ent_a).exists(), model


def test_bureaus_see_by_jurisdiction(world):
    assert not Ticket.objects.for_user(persona("kunming_officer")).filter(pk=world["a"].pk).exists()
    assert Ticket.objects.for_user(persona("chuxiong_officer")).filter(pk=world["a"].pk).exists()
    assert not Promise.objects.for_user(persona("kunming_officer")).filter(pk=world["pa"].pk).exists()
    assert not Company.objects.for_user(persona("kunming_officer")).filter(pk=world["a"].company_id).exists()


def test_an_unverified_or_staff_account_gets_no_enterprise_rows(world, ent_a):
    company = ent_a.company
    Company.objects.filter(pk=company.pk).update(status="pending")
    ent_a.refresh_from_db()
    assert not Ticket.objects.for_user(ent_a).exists()

    # A model on the enterprise scope without enterprise_field gives nothing to an enterprise account.
    class Bare(EnterpriseScopedQuerySet):
        pass

    rows = Bare(model=Ticket)
    Ticket.enterprise_field, saved = None, Ticket.enterprise_field
    try:
        assert not rows._for_user(ent_a, "view").exists()
    finally:
        Ticket.enterprise_field = saved


def _routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str, ids: dict) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None

    def value(match):
        kind, name = match.group(1) or "str", match.group(2)
        if kind == "int":
            return str(ids.get(name, ids["pk"]))
        if name == "owner":
            return "ticket"
        if name == "action":
            return "view"
        return "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.mark.parametrize("who", ["ent_a", "ent_b"])
def test_url_walk_two_enterprises(world, ent_a, ent_b, client, who):
    """Every GET address of the site, as each enterprise, with every id the other enterprise's (its request, its
    promise, its enterprise, its project): the other's and the bureaus' data never show."""
    me, other = (ent_a, ent_b) if who == "ent_a" else (ent_b, ent_a)
    mine, theirs = ("a", "b") if who == "ent_a" else ("b", "a")
    other_ticket, other_promise = world[theirs], world[f"p{theirs}"]
    other_project = other_ticket.project
    forbidden = [
        other_ticket.title,
        other_ticket.number,
        other.company.name,
        other.company.credit_code,
        other_promise.content,
        other_project.name,
        world["internal"].name,
    ]
    client.force_login(me)
    seen = 0
    for route in _routes(get_resolver().url_patterns):
        if any(part in route for part in SKIP):
            continue
        for ids in (
            {"pk": other_ticket.pk},
            {"pk": other_promise.pk},
            {"pk": other.company_id},
            {"pk": other_project.pk, "clause": other_promise.clause_id, "owner_id": other_ticket.pk},
        ):
            url = _fill(route, ids)
            if url is None:
                continue
            response = client.get(url)
            seen += 1
            body = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
            for word in forbidden:
                assert word not in body, f"{url} shows {word}"
            if route.startswith("service/") and ("<int:pk>" in route):
                assert response.status_code in (302, 403, 404), url
    assert seen > 100
    # Own things do show.
    assert client.get(f"/service/tickets/{world[mine].pk}/").status_code == 200
    assert world[mine].title in client.get("/service/tickets/").content.decode()
    api = client.get("/api/v1/tickets/").json()
    assert [row["number"] for row in api["results"]] == [world[mine].number]
    api = client.get("/api/v1/promises/").json()
    assert [row["id"] for row in api["results"]] == [world[f"p{mine}"].pk]


def test_kunming_officer_pages_never_show_lufeng_tickets(world, client):
    client.force_login(persona("kunming_officer"))
    assert client.get(f"/service/tickets/{world['a'].pk}/").status_code == 404
    assert world["a"].title not in client.get("/service/tickets/").content.decode()
    assert client.get(f"/api/v1/tickets/{world['a'].pk}/").status_code == 404
    client.force_login(persona("lufeng_officer"))
    assert client.get(f"/service/tickets/{world['a'].pk}/").status_code == 200
    assert client.get(f"/service/tickets/{world['b'].pk}/").status_code == 404
