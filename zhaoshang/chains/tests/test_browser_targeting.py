"""Issue 16's "Done when", in the browser: lufeng_officer opens 禄丰's targeting page for 绿色硅, sees a ranked list
with reasons, adds a candidate to the library with an owner and creates a lead from it; the lead is in the project
list and the candidate shows 在谈 next time. The lead's project page lists parks ranked with every factor (once
its matching panel is opened); the full park is not listed but shown under "filtered out" with its reason.
kunming_officer gets 404 on 禄丰's outcomes. Screenshots in test-artifacts/screenshots/targeting-*.png."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.models import IndustryChain
from zhaoshang.chains.services import chains_load_shipped
from zhaoshang.chains.tests.world import YEAR, build_world
from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data, persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CANDIDATE = "福莱特测试玻璃集团"


def profiles() -> None:
    from zhaoshang.regions.models import Park

    base = {
        "land_available_mu": Decimal(500),
        "standard_land_mu": Decimal(100),
        "standard_factory_m2": Decimal(20000),
        "power_price_yuan_kwh": Decimal("0.35"),
        "green_power_share": Decimal(90),
        "rail_km": Decimal(5),
        "port_km": Decimal(300),
        "output_per_mu_wan": Decimal(400),
        "tax_per_mu_wan": Decimal(20),
        "as_of": date(YEAR, 10, 1),
        "source": "园区管委会填报",
    }
    admin = persona("province_admin")
    services.park_profile_save(actor=admin, park=Park.objects.get(code="S539053"), **base)
    services.park_profile_save(actor=admin, park=Park.objects.get(code="G531200"), **(base | {"rail_km": 30}))
    services.park_profile_save(
        actor=admin,
        park=Park.objects.get(code="S537004"),
        **(base | {"land_available_mu": 0, "standard_land_mu": 0, "standard_factory_m2": 0, "source": "用地已满"}),
    )


def test_lufeng_officer_targets_a_candidate_creates_a_lead_and_matches_parks(live_server):
    load_platform_data()
    chains_load_shipped(actor=None)
    silicon = IndustryChain.objects.current().get(code="green_silicon")
    build_world(silicon)
    profiles()
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "lufeng_officer", PASSWORD)
        page.get_by_role("link", name="靶向寻商").first.click()
        page.locator("#t-chain").select_option(str(silicon.pk))
        page.locator("#t-year").fill(str(YEAR))
        page.get_by_role("button", name="筛选").click()
        page.wait_for_selector("#candidate-table tbody tr[data-enterprise]")
        assert "禄丰市 · 绿色硅产业链" in page.locator("h1").inner_text()
        rows = page.locator("#candidate-table tbody tr[data-enterprise]")
        assert rows.count() >= 3
        first_reasons = rows.first.locator("summary.reasons").inner_text()
        assert "填补空白环节" in first_reasons or "补强薄弱环节" in first_reasons
        candidate = page.locator("#candidate-table tbody tr", has_text=CANDIDATE)
        assert "光伏玻璃" in candidate.locator("summary.reasons").inner_text()
        candidate.locator("summary.reasons").click()
        assert candidate.locator("table.explanation tbody tr").count() == 5
        screenshot(page, "targeting-01-ranked-list-with-reasons")

        candidate.get_by_role("link", name=CANDIDATE).click()
        page.wait_for_selector("#form-follow")
        page.locator("#id_follow-owner").select_option(label="禄丰市招商干部（lufeng_officer）")
        page.locator("#form-follow").get_by_role("button", name="纳入目标库").click()
        page.wait_for_selector("#owner")
        assert page.locator("#latest-outcome").inner_text() == "联系中"
        lead_form = page.locator("#form-lead")
        lead_form.locator("#id_lead-name").fill("福莱特禄丰光伏压延玻璃项目")
        lead_form.locator("#id_lead-agreed_investment_wan").fill("100000")
        lead_form.locator("#id_lead-land_mu").fill("200")
        lead_form.locator("#id_lead-description").fill("年产光伏压延玻璃")
        lead_form.get_by_role("button", name="生成线索").click()
        page.wait_for_selector("text=已生成线索：福莱特禄丰光伏压延玻璃项目")
        assert page.locator("#latest-outcome").inner_text() == "在谈"
        screenshot(page, "targeting-02-candidate-followed-lead-created")

        page.goto(base + "/projects/")
        page.get_by_role("link", name="福莱特禄丰光伏压延玻璃项目").first.click()
        panel = page.locator("#park-matching")
        panel.wait_for()
        assert panel.locator("#park-panel-table").count() == 0  # nothing matched until the panel is opened
        page.locator("#park-matching-toggle").click()
        first_park = panel.locator("#park-panel-table tbody tr").first
        assert first_park.get_attribute("data-park") in ("S539053", "G531200")
        for code in ("chain_fit", "land", "power", "transport", "indicators"):
            assert "百分位" in first_park.locator(f"td.factor-{code}").inner_text()
        assert panel.locator("#park-panel-table tr[data-park='S537004']").count() == 0
        panel.locator("#parks-filtered-out summary").click()
        full = panel.locator("#parks-filtered-out tr[data-park='S537004']")
        assert "用地已满" in full.inner_text()
        screenshot(page, "targeting-03-lead-park-matching")

        page.goto(base + f"/chains/targeting/?region=532302&chain={silicon.pk}&year={YEAR}")
        row = page.locator("#candidate-table tbody tr", has_text=CANDIDATE)
        assert row.locator("td.outcome").inner_text().strip() == "在谈"
        screenshot(page, "targeting-04-candidate-shows-negotiating")

    with chromium_page() as page:
        sign_in(page, base, "kunming_officer", PASSWORD)
        response = page.goto(base + "/chains/targeting/outcomes/?region=532302")
        assert response.status == 404
