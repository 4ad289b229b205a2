"""Issue 11 item 14: refused attempts — outside the scope (404), without the permission (403), a 不招 save — are in
the audit trail, rate-limited, and the audit administrator finds them by kind and by org unit."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from zhaoshang.core.audit import audit_verify
from zhaoshang.core.models import AuditLog
from zhaoshang.core.refusals import PER_USER_KIND_PER_MINUTE, _key
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Region

pytestmark = pytest.mark.django_db
CEMENT = "新建日产4000吨水泥熟料生产线"
REFUSALS = ("refused_scope", "refused_permission", "refused_admission")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kunming_project(db):
    return services.project_create(
        actor=persona("kunming_officer"),
        name="五华数字经济项目",
        investor_name="昆明某科技有限公司",
        county=Region.objects.get(code="530102"),
        on=date(2024, 1, 5),
    )


def refusals(**filters):
    return AuditLog.objects.filter(action__in=REFUSALS, **filters)


def test_an_attempt_on_a_project_outside_the_scope_is_one_row(as_persona, kunming_project):
    client = as_persona("lufeng_officer")
    assert client.get(f"/projects/{kunming_project.pk}/").status_code == 404
    row = refusals().get()
    lufeng = persona("lufeng_officer")
    assert (row.action, row.actor, row.object_type, row.object_id) == (
        "refused_scope",
        lufeng,
        "projects.Project",
        str(kunming_project.pk),
    )
    assert row.path == lufeng.scope_path  # read by the actor's own office and those above it
    assert row.after["url"] == f"/projects/{kunming_project.pk}/" and row.after["method"] == "GET"
    assert kunming_project.name not in row.object_repr  # the object stays unnamed to the actor's office
    assert audit_verify() is None


def test_an_edit_and_an_api_lookup_outside_the_scope_are_recorded_too(as_persona, kunming_project):
    client = as_persona("lufeng_officer")
    assert client.get(f"/projects/{kunming_project.pk}/edit/").status_code == 404
    assert client.get(f"/api/v1/projects/{kunming_project.pk}/").status_code == 404
    assert refusals(action="refused_scope", object_id=str(kunming_project.pk)).count() == 2


def test_something_that_does_not_exist_is_not_a_refusal(as_persona):
    client = as_persona("lufeng_officer")
    assert client.get("/projects/987654/").status_code == 404
    assert client.get("/api/v1/projects/987654/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert not refusals().exists()


def test_a_function_without_the_permission_is_one_row(as_persona):
    assert as_persona("lufeng_officer").get("/audit/").status_code == 403
    row = refusals().get()
    assert row.action == "refused_permission" and row.actor == persona("lufeng_officer")
    assert row.after["message"] == "您没有此功能的权限" and row.after["url"] == "/audit/"


def test_an_api_refusal_of_the_permission_is_recorded(as_persona):
    response = as_persona("leader_province").post("/api/v1/projects/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert refusals(action="refused_permission", actor=persona("leader_province")).count() == 1


def test_a_library_step_the_role_does_not_allow_is_recorded(as_persona, make_project_in_lufeng):
    client = as_persona("leader_province")  # reads the library, takes no step in it
    page = client.post(f"/projects/{make_project_in_lufeng.pk}/library/", {"action": "approve"})
    api = client.post(
        f"/api/v1/projects/{make_project_in_lufeng.pk}/library/", {"action": "approve"}, content_type="application/json"
    )
    assert (page.status_code, api.status_code) == (403, 403)
    rows = refusals(action="refused_permission", actor=persona("leader_province"))
    assert rows.count() == 2 and all("招大引强" in row.after["message"] for row in rows)


def test_anonymous_requests_are_not_refusals(client, kunming_project):
    client.get(f"/projects/{kunming_project.pk}/")
    client.get("/audit/")
    client.get(f"/api/v1/projects/{kunming_project.pk}/")
    assert not refusals().exists()


def test_a_refused_reject_save_is_recorded_though_nothing_is_saved(as_persona):
    lufeng = Region.objects.get(code="532302")
    data = {
        "name": CEMENT,
        "investor_name": "云南某某建材有限公司",
        "county": lufeng.pk,
        "agreed_investment_wan": "80000",
        "currency": "CNY",
        "on": "2024-01-10",
    }
    response = as_persona("lufeng_officer").post("/projects/new/", data)
    assert response.status_code == 200 and not Project.objects.filter(name=CEMENT).exists()
    row = refusals().get()
    assert (row.action, row.object_type, row.object_repr) == ("refused_admission", "projects.Project", CEMENT)
    assert row.after["verdict"] == "reject" and row.after["rules"] == ["overcapacity"]
    assert row.after["url"] == "/projects/new/" and any("水泥" in reason for reason in row.after["reasons"])
    # The API's 409 is the same refusal, from the same service.
    api = as_persona("lufeng_officer").post(
        "/api/v1/projects/",
        {"name": CEMENT, "investor_name": "云南某某建材有限公司", "county": "532302", "on": "2024-01-10"},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert refusals(action="refused_admission").count() == 2
    assert audit_verify() is None


def test_a_refused_edit_names_the_project(make_project_in_lufeng):
    project = make_project_in_lufeng
    with pytest.raises(services.AdmissionRejected):
        services.project_update(
            actor=persona("lufeng_officer"),
            project=project,
            name=CEMENT,
            county=project.county,
            park=None,
            **{name: getattr(project, name) for name in services.PROJECT_FIELDS},
        )
    row = refusals(action="refused_admission").get()
    assert row.object_id == str(project.pk) and row.object_repr == CEMENT
    assert Project.objects.get(pk=project.pk).name == "禄丰新材料项目"


@pytest.fixture
def make_project_in_lufeng(db):
    return services.project_create(
        actor=persona("lufeng_officer"),
        name="禄丰新材料项目",
        investor_name="云南某新材料有限公司",
        county=Region.objects.get(code="532302"),
        on=date(2024, 1, 5),
        agreed_investment_wan=Decimal("50000"),
    )


# -- rate limit ---------------------------------------------------------------------------------------------------
def test_fifty_rapid_refusals_of_one_address_are_one_row(as_persona, kunming_project):
    client = as_persona("lufeng_officer")
    for _ in range(50):
        assert client.get(f"/projects/{kunming_project.pk}/").status_code == 404
    assert refusals().count() == 1


def test_fifty_rapid_refusals_of_different_addresses_are_bounded(as_persona):
    client = as_persona("lufeng_officer")
    for pk in range(1, 51):
        assert client.get(f"/audit/{pk}/").status_code == 403
    assert refusals(action="refused_permission").count() == PER_USER_KIND_PER_MINUTE
    # Another user and another kind have their own allowance.
    assert as_persona("kunming_officer").get("/audit/").status_code == 403
    assert refusals(action="refused_permission").count() == PER_USER_KIND_PER_MINUTE + 1


def test_the_next_row_counts_the_refusals_not_written_on_their_own(as_persona, kunming_project):
    client = as_persona("lufeng_officer")
    url = f"/projects/{kunming_project.pk}/"
    for _ in range(50):
        client.get(url)
    user = persona("lufeng_officer")
    cache.delete_many([_key(user.pk, "refused_scope", url), _key(user.pk, "refused_scope", "budget")])  # a minute on
    client.get(url)
    rows = list(refusals().order_by("id"))
    assert len(rows) == 2 and rows[1].after["suppressed"] == 49


# -- the audit administrator finds them -------------------------------------------------------------------------
def test_the_audit_administrator_finds_refusals_by_kind_and_org_unit(as_persona, kunming_project):
    lufeng, kunming = persona("lufeng_officer"), persona("kunming_officer")
    as_persona("lufeng_officer").get(f"/projects/{kunming_project.pk}/")
    as_persona("lufeng_officer").get("/audit/")
    as_persona("kunming_officer").get("/audit/")

    client = as_persona("audit_admin")
    rows = client.get("/audit/?kind=refusal").context["object_list"]
    assert {(r.actor_name, r.action) for r in rows} == {
        ("lufeng_officer", "refused_scope"),
        ("lufeng_officer", "refused_permission"),
        ("kunming_officer", "refused_permission"),
    }
    by_unit = client.get(f"/audit/?kind=refusal&org_unit={lufeng.org_unit_id}").context["object_list"]
    assert {r.actor_name for r in by_unit} == {"lufeng_officer"} and len(by_unit) == 2
    by_action = client.get(f"/audit/?action=refused_permission&org_unit={kunming.org_unit_id}")
    assert [r.actor_name for r in by_action.context["object_list"]] == ["kunming_officer"]
    page = client.get("/audit/?kind=refusal").content.decode()
    assert "拒绝：访问辖区外对象" in page and "拒绝：无此功能权限" in page
    detail = client.get(f"/audit/{by_unit[0].pk}/").content.decode()
    assert "访问地址" in detail and "拒绝原因" in detail


def test_the_org_unit_filter_offers_the_units_of_the_readers_scope(as_persona):
    form = as_persona("audit_admin").get("/audit/").context["filter"].form
    units = list(form.fields["org_unit"].queryset.values_list("code", flat=True))
    assert "BUREAU-532302" in units and "BUREAU-530100" in units


def test_refusals_are_not_changes_of_the_object(as_persona, kunming_project):
    as_persona("lufeng_officer").get(f"/projects/{kunming_project.pk}/")
    assert refusals().count() == 1
    page = as_persona("province_admin").get(f"/projects/{kunming_project.pk}/")
    assert [row.action for row in page.context["history"]] == ["create"]
