"""Playwright driving Debian's Chromium, for the browser tests. Nothing is downloaded: the browser is the system's."""

import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# Without these flags Chromium keeps trying to reach Google's services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium_page():
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with allow_orm_beside_event_loop(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
            page.js_errors = []
            page.on("pageerror", lambda error: page.js_errors.append(str(error)))
            page.on("console", lambda message: _console_error(page, message))
            page.on("response", lambda response: _failed_response(page, response))
            page.on("requestfailed", lambda request: _failed_request(page, request))
            try:
                yield page
            except Exception as failure:
                # A wait that times out says only what it waited for; what the page ran into is the cause.
                failure.add_note(f"In the browser: {page.js_errors or 'no JavaScript or HTTP errors'}")
                raise
            assert page.js_errors == [], f"JavaScript errors: {page.js_errors}"
        finally:
            browser.close()


def _console_error(page, message) -> None:
    # Failed loads are judged by _failed_response, which knows which of them a test makes on purpose.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.js_errors.append(f"console: {message.text}")


def _failed_response(page, response) -> None:
    # Tests that expect a 403 or 404 make one on purpose with page.goto; only sub-resources are errors here.
    sub_resource = response.request.resource_type in ("fetch", "xhr", "script")
    if response.status >= 500 or (response.status >= 400 and sub_resource):
        page.js_errors.append(f"HTTP {response.status}: {response.url}")


def _failed_request(page, request) -> None:
    # A download or a navigation that replaces the page ends its request as "aborted"; that is not a failure.
    if request.failure != "net::ERR_ABORTED":
        page.js_errors.append(f"request failed ({request.failure}): {request.url}")


@contextmanager
def allow_orm_beside_event_loop():
    """Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def screenshot(page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base_url + "/")
