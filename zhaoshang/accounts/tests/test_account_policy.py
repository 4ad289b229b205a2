"""Password age, one-time passwords, idle accounts, administrators' networks (等保 level 3, issue 13)."""

import io
import ipaddress
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from zhaoshang.accounts.models import User
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, persona

pytestmark = pytest.mark.django_db
NEW = "Kd-2027#qwerty"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def age_password(name: str, days: int) -> None:
    User.objects.filter(username=name).update(password_changed_at=timezone.now() - timedelta(days=days))


# -- password age and one-time passwords ---------------------------------------------------------------------------
def test_a_password_older_than_90_days_is_changed_before_anything_else(client):
    age_password("lufeng_officer", 91)
    login(client, "lufeng_officer")
    for url in ("/", "/projects/", "/enterprises/", "/jobs/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/password/?next="), url
    assert client.get("/api/v1/parks/").status_code == 403
    page = client.get("/accounts/password/?next=/projects/")
    assert page.status_code == 200 and "超过 90 天" in page.content.decode()
    response = client.post(
        "/accounts/password/?next=/projects/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW, "next": "/projects/"},
    )
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert client.get("/projects/").status_code == 200


def test_a_password_of_89_days_is_still_good(client):
    age_password("lufeng_officer", 89)
    login(client, "lufeng_officer")
    assert client.get("/").status_code == 200


def test_an_expired_password_gets_no_api_token_and_its_tokens_stop_working(client):
    token = client.post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD}).json()["token"]
    age_password("lufeng_officer", 91)
    assert Client().get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    response = Client().post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD})
    assert response.status_code == 400 and "修改密码" in str(response.json())


def test_a_one_time_password_is_changed_at_the_first_sign_in(client):
    User.objects.filter(username="kunming_officer").update(must_change_password=True)
    login(client, "kunming_officer")
    assert client.get("/")["Location"].startswith("/accounts/password/")
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    user = persona("kunming_officer")
    assert not user.must_change_password and user.password_changed_at > timezone.now() - timedelta(minutes=1)
    assert client.get("/").status_code == 200


def test_the_admin_site_also_waits_for_the_new_password(client):
    User.objects.filter(username="system_admin").update(must_change_password=True)
    login(client, "system_admin")
    assert client.get("/admin/")["Location"].startswith("/accounts/password/")


# -- idle accounts -------------------------------------------------------------------------------------------------
def test_accounts_unused_for_the_set_days_are_disabled_and_their_sessions_ended(settings):
    settings.ACCOUNT_INACTIVE_DAYS = 60
    open_session = Client()
    open_session.force_login(persona("leader_province"))
    token = Token.objects.create(user=persona("leader_province"))
    long_ago = timezone.now() - timedelta(days=61)
    User.objects.filter(username="leader_province").update(last_login=long_ago, date_joined=long_ago)
    User.objects.filter(username="kunming_officer").update(last_login=timezone.now() - timedelta(days=59))
    out = io.StringIO()
    call_command("accounts_disable_inactive", stdout=out)
    assert "leader_province" in out.getvalue()
    assert not persona("leader_province").is_active
    assert persona("kunming_officer").is_active
    assert open_session.get("/").status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()
    row = AuditLog.objects.filter(action="account_disable").latest("id")
    assert row.object_id == str(persona("leader_province").pk) and row.after["days"] == 60


def test_a_never_used_account_counts_from_its_creation_and_a_re_enabled_one_from_then(settings):
    from zhaoshang.accounts.services import accounts_disable_inactive

    settings.ACCOUNT_INACTIVE_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    User.objects.filter(username__in=["leader_province", "chuxiong_officer"]).update(
        last_login=None, date_joined=long_ago
    )
    User.objects.filter(username="chuxiong_officer").update(reenabled_at=timezone.now() - timedelta(days=2))
    assert accounts_disable_inactive() == ["leader_province"]


def test_signing_in_to_an_idle_account_is_refused_with_the_one_message_and_disables_it(client, settings):
    settings.ACCOUNT_INACTIVE_DAYS = 30
    User.objects.filter(username="lufeng_officer").update(last_login=timezone.now() - timedelta(days=31))
    response = login(client, "lufeng_officer")
    assert response.status_code == 200 and "停用" in response.context["form"].non_field_errors()[0]
    assert not persona("lufeng_officer").is_active


def test_re_enabling_in_the_admin_site_restarts_the_clock(as_persona, settings):
    from zhaoshang.core.testing import browser_form_values

    settings.ACCOUNT_INACTIVE_DAYS = 30
    User.objects.filter(username="lufeng_officer").update(
        is_active=False, last_login=timezone.now() - timedelta(days=90)
    )
    client = as_persona("system_admin")
    url = f"/admin/accounts/user/{persona('lufeng_officer').pk}/change/"
    data = browser_form_values(client.get(url).content.decode(), url) | {"is_active": ["on"]}
    assert client.post(url, data).status_code == 302
    officer = persona("lufeng_officer")
    assert officer.is_active and officer.reenabled_at > timezone.now() - timedelta(minutes=1)
    assert login(Client(), "lufeng_officer").status_code == 302


# -- administrators' pages from the allowed networks only ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("system_admin", "/admin/"),
        ("security_admin", "/accounts/users/"),
        ("audit_admin", "/audit/"),
        ("security_admin", "/accounts/changes/"),
    ],
)
def test_administrators_pages_answer_only_the_allowed_networks(as_persona, settings, name, url):
    settings.ADMIN_ALLOWED_NETWORKS = [ipaddress.ip_network("10.20.0.0/16")]
    client = as_persona(name)
    assert client.get(url, REMOTE_ADDR="10.20.3.4").status_code == 200
    refused = client.get(url, REMOTE_ADDR="192.168.1.9")
    assert refused.status_code == 403 and "管理终端" in refused.content.decode()
    row = AuditLog.objects.filter(action="refused_permission", actor_name=name).latest("id")
    assert "管理终端" in row.after["message"] and row.ip == "192.168.1.9"
    # A forged X-Forwarded-For is not believed without a trusted proxy in front.
    assert client.get(url, REMOTE_ADDR="192.168.1.9", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 403


def test_business_pages_are_not_limited_to_the_administrators_networks(as_persona, settings):
    settings.ADMIN_ALLOWED_NETWORKS = [ipaddress.ip_network("10.20.0.0/16")]
    assert as_persona("lufeng_officer").get("/projects/", REMOTE_ADDR="192.168.1.9").status_code == 200


def test_behind_a_trusted_proxy_the_address_it_saw_decides(as_persona, settings):
    settings.ADMIN_ALLOWED_NETWORKS = [ipaddress.ip_network("10.20.0.0/16")]
    settings.TRUSTED_PROXIES = 1
    client = as_persona("system_admin")
    assert client.get("/admin/", REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 200
    assert client.get("/admin/", REMOTE_ADDR="172.16.0.1", HTTP_X_FORWARDED_FOR="8.8.8.8").status_code == 403
