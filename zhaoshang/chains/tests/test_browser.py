"""Issue 15's "Done when", in the browser: chuxiong_officer opens the 绿色硅 chain, sees 楚雄's nodes coloured by
grade, clicks an empty key link and sees the enterprises in the province and the nation that make it; the report
lists it under 补链 with its reason. Screenshots in test-artifacts/screenshots/chains-*.png."""

import io

import pytest
from docx import Document

from zhaoshang.chains.models import IndustryChain
from zhaoshang.chains.services import chains_load_shipped
from zhaoshang.chains.tests.world import YEAR, build_world, node
from zhaoshang.core.browser import chromium_page, screenshot, sign_in
from zhaoshang.core.testing import PASSWORD, load_platform_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chuxiong_officer_finds_the_empty_key_link_and_who_makes_it(live_server):
    load_platform_data()  # the live server's database is emptied between transactional tests
    chains_load_shipped(actor=None)
    silicon = IndustryChain.objects.current().get(code="green_silicon")
    build_world(silicon)
    glass = node(silicon, "pv_glass")
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, "chuxiong_officer", PASSWORD)
        page.get_by_role("link", name="产业链图谱").click()
        page.locator("#chain-table").get_by_role("link", name="绿色硅产业链（含光伏制造）").click()
        page.goto(page.url + f"?year={YEAR}")
        page.wait_for_selector("#chain-tree[data-ready='1']")
        assert page.locator("#area-name").inner_text() == "楚雄彝族自治州"
        table = page.locator("#node-table")
        assert (
            table.locator(f"tr[data-node='{node(silicon, 'metal_si_smelt').pk}']").get_attribute("data-grade")
            == "strong"
        )
        assert table.locator(f"tr[data-node='{glass.pk}']").get_attribute("data-grade") == "empty"
        screenshot(page, "chains-01-map-chuxiong-green-silicon")

        # Click the empty key link in the chart (ECharts draws on a canvas: find the node's position from the chart).
        point = page.evaluate(
            """(id) => {
                const box = document.getElementById('chain-tree');
                const data = echarts.getInstanceByDom(box).getModel().getSeriesByIndex(0).getData();
                for (let i = 0; i < data.count(); i++) {
                    if (data.getRawDataItem(i).id === id) {
                        const [x, y] = data.getItemGraphicEl(i).transformCoordToGlobal(0, 0);
                        const rect = box.getBoundingClientRect();
                        return {x: rect.left + window.scrollX + x, y: rect.top + window.scrollY + y};
                    }
                }
                return null;
            }""",
            glass.pk,
        )
        assert point is not None
        page.evaluate("(y) => window.scrollTo(0, y - 300)", point["y"])
        page.wait_for_timeout(300)
        page.mouse.click(point["x"] - window_scroll(page, "x"), point["y"] - window_scroll(page, "y"))
        panel = page.locator("#node-detail")
        panel.wait_for()
        assert panel.get_attribute("data-node") == str(glass.pk)
        text = panel.inner_text()
        assert "光伏玻璃" in text and "空白" in text and "补链" in text
        assert "曲靖测试光伏玻璃有限公司" in page.locator("#province-enterprises").inner_text()
        assert "福莱特测试玻璃集团" in page.locator("#nation-enterprises").inner_text()
        screenshot(page, "chains-02-empty-key-link-enterprises")

        page.get_by_role("link", name="诊断与补链清单").click()
        page.wait_for_selector("body[data-diagnosis-ready='1']")
        gap = page.locator(f"#gap-table tr[data-node='{glass.pk}']")
        assert gap.get_attribute("data-action") == "fill"
        screenshot(page, "chains-03-diagnosis-gap-list")
        with page.expect_download() as download:
            page.locator("#export-docx").click()
        content = open(download.value.path(), "rb").read()
    texts = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    fill = texts.index("四、补链：空白的关键环节")
    section = "\n".join(texts[fill + 1 : texts.index("五、延链：与优势环节相连的高价值空白环节")])
    assert "光伏玻璃（关键环节）" in section and "建议补链：关键环节在本地空白" in section


def window_scroll(page, axis: str) -> float:
    return page.evaluate("window.scrollX" if axis == "x" else "window.scrollY")
