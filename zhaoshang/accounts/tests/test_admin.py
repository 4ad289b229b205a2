import pytest

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, persona


@pytest.mark.django_db
def test_system_admin_cannot_grant_roles_in_the_admin_site(as_persona):
    client = as_persona("system_admin")
    target = persona("lufeng_officer")
    page = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert page.status_code == 200
    assert "groups" not in page.context["adminform"].form.fields
    assert "locked_until" not in page.context["adminform"].form.fields
    data = {"username": target.username, "full_name": "改名", "org_unit": target.org_unit_id, "is_active": "on"}
    data["groups"] = ["1", "2", "3"]
    assert client.post(f"/admin/accounts/user/{target.pk}/change/", data).status_code == 302
    target.refresh_from_db()
    assert target.full_name == "改名" and target.role_codes == {"county_officer"}
    row = AuditLog.objects.filter(action="update", object_type="accounts.User").latest("id")
    assert "password" not in row.after and row.after["full_name"] == "改名"


@pytest.mark.django_db
def test_admin_login_goes_through_the_platform_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.post("/accounts/login/?next=/admin/", {"username": "system_admin", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    assert AuditLog.objects.filter(action="login", actor_name="system_admin").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["kunming_officer", "security_admin", "province_admin"])
def test_the_system_admin_cannot_set_anyones_password_in_the_admin_site(as_persona, target):
    """三员分立 (issue 13 item 2): the admin site's password form is closed; resets are the security administrator's."""
    client = as_persona("system_admin")
    user = persona(target)
    url = f"/admin/accounts/user/{user.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Kmg-officer#2027x", "password2": "Kmg-officer#2027x"})
    assert response.status_code == 403
    assert persona(target).password == user.password
    assert not AuditLog.objects.filter(action="password_change", object_id=str(user.pk)).exists()
