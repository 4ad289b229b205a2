"""Two factors for internal users (等保 level 3, issue 13): password + TOTP (RFC 6238) with single-use recovery
codes, on every route including the API token endpoint. On with MFA_REQUIRED (always in production); an enrolled
account is always asked for its code."""

import time

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.accounts import mfa
from zhaoshang.accounts.models import RecoveryCode, User
from zhaoshang.accounts.services import account_mfa_enrol
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True
    return settings


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def enrol(name: str) -> tuple[str, list[str]]:
    secret = mfa.new_secret()
    codes = account_mfa_enrol(user=persona(name), secret=secret, code=mfa.code_at(secret, time.time() - 30))
    return secret, codes


def test_the_password_alone_signs_nobody_in_when_a_second_factor_is_required(client, mfa_required):
    response = login(client, "lufeng_officer")
    assert response.status_code == 302 and response["Location"] == "/accounts/mfa/setup/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# Pages a half-signed-in session may see: the sign-in steps themselves and what anonymous visitors get anyway.
# The public site (portal, issue 21) is for anonymous visitors by design: /invest/, /robots.txt, /sitemap.xml; an
# enterprise registers itself (aftercare, issue 17).
OPEN_TO_ANONYMOUS = ("accounts/login/", "accounts/mfa/", "accounts/mfa/setup/", "admin/login/", "static/", "__")
OPEN_TO_ANONYMOUS += ("invest/", "robots.txt", "sitemap.xml", "service/register/")


