from datetime import date
from io import BytesIO

import pytest
from docx import Document

from zhaoshang.stats.models import Bulletin
from zhaoshang.stats.tests.test_indicators import CHUXIONG, chuxiong_funds  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_a_bulletin_is_generated_in_the_background_kept_and_downloaded(
    chuxiong_funds,  # noqa: F811
    as_persona,
    django_capture_on_commit_callbacks,
):
    client = as_persona("chuxiong_officer")
    from zhaoshang.regions.models import Region

    chuxiong = Region.objects.get(code="532300")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/stats/bulletins/new/", {"region": chuxiong.pk, "year": 2025, "month": 6, "number": "楚投促通〔2025〕7号"}
        )
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    job_page = client.get(response["Location"]).content.decode()
    assert 'data-status="succeeded"' in job_page
    bulletin = Bulletin.objects.get()
    assert bulletin.title.startswith("关于2025年1—6月全州招商引资工作情况的通报") and bulletin.is_quarterly
    listing = client.get("/stats/bulletins/").content.decode()
    assert bulletin.title in listing
    docx = client.get(f"/stats/bulletins/{bulletin.pk}/download/")
    text = "\n".join(p.text for p in Document(BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert CHUXIONG in text
    xlsx = client.get(f"/stats/bulletins/{bulletin.pk}/download/?format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"') or ".xlsx" in xlsx["Content-Disposition"]
    assert as_persona("kunming_officer").get(f"/stats/bulletins/{bulletin.pk}/download/").status_code == 404
    assert as_persona("lufeng_officer").post("/stats/bulletins/new/", {}).status_code == 403


@pytest.mark.django_db
def test_a_future_month_cannot_be_bulletined(as_persona):
    from zhaoshang.regions.models import Region

    response = as_persona("chuxiong_officer").post(
        "/stats/bulletins/new/",
        {"region": Region.objects.get(code="532300").pk, "year": date.today().year + 1, "month": 1},
    )
    assert response.status_code == 200 and "尚未到来" in response.content.decode()


@pytest.mark.django_db
def test_the_bulletin_carries_its_document_number_and_writes_month_ranges_one_way(
    chuxiong_funds,  # noqa: F811
    as_persona,
    django_capture_on_commit_callbacks,
):
    from openpyxl import load_workbook

    from zhaoshang.regions.models import Region

    client = as_persona("chuxiong_officer")
    chuxiong = Region.objects.get(code="532300")
    refused = client.post("/stats/bulletins/new/", {"region": chuxiong.pk, "year": 2025, "month": 6})
    assert refused.status_code == 200 and "文号" in refused.content.decode() and not Bulletin.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/stats/bulletins/new/", {"region": chuxiong.pk, "year": 2025, "month": 6, "number": "楚投促通[2025]7号"}
        )
    bulletin = Bulletin.objects.get()
    assert bulletin.number == "楚投促通〔2025〕7号"  # half-width brackets become the 公文's 六角括号
    assert "楚投促通〔2025〕7号" in client.get("/stats/bulletins/").content.decode()
    document = Document(BytesIO(b"".join(client.get(f"/stats/bulletins/{bulletin.pk}/download/").streaming_content)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("楚投促通〔2025〕7号") < next(i for i, t in enumerate(paragraphs) if t == bulletin.title)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    xlsx = client.get(f"/stats/bulletins/{bulletin.pk}/download/?format=xlsx")
    book = load_workbook(BytesIO(b"".join(xlsx.streaming_content)))
    sheets = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    text = "\n".join(paragraphs + cells + sheets)
    assert "1—6月" in text and "1-6月" not in text and "1－6月" not in text
    assert "楚投促通〔2025〕7号" in sheets
