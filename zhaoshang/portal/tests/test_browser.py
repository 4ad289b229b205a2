"""Issue 21's "Done when", in the browser: an anonymous visitor in English opens the province page, goes to 楚雄,
opens a published 禄丰 project and sends an enquiry; lufeng_officer sees the lead with the enquirer's details and
the reply-by date, chuxiong_officer sees it, kunming_officer does not. Screenshots in test-artifacts/screenshots/."""

import pytest
from django.core.cache import cache

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data
from zhaoshang.portal.demo import seed_demo_portal
from zhaoshang.portal.models import Enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_visitor_enquires_and_only_the_right_bureaus_see_the_lead(live_server, settings):
    settings.PORTAL_MIN_SUBMIT_SECONDS = 3
    load_platform_data()  # the live server's database is emptied between transactional tests
    cache.clear()
    seed_demo_portal()
    base = live_server.url
    with chromium_page() as page:
        page.goto(base + "/en/invest/")
        assert page.title().startswith("Investment guide to Yunnan")
        page.wait_for_selector("#public-map[data-ready='1']")
        screenshot(page, "portal-01-province-en")
        page.locator("#region-list").get_by_role("link", name="Chuxiong Yi Autonomous Prefecture").click()
        page.wait_for_url(base + "/en/invest/regions/532300/")
        screenshot(page, "portal-02-chuxiong-en")
        page.get_by_role("link", name="Lufeng titanium deep-processing project").click()
        assert page.locator("#page-title").inner_text() == "Lufeng titanium deep-processing project"
        page.get_by_label("Your name").fill("Somchai Wong")
        page.get_by_label("Company or organisation").fill("Mekong Titanium Co., Ltd.")
        page.get_by_label("Phone or e-mail").fill("somchai@mekong-ti.example")
        page.get_by_label("Your enquiry").fill("We would like to visit the park and discuss 200 mu of land.")
        page.get_by_label("I consent", exact=False).check()
        page.wait_for_timeout(3200)  # the time-to-submit check refuses a form sent within 3 seconds
        screenshot(page, "portal-03-project-enquiry-en")
        page.get_by_role("button", name="Send enquiry").click()
        reference = page.locator("#enquiry-reference").inner_text()
        screenshot(page, "portal-04-enquiry-sent-en")
    enquiry = Enquiry.objects.get(reference=reference)
    lead_url = f"{base}/projects/{enquiry.lead_id}/"
    for username, sees in (("lufeng_officer", True), ("chuxiong_officer", True), ("kunming_officer", False)):
        with chromium_page() as page:
            sign_in(page, base, username, PASSWORD)
            page.get_by_role("link", name="网站投资咨询").click()
            listed = page.locator("#enquiry-table").get_by_role("link", name=reference)
            assert listed.count() == (1 if sees else 0)
            response = page.goto(lead_url)
            if not sees:
                assert response.status == 404
                continue
            panel = page.locator("#lead-enquiry")
            assert "Somchai Wong" in panel.inner_text() and "somchai@mekong-ti.example" in panel.inner_text()
            assert panel.locator(".enquiry-reply-by").inner_text().startswith(f"{enquiry.reply_by:%Y-%m-%d}")
            screenshot(page, f"portal-05-lead-{username}")
