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


@pytest.mark.django_db
def test_activity_renews_the_idle_expiry_at_most_once_a_minute(client):
    login(client, "lufeng_officer", PASSWORD)
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get("/")  # renewed at login less than a minute ago: no write
    assert Session.objects.get(pk=key).expire_date == soon
    session = client.session
    session["_renewed_at"] -= 61
    session.save()
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get("/")
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db
def test_parallel_guesses_past_the_limit_are_refused_without_checking_the_password(client):
    from zhaoshang.accounts.services import account_login_attempt_claim

    user = persona("kunming_officer")
    for _ in range(5):
        account_login_attempt_claim(user=user)  # five guesses in flight at once, none finished
    assert login(client, "kunming_officer", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_token_stops_working_when_the_account_locks_or_the_user_logs_out(client):
    token = client.post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD}).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get("/api/v1/parks/", **auth).status_code == 200
    User.objects.filter(username="lufeng_officer").update(locked_until=timezone.now() + timedelta(minutes=5))
    assert client.get("/api/v1/parks/", **auth).status_code == 401
    User.objects.filter(username="lufeng_officer").update(locked_until=None)
    login(client, "lufeng_officer", PASSWORD)
    client.post("/accounts/logout/")
    assert client.get("/api/v1/parks/", **auth).status_code == 401


@pytest.mark.django_db
def test_an_expired_token_is_refused(client, settings):
    token = client.post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD}).json()["token"]
    settings.API_TOKEN_LIFETIME = timedelta(seconds=0)
    response = client.get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401 and "过期" in response.json()["detail"]


@pytest.mark.django_db
def test_idle_logout_says_why(client):
    login(client, "lufeng_officer", PASSWORD)
    response = client.post("/accounts/logout/", {"reason": "idle"}, follow=True)
    assert "30 分钟无操作" in response.content.decode()


@pytest.mark.django_db
def test_users_change_their_own_password_under_the_rules(client):
    login(client, "lufeng_officer", PASSWORD)
    weak = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    strong = "Lf-2027#qwert"
    ok = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert ok.status_code == 302
    assert persona("lufeng_officer").check_password(strong)
    assert AuditLog.objects.filter(action="password_change", actor_name="lufeng_officer").exists()


@pytest.mark.django_db
def test_the_public_demo_password_never_opens_production(client, settings):
    settings.PRODUCTION = True
    assert login(client, "lufeng_officer", PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
