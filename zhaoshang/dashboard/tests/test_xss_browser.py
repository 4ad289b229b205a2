"""Issue 13 item 1: stored DOM XSS. A park, a project, an investor, a key industry and regions are renamed to hostile
strings; the browser opens every page of the menu and the detail pages, shows the tooltip of every data point of every
chart and map, sweeps the mouse over them and clicks a park on the map. Any script run from the data
(``window.__xss``), any Content-Security-Policy violation (event or console) or JavaScript error fails the test.

Two layers are proved at once: the formatters escape (core/static/core/escape.js), so the names show as text; and
the policy would refuse an inline handler that slipped through (a violation fails the test too)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.periods import last_complete_month
from zhaoshang.core.testing import LUFENG_PARK, PASSWORD, load_platform_data, persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = '"><script>window.__xss=1</script>'
SHORT_SCRIPT = '"><script>__xss=1</script>'  # fits a 30-character name (PostgreSQL enforces max_length)

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""}`));
"""

# Every ECharts instance on the page: the tooltip of each data point (ECharts' own showTip, as a hover does), the
# texts the tooltips showed, and how many points were shown.
HOVER_ALL = """
async () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
  const shown = [];
  let points = 0;
  for (const el of document.querySelectorAll("[_echarts_instance_]")) {
    const chart = echarts.getInstanceByDom(el);
    if (!chart) continue;
    const series = chart.getOption().series || [];
    for (let s = 0; s < series.length; s++) {
      const count = Math.min((series[s].data || []).length, 100);
      for (let i = 0; i < count; i++) {
        chart.dispatchAction({ type: "showTip", seriesIndex: s, dataIndex: i });
        points += 1;
        await pause();
        el.querySelectorAll("div").forEach((d) => {
          if (d.style.zIndex === "9999999" && d.innerText) shown.push(d.innerText);
        });
      }
    }
  }
  return { shown, points };
}
"""


def hostile_data() -> dict:
    """A signed project in 禄丰 with funds in every month of the current period, then the hostile names."""
    from zhaoshang.catalog.models import KeyIndustry
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects import services
    from zhaoshang.projects.choices import Stage
    from zhaoshang.regions.models import Park, Region

    year, month = last_complete_month()
    officer = persona("province_admin")
    lufeng, park = Region.objects.get(code="532302"), Park.objects.get(code=LUFENG_PARK)
    industry = KeyIndustry.objects.order_by("sort_order").first()
    on = date(year, 1, 5)
    project = services.project_create(
        actor=officer,
        name="禄丰钛材深加工项目",
        investor_name="云南钛业股份有限公司",
        county=lufeng,
        park=park,
        key_industry=industry,
        agreed_investment_wan=Decimal("200000"),
        source_province="江苏",
        on=on,
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=on)
    services.agreement_create(actor=officer, project=project, signed_on=on, amount_wan=Decimal("200000"))
    project = services.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=on)
    for m in range(1, month + 1):
        services.funding_record(
            actor=officer,
            project=project,
            month=date(year, m, 1),
            amount_wan=Decimal("1000") * m,
            outside_province_wan=Decimal("500") * m,
        )
    # The stored payloads, as an officer would have typed them into the edit forms.
    Park.objects.filter(pk=park.pk).update(name=IMG)
    type(project).objects.filter(pk=project.pk).update(name=SCRIPT)
    Enterprise.objects.filter(pk=project.investor_id).update(name=IMG + "有限公司")
    KeyIndustry.objects.filter(pk=industry.pk).update(name=SHORT_SCRIPT)
    Region.objects.filter(code="532302").update(name=SCRIPT)  # 禄丰市: the park's region on the map, rankings
    Region.objects.filter(code="532300").update(name=Concat(F("name"), Value("<svg onload=window.__xss=1>")))
    return {"project": project.pk, "park": park.pk, "enterprise": project.investor_id}


def check_page(page, url: str, visited: list) -> list[str]:
    """Open a page, show every tooltip of its charts, sweep the mouse over them; what the tooltips showed."""
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    has_charts = page.evaluate("() => typeof echarts !== 'undefined'")
    shown: list[str] = []
    if has_charts:
        page.wait_for_timeout(300)  # maps register their GeoJSON after the page's fetches
        result = page.evaluate(HOVER_ALL)
        shown = result["shown"]
        for box in page.locator("[_echarts_instance_]").all():
            bounds = box.bounding_box()
            if not bounds:
                continue
            for fx in (0.1, 0.3, 0.5, 0.7, 0.9):
                for fy in (0.2, 0.4, 0.6, 0.8):
                    page.mouse.move(bounds["x"] + bounds["width"] * fx, bounds["y"] + bounds["height"] * fy)
                    page.wait_for_timeout(15)
        visited.append(f"{url} ({result['points']} points)")
    else:
        visited.append(url)
    assert page.evaluate("() => window.__xss") is None, f"script from stored data ran on {url}"
    assert page.evaluate("() => window.__csp") == [], f"Content-Security-Policy violation on {url}"
    return shown


def test_hostile_names_in_every_chart_map_and_page_run_no_script(live_server):
    load_platform_data()
    ids = hostile_data()
    base = live_server.url
    visited: list[str] = []
    with chromium_page() as page:
        page.add_init_script(WATCH)
        sign_in(page, base, "province_admin", PASSWORD)
        menu = page.eval_on_selector_all("nav.sidebar a.nav-link", "links => links.map((a) => a.getAttribute('href'))")
        details = [
            f"/projects/{ids['project']}/",
            f"/parks/{ids['park']}/",
            f"/enterprises/{ids['enterprise']}/",
            "/dashboard/?region=532300",
        ]
        tooltips: dict[str, list[str]] = {}
        for url in dict.fromkeys([*menu, *details]):
            tooltips[url] = check_page(page, base + url, visited)

        # The names are there, shown as text: the park on the map, the project's months, the industry in the pie.
        assert any(IMG in text for text in tooltips["/parks/map/"]), tooltips["/parks/map/"]
        assert any(SCRIPT in text for text in tooltips["/parks/map/"])  # its region, 禄丰市
        assert any(SHORT_SCRIPT in text for text in tooltips["/dashboard/"]), tooltips["/dashboard/"]  # the industry
        assert tooltips[f"/projects/{ids['project']}/"], "the ledger chart showed its tooltips"
        screenshot(page, "x01-hostile-names-cockpit")

        # A click on the park opens its page, where the name is text too.
        page.goto(base + "/parks/map/")
        page.wait_for_selector('#park-map[data-ready="1"]', state="attached", timeout=15000)
        page.select_option("#prefecture-select", "532300")
        page.wait_for_function("() => document.getElementById('map-title').textContent.startsWith('楚雄')")
        x, y = page.evaluate(
            """() => { const chart = echarts.getInstanceByDom(document.getElementById('park-map'));
                       const park = chart.getOption().series[0].data.find((p) => p.name.includes('onerror'));
                       chart.dispatchAction({ type: 'showTip', seriesIndex: 0, name: park.name });
                       return chart.convertToPixel({ seriesIndex: 0 }, park.value.slice(0, 2)); }"""
        )
        screenshot(page, "x02-hostile-park-tooltip")
        box = page.locator("#park-map").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_url(f"**/parks/{ids['park']}/")
        assert IMG in page.locator("main").inner_text()
        assert page.evaluate("() => window.__xss") is None and page.evaluate("() => window.__csp") == []
    assert len([v for v in visited if "points" in v]) >= 4, visited