def test_no_route_answers_a_session_that_gave_only_the_password(client, mfa_required):
    """Every URL pattern of the platform (ids filled with 1) with the session between the two factors: nothing
    but the sign-in pages answers with content, the API answers 401/403, the admin site sends to the login."""
    import re

    enrol("province_admin")
    login(client, "province_admin")
    assert client.session.get("_mfa_pending")
    walked = 0
    for route in set(routes(get_resolver().url_patterns)):
        url = "/" + re.sub(r"<[^>]+>", "1", route.replace("^", "").replace("$", ""))
        if "<" in url or "(?P" in url or url.startswith(tuple("/" + p for p in OPEN_TO_ANONYMOUS)):
            continue
        response = client.get(url)
        walked += 1
        assert response.status_code in (302, 401, 403, 404, 405), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), url
    assert walked > 40
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_a_qr_code_and_signs_in_with_recovery_codes_shown_once(client, mfa_required):
    login(client, "lufeng_officer")
    page = client.get("/accounts/mfa/setup/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "otpauth://totp/" in body
    secret = mfa.decrypt_secret(client.session["_mfa_setup_secret"])  # not in clear in the session table
    assert secret in body
    wrong = client.post("/accounts/mfa/setup/", {"code": "000000" if mfa.code_at(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/accounts/mfa/setup/", {"code": mfa.code_at(secret)})
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert client.session["_auth_user_id"] == str(persona("lufeng_officer").pk)
    user = persona("lufeng_officer")
    assert user.mfa_enrolled and secret not in user.totp_secret and user.totp_secret.startswith("sm4gcm:")
    assert not RecoveryCode.objects.filter(digest__in=response.context["codes"]).exists()  # kept as digests
    assert AuditLog.objects.filter(action="mfa_enrol", object_id=str(user.pk)).exists()
    assert client.get("/").status_code == 200


def test_an_enrolled_account_signs_in_with_its_code_and_each_code_works_once(client, mfa_required):
    secret, _ = enrol("lufeng_officer")
    response = login(client, "lufeng_officer")
    assert response["Location"] == "/accounts/mfa/"
    code = mfa.code_at(secret)
    assert client.post("/accounts/mfa/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    row = AuditLog.objects.filter(action="login", actor_name="lufeng_officer").latest("id")
    assert row.after == {"via": "web", "second_factor": "totp"}
    replay = Client()
    login(replay, "lufeng_officer")
    response = replay.post("/accounts/mfa/", {"code": code})  # the same code again, seen over a shoulder
    assert response.status_code == 200 and "_auth_user_id" not in replay.session


def test_enrolled_accounts_give_their_code_even_when_it_is_not_required(client):
    enrol("kunming_officer")
    assert login(client, "kunming_officer")["Location"] == "/accounts/mfa/"
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, mfa_required):
    _, codes = enrol("chuxiong_officer")
    login(client, "chuxiong_officer")
    assert client.post("/accounts/mfa/", {"code": codes[0].lower()}).status_code == 302
    again = Client()
    login(again, "chuxiong_officer")
    assert again.post("/accounts/mfa/", {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in again.session
    assert RecoveryCode.objects.filter(user=persona("chuxiong_officer"), used_at__isnull=False).count() == 1


def test_wrong_codes_count_toward_the_lock_and_the_password_does_not_reset_the_count(client, mfa_required):
    enrol("kunming_officer")
    for _ in range(2):
        login(client, "kunming_officer")  # the right password between the guesses
        client.post("/accounts/mfa/", {"code": "999999"})
        client.post("/accounts/mfa/", {"code": "999998"})
    assert persona("kunming_officer").failed_login_count == 4 and not persona("kunming_officer").is_locked()
    login(client, "kunming_officer")
    response = client.post("/accounts/mfa/", {"code": "999997"})
    assert persona("kunming_officer").is_locked()
    assert response.status_code == 403 and "账户已锁定" in response.content.decode()
    assert AuditLog.objects.filter(action="lockout", actor_name="kunming_officer").count() == 1


def test_the_token_endpoint_needs_the_code_of_an_enrolled_account(client, mfa_required):
    secret, _ = enrol("lufeng_officer")
    data = {"username": "lufeng_officer", "password": PASSWORD}
    assert client.post("/api/v1/auth/token/", data).status_code == 400
    assert client.post("/api/v1/auth/token/", data | {"otp": "123456"}).status_code == 400
    response = client.post("/api/v1/auth/token/", data | {"otp": mfa.code_at(secret)})
    assert response.status_code == 200
    assert Client().get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}").status_code == 200


def test_the_token_endpoint_refuses_an_account_that_must_enrol_first(client, mfa_required):
    response = client.post("/api/v1/auth/token/", {"username": "lufeng_officer", "password": PASSWORD})
    assert response.status_code == 400 and "绑定动态口令" in str(response.json())


def test_enterprise_accounts_are_not_internal_and_sign_in_with_the_password(client, mfa_required):
    assert login(client, "enterprise_demo").status_code == 302
    assert client.session.get("_auth_user_id") == str(persona("enterprise_user").pk)


def test_a_half_signed_in_session_expires(client, mfa_required, settings):
    enrol("lufeng_officer")
    login(client, "lufeng_officer")
    settings.MFA_PENDING_SECONDS = -1
    assert client.get("/accounts/mfa/")["Location"] == "/accounts/login/"


def test_the_security_admin_resets_a_lost_authenticator(as_persona, mfa_required):
    enrol("lufeng_officer")
    officer = persona("lufeng_officer")
    response = as_persona("security_admin").post(f"/accounts/users/{officer.pk}/mfa-reset/")
    assert response.status_code == 302
    officer = persona("lufeng_officer")
    assert not officer.mfa_enrolled and not RecoveryCode.objects.filter(user=officer).exists()
    client = Client()
    assert login(client, "lufeng_officer")["Location"] == "/accounts/mfa/setup/"


def test_the_test_client_helper_is_a_completed_sign_in(as_persona, mfa_required):
    """Tests sign in with ``force_login`` (core.testing.client_for): both factors count as given."""
    enrol("province_admin")
    assert as_persona("province_admin").get("/").status_code == 200


def test_the_demo_accounts_keep_signing_in_with_the_password_outside_production(client, settings):
    assert settings.MFA_REQUIRED is False
    assert login(client, "province_admin").status_code == 302
    assert client.get("/").status_code == 200
    assert not User.objects.filter(totp_confirmed_at__isnull=False).exists()
