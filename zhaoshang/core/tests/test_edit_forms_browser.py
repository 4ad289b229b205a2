"""In Chromium: the date inputs of an edit page show their saved values, and saving the page unchanged moves
nothing (the browser, not a parser, decides what it shows and sends)."""

from datetime import date

import pytest

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_activity_saved_unchanged_keeps_its_dates(live_server):
    from zhaoshang.investors import services
    from zhaoshang.investors.choices import ActivityKind, LeaderLevel
    from zhaoshang.investors.models import Activity

    load_platform_data()  # the live server's database is emptied between transactional tests
    officer = persona("lufeng_officer")
    activity = services.activity_create(
        actor=officer,
        kind=ActivityKind.TRIP,
        title="赴深圳开展新能源电池产业招商",
        start_on=date(2025, 3, 10),
        end_on=date(2025, 3, 12),
        destination_province="广东",
        destination_city="深圳",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
        outcome="达成合作意向\n拟赴禄丰考察",
        enterprises=[],
    )
    with chromium_page() as page:
        sign_in(page, live_server.url, "lufeng_officer", PASSWORD)
        page.goto(f"{live_server.url}/activities/{activity.pk}/edit/")
        assert page.input_value("#id_start_on") == "2025-03-10"
        assert page.input_value("#id_end_on") == "2025-03-12"
        screenshot(page, "e01-activity-edit-dates")
        page.locator("form[method=post] button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/activities/{activity.pk}/")
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.start_on, saved.end_on, saved.outcome) == (date(2025, 3, 10), date(2025, 3, 12), activity.outcome)
