"""Every file the platform writes, opened as a reader would: Excel cells typed, Word pages A4 in 公文 layout.

One test generates every Excel export — each list's "export this search", the cockpit, rankings, bulletins, the
project book, the 世界500强 and activity statistics, the import templates — and checks that figures are numbers
(typed cells with a number format, money to the cent), never numbers as text, and that no number carries the
formula guard's quote. Another opens every .docx (bulletin, its job result, the project book) and checks the page.
A guard test fails when a module starts writing .xlsx or .docx without being listed here.
"""

import re
from datetime import date
from decimal import Decimal as D
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from zhaoshang.core.testing import persona
from zhaoshang.core.views import ScopedListView
from zhaoshang.investors import services as investors
from zhaoshang.investors.choices import ActivityKind, LeaderLevel
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region
from zhaoshang.stats.models import Bulletin
from zhaoshang.stats.services import target_set

pytestmark = pytest.mark.django_db

AGREED = D("356274.08")
# A header naming a numeric unit: its column holds numbers only.
NUMERIC_HEADER = re.compile(
    r"[（(](万元|亿元|万美元|%|百分点|亩|公顷|人|个|次|家|条|场)[）)]|%$|^(排名|综合名次|序号|年度|申报年度|起始年度)$"
)
MONEY_HEADER = re.compile(r"万元|亿元|万美元")
# Text that is really a number: a decimal, a signed or grouped figure, a percentage, or anything behind the guard.
NUMBER_AS_TEXT = re.compile(r"'\s*[-+−]?[\d.,]+%?|[-+−]?\d[\d,]*\.\d+%?|[-+−]\d[\d,]*%?|\d{1,3}(,\d{3})+(\.\d+)?")

# Endpoints that write .xlsx other than the lists' ``?export=xlsx`` (which the test finds by walking the URLs).
XLSX_ENDPOINTS = [
    ("province_admin", "/dashboard/?year=2025&month=6&export=xlsx"),
    ("province_admin", "/dashboard/?region=532300&year=2025&month=6&export=xlsx"),
    ("province_admin", "/stats/rankings/?year=2025&month=6&export=xlsx"),
    ("chuxiong_officer", "/stats/rankings/?indicator=signed_projects&year=2025&month=6&export=xlsx"),
    ("province_admin", "/stats/progress/?year=2025&month=6&export=xlsx"),
    ("chuxiong_officer", "/stats/progress/?year=2025&month=6&export=xlsx"),
    ("lufeng_officer", "/stats/progress/?year=2025&month=6&export=xlsx"),
    ("province_admin", "/projects/library/book.xlsx"),
    ("province_admin", "/enterprises/global500/?export=xlsx"),
    ("province_admin", "/activities/summary/?export=xlsx"),
    ("lufeng_officer", "/projects/import/template/"),
    ("province_admin", "/stats/targets/import/template.xlsx"),
    ("province_admin", "/enterprises/import/?template=1"),
    ("province_admin", "/portal/?export=xlsx"),
    ("chuxiong_officer", "/stats/assessment/?year=2024&quarter=1&export=xlsx"),
]
# Lists that need a query to say what they list: the projects behind one item of a region's assessment score.
LIST_QUERIES = {"/stats/assessment/projects/": "region=532300&source=agreed_investment&year=2024&quarter=1"}
# Modules that write .xlsx / .docx, and where this file covers them. A new one must be added (and covered).
WRITERS = {
    "core/excel.py": "workbook_bytes: every list export and the ones below",
    "core/importing.py": "template_bytes: import templates",
    "core/documents.py": "gongwen_document: every .docx",
    "core/views.py": "ScopedListView.export (workbook_file: write-only, streamed when large)",
    "dashboard/export.py": "cockpit",
    "dashboard/views.py": "cockpit",
    "stats/views.py": "rankings, 序时进度, target template",
    "stats/bulletins.py": "bulletin .xlsx and .docx",
    "projects/projectbook.py": "project book .xlsx and .docx",
    "projects/library_views.py": "project book",
    "projects/import_views.py": "project import template",
    "projects/importers.py": "project import template",
    "investors/views.py": "世界500强, activity statistics, enterprise template",
    "investors/importers.py": "enterprise list template",
    "portal/book.py": "招商项目册 .docx of the public site (A4 checked in portal/tests/test_public_site.py)",
    "chains/exports.py": "chain diagnosis .xlsx and .docx, two-region comparison .xlsx (test_chain_exports)",
    "chains/views.py": "chain diagnosis and comparison downloads (test_chain_exports)",
    "chains/targeting_views.py": "靶向寻商 candidates, outcomes, conversion (chains/tests/test_matching.py, exports)",
    "chains/matching_views.py": "park matches, signals (chains/tests/test_matching.py, exports)",
    "chains/targeting_services.py": "the signal import template (template_bytes)",
    "portal/views.py": "the publication desk (对外发布清单)",
    "stats/assessment/exports.py": "考核评价 .xlsx and .docx (.docx A4 below)",
    "stats/assessment/views.py": "考核评价 downloads",
}
WRITER_CALL = re.compile(
    r"\b(Workbook|Document|workbook_bytes|workbook_file|template_bytes|xlsx_response|xlsx_file_response|gongwen_document)\("
)


