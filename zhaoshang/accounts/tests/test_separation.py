"""三员分立 cannot be bypassed (issue 13 item 2): every path that sets a password, moves an account or changes an
administrator's account — the admin change form, the admin password view, the platform pages, the services — keeps
the rules. There is no user-management API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from zhaoshang.accounts.models import AccountChangeRequest, OrgUnit, User
from zhaoshang.accounts.services import (
    account_change_approve,
    account_password_reset,
    user_move,
    user_set_roles,
    user_update,
)
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, browser_form_values, persona

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Hq-officer#2027x"


def org(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def admin_change(client, user: User, **changes):
    url = f"/admin/accounts/user/{user.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = browser_form_values(page.content.decode(), url)
    for name, value in changes.items():
        data[name] = [value] if value is not None else []
    return client.post(url, data)


# -- the admin site ------------------------------------------------------------------------------------------------
def test_admin_change_form_refuses_a_move_that_widens_the_scope(as_persona):
    client = as_persona("system_admin")
    officer = persona("lufeng_officer")
    response = admin_change(client, officer, org_unit=str(org("BUREAU-530000").pk))
    assert response.status_code == 200 and "扩大" in response.content.decode()
    assert persona("lufeng_officer").org_unit.code == "BUREAU-532302"
    response = admin_change(client, officer, org_unit=str(org("BUREAU-530100").pk))  # sideways: 昆明
    assert response.status_code == 200 and persona("lufeng_officer").org_unit.code == "BUREAU-532302"


def test_admin_change_form_allows_a_move_within_the_scope(as_persona):
    client = as_persona("system_admin")
    officer = persona("chuxiong_officer")
    response = admin_change(client, officer, org_unit=str(org("BUREAU-532302").pk))  # 楚雄州 → 禄丰市: narrower
    assert response.status_code == 302
    assert persona("chuxiong_officer").org_unit.code == "BUREAU-532302"


@pytest.mark.parametrize("target", ["security_admin", "audit_admin"])
def test_admin_site_shows_the_accounts_of_the_three_read_only(as_persona, target):
    client = as_persona("system_admin")
    user = persona(target)
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    assert not {"org_unit", "is_active", "full_name"} & set(page.context["adminform"].form.fields)
    client.post(f"/admin/accounts/user/{user.pk}/change/", {"full_name": "改名", "is_active": ""})
    after = persona(target)
    assert after.full_name == user.full_name and after.is_active


def test_user_update_refuses_changes_to_an_administrator_of_the_three():
    with pytest.raises(ValidationError, match="复核"):
        user_update(actor=persona("system_admin"), user=persona("security_admin"), changes={"is_active": False})
    assert persona("security_admin").is_active


def test_an_org_unit_with_accounts_is_not_moved_to_a_wider_node_in_the_admin_site(as_persona):
    from zhaoshang.accounts.services import org_unit_change_check
    from zhaoshang.regions.models import Region

    unit = org("BUREAU-532302")
    province = Region.objects.get(code="530000")
    url = f"/admin/accounts/orgunit/{unit.pk}/change/"
    client = as_persona("system_admin")
    data = browser_form_values(client.get(url).content.decode(), url) | {"region": [str(province.pk)]}
    assert client.post(url, data).status_code == 403  # org units are read-only for the system administrator
    with pytest.raises(ValidationError, match="扩大"):
        org_unit_change_check(actor=persona("system_admin"), org_unit=unit, region=province, park=None)
    empty = org("BUREAU-532301")  # no accounts: nobody's scope widens
    org_unit_change_check(actor=persona("system_admin"), org_unit=empty, region=province, park=None)
    assert persona("lufeng_officer").scope_path == "530000/532300/532302"


def test_accounts_created_in_the_admin_site_get_a_one_time_password(as_persona, client):
    admin_client = as_persona("system_admin")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new_officer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "full_name": "新干部",
            "org_unit": str(org("BUREAU-532302").pk),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_officer")
    assert user.must_change_password and not user.is_staff and user.role_codes == set()
    client.logout()
    client.post("/accounts/login/", {"username": "new_officer", "password": NEW_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")


# -- password resets: the security administrator only --------------------------------------------------------------
def test_only_the_security_admin_resets_another_accounts_password(as_persona):
    officer = persona("kunming_officer")
    with pytest.raises(PermissionDenied):
        account_password_reset(actor=persona("system_admin"), user=officer, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        account_password_reset(actor=persona("province_admin"), user=officer, password=NEW_PASSWORD)
    assert as_persona("system_admin").get(f"/accounts/users/{officer.pk}/password/").status_code == 403
    assert persona("kunming_officer").check_password(PASSWORD)


def test_a_reset_password_is_one_time_and_ends_the_sessions_and_tokens(as_persona, client):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(persona("kunming_officer"))
    token = Token.objects.create(user=persona("kunming_officer"))
    security = as_persona("security_admin")
    url = f"/accounts/users/{persona('kunming_officer').pk}/password/"
    response = security.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    officer = persona("kunming_officer")
    assert officer.check_password(NEW_PASSWORD) and officer.must_change_password
    assert officer_client.get("/").status_code == 302  # its open session ended
    assert not Token.objects.filter(pk=token.pk).exists()
    assert AuditLog.objects.filter(action="password_reset", object_id=str(officer.pk)).exists()


def test_the_security_admin_resets_through_the_platform_page_with_the_password_rules(as_persona):
    security = as_persona("security_admin")
    url = f"/accounts/users/{persona('kunming_officer').pk}/password/"
    response = security.post(url, {"new_password1": "Yunnan#2027", "new_password2": "Yunnan#2027"})
    assert response.status_code == 200 and "平台或地区名称" in response.content.decode()


# -- no administrator of the three acts on another alone ---------------------------------------------------------
@pytest.mark.parametrize("target", ["system_admin", "audit_admin"])
def test_resetting_an_administrators_password_waits_for_a_second_administrator(target):
    security = persona("security_admin")
    user = persona(target)
    change = account_password_reset(actor=security, user=user, password=NEW_PASSWORD)
    assert isinstance(change, AccountChangeRequest) and change.status == "pending"
    assert persona(target).check_password(PASSWORD)  # nothing happened yet
    assert "password" not in AuditLog.objects.filter(action="account_change_request").latest("id").after
    with pytest.raises(ValidationError, match="另一名管理员"):
        account_change_approve(actor=security, change=change)  # the one who filed it
    with pytest.raises(ValidationError, match="本人"):
        account_change_approve(actor=user, change=change)  # the account concerned
    with pytest.raises(PermissionDenied):
        account_change_approve(actor=persona("province_admin"), change=change)  # not one of the three
    second = persona("audit_admin" if target == "system_admin" else "system_admin")
    account_change_approve(actor=second, change=change)
    after = persona(target)
    assert after.check_password(NEW_PASSWORD) and after.must_change_password
    row = AuditLog.objects.filter(action="password_reset", object_id=str(user.pk)).latest("id")
    assert row.actor_name == "security_admin" and row.after["approved_by"] == second.username


def test_the_security_admins_own_changes_are_refused_and_the_system_admin_cannot_reset_it():
    security = persona("security_admin")
    with pytest.raises(ValidationError):
        account_password_reset(actor=security, user=security, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        account_password_reset(actor=persona("system_admin"), user=security, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        user_move(actor=security, user=security, org_unit=org("BUREAU-530000"))


def test_granting_an_administrator_role_waits_for_a_second_administrator(as_persona):
    client = as_persona("security_admin")
    leader = persona("leader_province")
    response = client.post(f"/accounts/users/{leader.pk}/roles/", {"roles": ["audit_admin"]})
    assert response.status_code == 302
    assert persona("leader_province").role_codes == {"leader"}
    change = AccountChangeRequest.objects.get(user=leader, kind="set_roles")
    page = as_persona("security_admin").get(f"/accounts/changes/{change.pk}/decide/")
    assert page.status_code == 200
    refused = as_persona("security_admin").post(f"/accounts/changes/{change.pk}/decide/", {"decision": "approve"})
    assert refused.status_code == 200 and persona("leader_province").role_codes == {"leader"}
    ok = as_persona("system_admin").post(f"/accounts/changes/{change.pk}/decide/", {"decision": "approve"})
    assert ok.status_code == 302
    assert persona("leader_province").role_codes == {"audit_admin"}


def test_unlocking_an_administrator_waits_for_a_second_administrator(as_persona):
    from datetime import timedelta

    from django.utils import timezone

    User.objects.filter(username="system_admin").update(locked_until=timezone.now() + timedelta(minutes=20))
    client = as_persona("security_admin")
    assert client.post(f"/accounts/users/{persona('system_admin').pk}/unlock/").status_code == 302
    assert persona("system_admin").is_locked()
    change = AccountChangeRequest.objects.get(kind="unlock")
    account_change_approve(actor=persona("audit_admin"), change=change)
    assert not persona("system_admin").is_locked()


# -- moves: widening needs the security administrator -------------------------------------------------------------
def test_the_security_admin_moves_an_account_to_a_wider_scope_and_its_sessions_end(as_persona):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(persona("lufeng_officer"))
    client = as_persona("security_admin")
    url = f"/accounts/users/{persona('lufeng_officer').pk}/org/"
    response = client.post(url, {"org_unit": str(org("BUREAU-532300").pk)})
    assert response.status_code == 302
    assert persona("lufeng_officer").scope_path == "530000/532300"
    assert officer_client.get("/").status_code == 302
    row = AuditLog.objects.filter(action="account_move").latest("id")
    assert row.after["widens"] is True and row.before["path"] == "530000/532300/532302"


def test_only_the_security_admin_moves_accounts_on_the_platform(as_persona):
    with pytest.raises(PermissionDenied):
        user_move(actor=persona("system_admin"), user=persona("lufeng_officer"), org_unit=org("BUREAU-530000"))
    url = f"/accounts/users/{persona('lufeng_officer').pk}/org/"
    assert as_persona("system_admin").get(url).status_code == 403
    assert as_persona("province_admin").get(url).status_code == 403


def test_setting_roles_on_a_business_account_needs_no_second_administrator():
    result = user_set_roles(
        actor=persona("security_admin"), user=persona("leader_province"), role_codes={"leader", "county_officer"}
    )
    assert isinstance(result, User) and result.role_codes == {"leader", "county_officer"}


def test_there_is_no_user_management_api(as_persona):
    client = as_persona("system_admin")
    for url in ("/api/v1/users/", "/api/v1/accounts/", "/api/v1/auth/users/"):
        assert client.get(url).status_code == 404
