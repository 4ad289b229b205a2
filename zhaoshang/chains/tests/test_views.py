"""Pages: scope (own region 200, another 404), the done-when figures, exports, escaping, constant query counts."""

import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from zhaoshang.chains import services
from zhaoshang.chains.models import IndustryChain
from zhaoshang.chains.tests.world import YEAR, node
from zhaoshang.core.choices import Action
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import client_for, persona


def get(client, who, url):
    client.logout()
    client_for(client, who)
    return client.get(url)


@pytest.mark.parametrize(
    "who, region, status",
    [
        ("chuxiong_officer", "532300", 200),
        ("chuxiong_officer", "532302", 200),
        ("lufeng_officer", "532302", 200),
        ("lufeng_officer", "S539053", 200),
        ("lufeng_officer", "532300", 404),
        ("kunming_officer", "532302", 404),
        ("kunming_officer", "530100", 200),
        ("province_admin", "530000", 200),
        ("enterprise_user", "532302", 403),
    ],
)
def test_a_region_outside_the_jurisdiction_is_404_on_every_page(client, world, who, region, status):
    pk = world.silicon.pk
    glass = node(world.silicon, "pv_glass").pk
    for url in (
        f"/chains/{pk}/?region={region}&year={YEAR}",
        f"/chains/{pk}/diagnosis/?region={region}&year={YEAR}",
        f"/chains/{pk}/diagnosis/?region={region}&year={YEAR}&export=xlsx",
        f"/chains/{pk}/nodes/{glass}/?region={region}&year={YEAR}",
        f"/chains/{pk}/compare/?a={region}&b={region}&year={YEAR}",
    ):
        assert get(client, who, url).status_code == status, url


def test_anonymous_users_are_sent_to_sign_in(client, world):
    assert client.get(f"/chains/{world.silicon.pk}/").status_code == 302


