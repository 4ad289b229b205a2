"""Sessions and credentials (issue 13 item 8): a lockout ends the account's sessions and tokens, a password change
deletes its tokens, wrong old passwords count, one message for every refused sign-in, no reuse of the last five
passwords nor of the platform's name, one lockout row per burst."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import account_login_attempt_claim, account_login_failed
from zhaoshang.accounts.validators import PasswordHistoryValidator
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import PASSWORD, persona

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in_client(name: str) -> Client:
    client = Client()
    client.force_login(persona(name))
    assert client.get("/").status_code == 200
    return client


def token_for(client, username, password=PASSWORD) -> str:
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}).json()["token"]


def test_a_lockout_ends_every_web_session_of_the_account(client):
    open_session = signed_in_client("kunming_officer")
    for _ in range(5):
        login(client, "kunming_officer", "Wrong-guess#1")
    assert persona("kunming_officer").is_locked()
    response = open_session.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditLog.objects.filter(action="lockout", actor_name="kunming_officer").latest("id").after["sessions_ended"]


def test_a_lockout_deletes_the_accounts_api_tokens_for_good(client):
    token = token_for(Client(), "kunming_officer")
    for _ in range(5):
        login(client, "kunming_officer", "Wrong-guess#1")
    User.objects.filter(username="kunming_officer").update(locked_until=None)  # unlocked again
    assert client.get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_a_password_change_deletes_the_accounts_api_tokens(client):
    token = token_for(Client(), "lufeng_officer")
    login(client, "lufeng_officer", PASSWORD)
    new = "Lf-2027#qwert"
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert Client().get("/api/v1/parks/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert client.get("/").status_code == 200  # the session that changed it stays signed in


def test_a_password_change_ends_the_accounts_other_sessions(client):
    other = signed_in_client("lufeng_officer")
    login(client, "lufeng_officer", PASSWORD)
    new = "Lf-2027#qwert"
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert other.get("/").status_code == 302


def test_wrong_old_passwords_on_the_change_form_count_and_lock_the_account(client):
    login(client, "lufeng_officer", PASSWORD)
    new = "Lf-2027#qwert"
    for attempt in range(1, 5):
        response = client.post(
            "/accounts/password/", {"old_password": f"Wrong-{attempt}#x", "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 200 and "原密码不正确" in response.content.decode()
        assert persona("lufeng_officer").failed_login_count == attempt
    response = client.post(
        "/accounts/password/", {"old_password": "Wrong-5#x", "new_password1": new, "new_password2": new}
    )
    assert persona("lufeng_officer").is_locked()
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # signed out
    assert persona("lufeng_officer").check_password(PASSWORD)


def test_one_message_for_an_unknown_user_a_wrong_password_and_a_locked_account(client):
    def message(username, password):
        response = login(Client(), username, password)
        assert response.status_code == 200
        return response.context["form"].non_field_errors()

    unknown = message("no_such_user", "Wrong-guess#1")
    wrong = message("kunming_officer", "Wrong-guess#1")
    for _ in range(5):
        login(client, "kunming_officer", "Wrong-guess#1")
    locked_right_password = message("kunming_officer", PASSWORD)
    locked_wrong_password = message("kunming_officer", "Wrong-guess#1")
    assert unknown == wrong == locked_right_password == locked_wrong_password
    assert "账户已锁定" in unknown[0]  # says a lock may be the reason, never whether it is


def test_the_token_endpoint_gives_one_message_too(client):
    def message(username, password):
        response = Client().post("/api/v1/auth/token/", {"username": username, "password": password})
        assert response.status_code == 400
        return response.json()

    unknown = message("no_such_user", "Wrong-guess#1")
    for _ in range(5):
        login(client, "kunming_officer", "Wrong-guess#1")
    assert unknown == message("kunming_officer", PASSWORD) == message("kunming_officer", "Wrong-guess#1")


def test_a_burst_of_parallel_failures_writes_one_lockout_row():
    user = persona("chuxiong_officer")
    # Seven guesses in flight at once: each request loaded the account (unlocked) and claimed its attempt...
    in_flight = [(persona("chuxiong_officer"), account_login_attempt_claim(user=user)) for _ in range(7)]
    assert [attempt for _, attempt in in_flight] == [1, 2, 3, 4, 5, 6, 7]
    for loaded, attempt in in_flight:  # ...then each finishes and reports its failure
        account_login_failed(user=loaded, username=user.username, attempt=attempt)
    assert AuditLog.objects.filter(action="lockout", object_id=str(user.pk)).count() == 1
    assert persona("chuxiong_officer").is_locked()


def test_the_last_five_passwords_are_refused_and_the_sixth_is_accepted(client):
    passwords = [PASSWORD] + [f"Kd-{n}#qwert{n}" for n in range(1, 6)]
    login(client, "lufeng_officer", PASSWORD)
    for old, new in zip(passwords, passwords[1:], strict=False):
        response = client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})
        assert response.status_code == 302, response.context["form"].errors
    user = persona("lufeng_officer")
    for recent in passwords[-5:]:  # the current one and the four before it
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, user)
    assert user.password_history.count() == 5
    # The demo password, six passwords back, is no longer remembered (the platform-word rule refuses it anyway).
    PasswordHistoryValidator(count=5).validate(PASSWORD, user)


def test_the_previous_password_is_refused_on_the_change_form(client):
    login(client, "lufeng_officer", PASSWORD)
    first = "Kd-1#qwertyu"
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": first, "new_password2": first})
    second = "Kd-2#qwertyu"
    client.post("/accounts/password/", {"old_password": first, "new_password1": second, "new_password2": second})
    response = client.post(
        "/accounts/password/", {"old_password": second, "new_password1": first, "new_password2": first}
    )
    assert response.status_code == 200 and "最近 5 次" in response.content.decode()


@pytest.mark.parametrize(
    "password",
    ["Yunnan#2026", "Zhaoshang@123", "zha0shang#Q1", "YUNN4N-2027x", "云南招商2026!", "Kd#招商2027", "Xx-Kunming#27"],
)
def test_passwords_built_from_the_platforms_name_are_refused(password):
    with pytest.raises(ValidationError, match="平台或地区名称"):
        validate_password(password)