@pytest.fixture
def platform_data(django_capture_on_commit_callbacks):
    """Figures that tempt a raw rendering: 356,274.08 万元 agreed, funds summing 0.1 × 7 + 0.2 (floats on SQLite),
    a reversed entry (negative), growth below last year (negative), an approved library entry, an activity."""
    province, officer, chuxiong = persona("province_admin"), persona("lufeng_officer"), persona("chuxiong_officer")
    lufeng = Region.objects.get(code="532302")
    on = date(2024, 1, 10)
    project = projects.project_create(
        actor=officer,
        name="禄丰钛白粉深加工项目",
        investor_name="云南星辰新材料有限公司",
        county=lufeng,
        agreed_investment_wan=AGREED,
        expected_annual_tax_wan=D("882491.57"),
        land_mu=D("1200.5"),
        on=on,
    )
    project = projects.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=on)
    projects.agreement_create(actor=officer, project=project, signed_on=on, amount_wan=AGREED)
    project = projects.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=on)
    projects.funding_record(
        actor=officer, project=project, month=date(2024, 3, 1), amount_wan=D("90000"), outside_province_wan=D("90000")
    )
    for _ in range(7):
        projects.funding_record(
            actor=officer, project=project, month=date(2025, 3, 1), amount_wan=D("0.1"), outside_province_wan=D("0.1")
        )
    entry = projects.funding_record(
        actor=officer, project=project, month=date(2025, 4, 1), amount_wan=D("1234.56"), outside_province_wan=D("0.2")
    )
    correction = projects.funding_correct(actor=officer, entry=entry, reason="重复录入")
    projects.correction_decide(actor=province, entry=correction, approve=True)
    target_set(
        actor=province,
        year=2025,
        region=Region.objects.get(code="532300"),
        indicator="funds_outside_province",
        value=D("15"),
        unit="%",
    )
    target_set(
        actor=chuxiong, year=2025, region=lufeng, indicator="funds_outside_province", value=D("3.5"), unit="亿元"
    )
    projects.library_submit(actor=officer, project=project)
    projects.library_review(actor=chuxiong, project=project)
    projects.library_approve(actor=province, project=project)
    investors.activity_create(
        actor=officer,
        kind=ActivityKind.TRIP,
        title="赴深圳开展新能源电池产业招商",
        start_on=date(2025, 3, 10),
        destination_province="广东",
        destination_city="深圳",
        leader_name="张三",
        leader_level=LeaderLevel.COUNTY_HEAD,
    )
    return project