def test_chuxiong_sees_its_grades_and_the_empty_key_link_with_enterprises_in_province_and_nation(client, world):
    pk = world.silicon.pk
    page = get(client, "chuxiong_officer", f"/chains/{pk}/?year={YEAR}")
    assert page.status_code == 200
    rows = {r["node"].key: r["r"] for r in page.context["rows"]}
    assert rows["metal_si_smelt"].grade == "strong"  # 3 enterprises, a chain leader
    assert rows["pv_glass"].grade == "empty" and rows["pv_glass"].action == "fill"
    glass = node(world.silicon, "pv_glass").pk
    panel = client.get(f"/chains/{pk}/nodes/{glass}/?year={YEAR}", HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert "曲靖测试光伏玻璃有限公司" in html  # present elsewhere in Yunnan
    assert "福莱特测试玻璃集团" in html  # in the library (its notes), not in Yunnan
    assert "曲靖光伏玻璃生产线项目" not in html  # a project outside the officer's jurisdiction is not shown


def test_lufengs_diagnosis_differs_from_chuxiongs_and_stays_inside_lufeng(client, world):
    pk = world.silicon.pk
    lufeng = get(client, "lufeng_officer", f"/chains/{pk}/diagnosis/?year={YEAR}&export=json").json()
    chuxiong = get(client, "chuxiong_officer", f"/chains/{pk}/diagnosis/?year={YEAR}&export=json").json()
    assert lufeng["region"]["code"] == "532302" and chuxiong["region"]["code"] == "532300"
    by = lambda payload: {n["key"]: n for n in payload["nodes"]}  # noqa: E731
    assert by(lufeng)["metal_si_smelt"]["enterprises"] == 1 and by(chuxiong)["metal_si_smelt"]["enterprises"] == 3
    assert by(lufeng)["ingot"]["enterprises"] == 1 and by(lufeng)["module"]["pipeline"] == 1
    assert lufeng["region_enterprises"] == 2
    ingot = node(world.silicon, "ingot").pk
    panel = get(client, "lufeng_officer", f"/chains/{pk}/nodes/{ingot}/?year={YEAR}").content.decode()
    assert "禄丰单晶硅棒拉晶项目" in panel and "楚雄年产20万吨工业硅项目" not in panel


def test_the_report_lists_the_empty_key_link_under_fill_with_its_reason(client, world):
    response = get(client, "chuxiong_officer", f"/chains/{world.silicon.pk}/diagnosis/?year={YEAR}&export=docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    fill = texts.index("四、补链：空白的关键环节")
    extend = texts.index("五、延链：与优势环节相连的高价值空白环节")
    section = "\n".join(texts[fill + 1 : extend])
    assert "光伏玻璃（关键环节）" in section and "关键环节在本地空白" in section
    assert texts[0].startswith("关于楚雄彝族自治州绿色硅产业链诊断")
    assert abs(document.sections[0].page_width.mm - 210) < 1
    assert AuditLog.objects.filter(action=Action.EXPORT, after__format="docx").exists()


def test_the_workbook_holds_every_table_with_typed_cells(client, world):
    response = get(client, "chuxiong_officer", f"/chains/{world.silicon.pk}/diagnosis/?year={YEAR}&export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "节点诊断", "补链强链延链清单", "等级统计"]
    sheet = book["节点诊断"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].strip("　"): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["工业硅冶炼"][header.index("本地企业数（家）")] == 3
    assert isinstance(rows["工业硅冶炼"][header.index("存量协议投资额（万元）")], int | float)


def test_two_regions_side_by_side(client, world):
    page = get(client, "chuxiong_officer", f"/chains/{world.silicon.pk}/compare/?a=532300&b=532302&year={YEAR}")
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r[0].strip("　") == "工业硅冶炼")
    assert row[2:6] == ["优势", row[3], 3, 1]


def test_the_map_page_query_count_does_not_grow_with_the_nodes(client, chains):
    client_for(client, "chuxiong_officer")
    counts = {}
    for code in ("tobacco", "green_aluminium"):
        chain = chains[code]
        client.get(f"/chains/{chain.pk}/?year={YEAR}")  # the session and the menu, once
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/chains/{chain.pk}/?year={YEAR}").status_code == 200
        counts[code] = (len(queries), chain.nodes.count())
    assert counts["tobacco"][1] < counts["green_aluminium"][1]
    assert counts["tobacco"][0] == counts["green_aluminium"][0]


def test_hostile_names_are_escaped_on_the_pages_and_in_the_chart_data(client, chains):
    admin = persona("province_admin")
    draft = services.chain_draft_create(actor=admin, chain=chains["tobacco"])
    services.node_update(actor=admin, node=node(draft, "cigar"), name='<img src=x onerror="alert(1)">')
    client_for(client, "province_admin")
    for url in (f"/chains/{draft.pk}/", f"/chains/{draft.pk}/diagnosis/", f"/chains/{draft.pk}/structure/"):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html, url
        assert "&lt;img src=x" in html or "\\u003Cimg" in html, url


def test_a_chain_is_revised_on_the_pages_and_approved(client, chains):
    client_for(client, "province_admin")
    tobacco = chains["tobacco"]
    response = client.post(f"/chains/{tobacco.pk}/draft/", {"revision_note": "增补电子烟雾化"})
    draft = IndustryChain.objects.get(code="tobacco", status="draft")
    assert response.status_code == 302 and response.url == f"/chains/{draft.pk}/structure/"
    parent = node(draft, "other_tobacco")
    response = client.post(
        f"/chains/{draft.pk}/nodes/add/",
        {
            "parent": parent.pk,
            "key": "vape",
            "name": "雾化器具",
            "position": "midstream",
            "value_tier": "high",
            "keywords": "雾化器\r\n电子雾化",
            "seq": 50,
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert node(draft, "vape").keyword_list == ["雾化器", "电子雾化"]
    assert client.post(f"/chains/{draft.pk}/approve/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == "current"


def test_a_prefecture_officer_may_not_revise_chains(client, chains):
    client_for(client, "chuxiong_officer")
    assert client.post(f"/chains/{chains['tobacco'].pk}/draft/").status_code == 403
    assert client.get(f"/chains/{chains['tobacco'].pk}/nodes/add/").status_code == 403


def test_placements_are_confirmed_or_rejected_in_bulk_on_the_page(client, world):
    from zhaoshang.chains.models import ProjectNodeLink

    client_for(client, "chuxiong_officer")
    page = client.get("/chains/placements/")
    assert page.status_code == 200
    ids = [link.pk for link in page.context["object_list"]]
    assert ids and all(ProjectNodeLink.objects.get(pk=i).project.path.startswith("530000/532300") for i in ids)
    response = client.post(
        "/chains/placements/decide/", {"kind": "project", "decision": "rejected", "link": ids[:2], "note": "核实"}
    )
    assert response.status_code == 302
    assert set(ProjectNodeLink.objects.filter(pk__in=ids[:2]).values_list("decision", flat=True)) == {"rejected"}


def test_every_chain_page_opens(client, world):
    client_for(client, "province_admin")
    pk = world.silicon.pk
    for url in (
        "/chains/",
        "/chains/diagnosis/",
        f"/chains/{pk}/structure/",
        "/chains/placements/enterprises/",
        "/chains/placements/?export=xlsx",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        json.loads(client.get(f"/chains/{pk}/diagnosis/?export=json&region=530000&year={YEAR}").content)["base"]
        == "全国（企业库）"
    )


def test_an_attempt_on_another_jurisdictions_diagnosis_is_audited(client, world):
    assert get(client, "kunming_officer", f"/chains/{world.silicon.pk}/diagnosis/?region=532302").status_code == 404
    row = AuditLog.objects.filter(action=Action.REFUSED_SCOPE).latest("id")
    assert row.actor_name == "kunming_officer"
