"""In Chromium, with the second factor required: the password, the enrolment page's QR code (an inline SVG drawn
on the server, no script), the code from the secret shown, the recovery codes, then the home page; and the next
sign-in asks for a code."""

import time

import pytest

from zhaoshang.accounts import mfa
from zhaoshang.core.browser import chromium_page, screenshot
from zhaoshang.core.testing import PASSWORD, load_platform_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_officer_enrols_an_authenticator_and_signs_in_with_it(live_server, settings):
    load_platform_data()  # the live server's database is emptied between transactional tests
    settings.MFA_REQUIRED = True
    base = live_server.url
    with chromium_page() as page:
        password_step(page, base, "lufeng_officer")
        page.wait_for_url(base + "/accounts/mfa/setup/")
        assert page.locator("#mfa-qr svg").count() == 1
        secret = page.locator("#mfa-secret").inner_text().strip()
        screenshot(page, "a01-mfa-enrolment")
        page.get_by_label("验证器显示的 6 位动态口令").fill(mfa.code_at(secret))
        page.get_by_role("button", name="完成绑定").click()
        assert page.locator("#recovery-codes li").count() == 10
        screenshot(page, "a02-mfa-recovery-codes")
        page.get_by_role("link", name="我已保存，继续").click()
        page.wait_for_url(base + "/")
        assert page.locator("#user-jurisdiction").inner_text() == "禄丰市投资促进局"
        page.locator("#logout-button").click()
        page.wait_for_url(base + "/accounts/login/")

        password_step(page, base, "lufeng_officer")
        page.wait_for_url(base + "/accounts/mfa/")
        page.get_by_label("动态口令").fill(mfa.code_at(secret, time.time() + 30))  # the next step: not yet used
        page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url(base + "/")
        screenshot(page, "a03-mfa-signed-in")
