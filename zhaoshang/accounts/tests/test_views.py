import pytest

from zhaoshang.accounts.models import User
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona


def pk(name):
    return persona(name).pk


@pytest.mark.django_db
def test_security_admin_lists_users_and_assigns_roles(as_persona):
    client = as_persona("security_admin")
    assert "lufeng_officer" in client.get("/accounts/users/").content.decode()
    response = client.post(f"/accounts/users/{pk('leader_province')}/roles/", {"roles": ["leader", "province_admin"]})
    assert response.status_code == 302
    assert persona("leader_province").role_codes == {"leader", "province_admin"}


@pytest.mark.django_db
def test_assigning_two_separated_admin_roles_is_refused_with_a_message(as_persona):
    client = as_persona("security_admin")
    url = f"/accounts/users/{pk('audit_admin')}/roles/"
    response = client.post(url, {"roles": ["audit_admin", "system_admin"]})
    assert response.status_code == 200 and "不同账户" in response.content.decode()
    assert persona("audit_admin").role_codes == {"audit_admin"}


@pytest.mark.django_db
def test_security_admin_unlocks_a_locked_account(as_persona, client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "lufeng_officer", "password": "Wrong-pass1"})
    assert persona("lufeng_officer").is_locked()
    client = as_persona("security_admin")
    assert client.post(f"/accounts/users/{pk('lufeng_officer')}/unlock/").status_code == 302
    assert not persona("lufeng_officer").is_locked()
    assert AuditLog.objects.filter(action="unlock", object_id=str(pk("lufeng_officer"))).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["province_admin", "chuxiong_officer", "audit_admin"])
def test_only_the_security_admin_assigns_roles(as_persona, name):
    assert as_persona(name).get(f"/accounts/users/{pk('lufeng_officer')}/roles/").status_code == 403


@pytest.mark.django_db
def test_user_export_is_audited(as_persona):
    response = as_persona("security_admin").get("/accounts/users/", {"export": "xlsx", "q": "officer"})
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="export", object_type="accounts.User").exists()
    assert User.objects.filter(username__contains="officer").count() == 3
