from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from zhaoshang.accounts.models import User
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, persona


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_is_chinese_and_anonymous_users_are_sent_to_it(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "用户登录" in response.content.decode()


@pytest.mark.django_db
def test_login_and_logout_are_audited(client):
    assert login(client, "lufeng_officer", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    actions = list(AuditLog.objects.filter(actor_name="lufeng_officer").values_list("action", flat=True)[:2])
    assert actions == ["logout", "login"]
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_six_failed_logins_lock_the_account_and_the_right_password_is_refused(client):
    for _ in range(6):
        response = login(client, "kunming_officer", "wrong-Password1")
        assert response.status_code == 200
    assert "账户已锁定" in response.content.decode()
    response = login(client, "kunming_officer", PASSWORD)
    assert response.status_code == 200 and "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    actions = set(AuditLog.objects.filter(actor_name="kunming_officer").values_list("action", flat=True))
    assert {"login_failed", "lockout"} <= actions


@pytest.mark.django_db
def test_the_lock_expires_after_thirty_minutes(client):
    for _ in range(5):
        login(client, "kunming_officer", "wrong-Password1")
    user = persona("kunming_officer")
    assert user.is_locked()
    assert timedelta(minutes=29) < user.locked_until - timezone.now() <= timedelta(minutes=30)
    assert not user.is_locked(now=timezone.now() + timedelta(minutes=31))
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert login(client, "kunming_officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_api_password_attempts_count_toward_the_lock(client):
    for _ in range(5):
        response = client.post("/api/v1/auth/token/", {"username": "chuxiong_officer", "password": "nope-Nope1"})
        assert response.status_code == 400
    assert persona("chuxiong_officer").is_locked()
    assert client.post("/api/v1/auth/token/", {"username": "chuxiong_officer", "password": PASSWORD}).status_code == 400
    assert login(client, "chuxiong_officer", PASSWORD).status_code == 200


@pytest.mark.django_db
def test_api_token_works_and_is_scoped(client):
    token = client.post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD}).json()["token"]
    client.logout()
    response = client.get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {token}")
    assert [p["code"] for p in response.json()["results"]] == ["S539053"]


@pytest.mark.django_db
def test_a_session_idle_for_thirty_minutes_is_logged_out(client):
    login(client, "lufeng_officer", PASSWORD)
    session = Session.objects.get(session_key=client.session.session_key)
    first_expiry = session.expire_date
    assert first_expiry - timezone.now() <= timedelta(minutes=30)
    client.get("/")  # activity renews the 30 minutes
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