def _bulletin(client, capture) -> Bulletin:
    with capture(execute=True):
        response = client.post(
            "/stats/bulletins/new/",
            {"region": Region.objects.get(code="532300").pk, "year": 2025, "month": 6, "number": "楚投促通〔2025〕7号"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Bulletin.objects.latest("id")


def _list_exports():
    """(path, view class) of every list page that exports its search."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if (
                    view
                    and issubclass(view, ScopedListView)
                    and view.export_columns
                    and "<" not in str(pattern.pattern)
                ):
                    found.append(("/" + prefix + str(pattern.pattern), view))

    walk(get_resolver().url_patterns)
    return found


def _get_as_someone(client, path):
    """The export as the first persona allowed to make it (bureau, audit or security administrator)."""
    for name in ("province_admin", "audit_admin", "security_admin"):
        client.force_login(persona(name))
        response = client.get(path)
        if response.status_code == 200:
            return response
    raise AssertionError(f"{path}: no persona may export it ({response.status_code})")


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_typed(content: bytes, where: str) -> int:
    """Every figure a number; money columns to the cent with a thousands format; no number behind a quote.
    Returns the number of numeric cells seen."""
    book = load_workbook(BytesIO(content))
    numbers = 0
    for sheet in book.worksheets:
        header_row, headers = None, {}
        for row in sheet.iter_rows():
            texts = [c for c in row if isinstance(c.value, str) and c.value]
            if header_row is None and len(texts) >= 2 and all(c.value is None or c.data_type == "s" for c in row):
                header_row, headers = row[0].row, {c.column: c.value for c in texts}
                continue
            for cell in row:
                value, at = cell.value, f"{where} · {sheet.title}!{cell.coordinate}"
                if isinstance(value, str):
                    assert not NUMBER_AS_TEXT.fullmatch(value.strip()), f"{at}: number stored as text {value!r}"
                    assert not value.startswith("'") or not re.match(r"'\s*[-+−]?\d", value), f"{at}: {value!r}"
                header = headers.get(cell.column, "")
                if header_row and value not in (None, "") and NUMERIC_HEADER.search(header):
                    assert cell.data_type == "n", f"{at} under {header!r}: {value!r} is not a number"
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    numbers += 1
                    if header_row and MONEY_HEADER.search(header):
                        assert cell.number_format == "#,##0.00", f"{at} under {header!r}: format {cell.number_format}"
                        assert round(value, 2) == value, f"{at}: {value!r} is not to the cent"
    return numbers


def test_every_excel_export_keeps_numbers_as_numbers(platform_data, client, django_capture_on_commit_callbacks):
    exported = []
    for path, _view in _list_exports():
        response = _get_as_someone(client, f"{path}?{LIST_QUERIES.get(path, '')}&export=xlsx")
        exported.append((path, _content(response)))
    assert {"/projects/", "/funds/corrections/", "/projects/library/", "/stats/targets/", "/audit/"} <= {
        path for path, _ in exported
    }
    for name, path in XLSX_ENDPOINTS:
        client.force_login(persona(name))
        response = client.get(path)
        assert response.status_code == 200, path
        exported.append((path, _content(response)))
    client.force_login(persona("province_admin"))
    bulletin = _bulletin(client, django_capture_on_commit_callbacks)
    response = client.get(f"/stats/bulletins/{bulletin.pk}/download/?format=xlsx")
    exported.append(("bulletin.xlsx", _content(response)))

    numbers = {path: assert_typed(content, path) for path, content in exported}
    for path in ("/projects/", "/funds/corrections/", "/dashboard/?year=2025&month=6&export=xlsx", "bulletin.xlsx"):
        assert numbers[path] > 0, path
    # The sums that came back from SQLite as 0.700000000000000 and the like are cent-exact numbers.
    cockpit = load_workbook(BytesIO(dict(exported)["/dashboard/?region=532300&year=2025&month=6&export=xlsx"]))
    trend = {row[0]: row[1] for row in cockpit["月度趋势"].iter_rows(min_row=2, values_only=True)}
    assert trend["3月"] == 0.7 and cockpit["月度趋势"]["B4"].number_format == "#,##0.00"


def _assert_a4(content: bytes, where: str) -> None:
    document = Document(BytesIO(content))
    tolerance = Mm(0.5)
    expected = {
        "page_width": Mm(210),
        "page_height": Mm(297),
        "top_margin": Mm(37),
        "bottom_margin": Mm(35),
        "left_margin": Mm(28),
        "right_margin": Mm(26),
    }
    for number, section in enumerate(document.sections, start=1):
        for name, value in expected.items():
            actual = getattr(section, name)
            assert actual is not None and abs(actual - value) <= tolerance, (
                f"{where} section {number}: {name} {actual and actual.mm:.1f} mm, expected {value.mm:.0f} mm"
            )


def test_every_word_document_is_a4_with_gongwen_margins(platform_data, client, django_capture_on_commit_callbacks):
    client.force_login(persona("province_admin"))
    bulletin = _bulletin(client, django_capture_on_commit_callbacks)
    documents = {
        "bulletin": _content(client.get(f"/stats/bulletins/{bulletin.pk}/download/")),
        "bulletin job result": _content(client.get(f"/jobs/{bulletin.job_id}/result/")),
        "project book": _content(client.get("/projects/library/book.docx")),
        "assessment": _content(client.get("/stats/assessment/?region=532300&year=2024&quarter=1&export=docx")),
    }
    for where, content in documents.items():
        _assert_a4(content, where)


def test_every_module_that_writes_a_file_is_covered_here():
    root = Path(__file__).resolve().parents[2]
    writers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and WRITER_CALL.search(path.read_text())
    }
    assert writers == set(WRITERS), (
        "a module writes .xlsx/.docx without this file generating it: add it to WRITERS and to the tests above"
    )


def test_chain_exports_keep_numbers_as_numbers_and_the_report_is_a4(client):
    """Issue 15: the chain diagnosis workbook, the comparison workbook and the diagnosis report."""
    from zhaoshang.chains.models import IndustryChain
    from zhaoshang.chains.services import chains_load_shipped
    from zhaoshang.chains.tests.world import build_world

    chains_load_shipped(actor=None)
    silicon = IndustryChain.objects.current().get(code="green_silicon")
    build_world(silicon)
    client.force_login(persona("chuxiong_officer"))
    base = f"/chains/{silicon.pk}"
    for path in (
        f"{base}/diagnosis/?year=2025&export=xlsx",
        f"{base}/compare/?a=532300&b=532302&year=2025&export=xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert assert_typed(_content(response), path) > 0
    _assert_a4(_content(client.get(f"{base}/diagnosis/?year=2025&export=docx")), "chain diagnosis report")
