"""Upload bombs against every import (issue 13 item 3): refused by size, by content type, by the zip's central
directory or by the sheets' extent before anything is parsed, with the memory of the check bounded; and what gets
past the checks is parsed in a child process that the memory ceiling stops, not the server."""

import io
import resource
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhaoshang.core import uploads
from zhaoshang.core.importing import Column, parse_workbook, text
from zhaoshang.core.uploads import UploadLimits, UploadRefused, check_upload, read_sheet_rows

MB = 1024 * 1024
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="\xe6\x95\xb0\xe6\x8d\xae" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'


def workbook_zip(sheet_rows, *, sheet_path="xl/worksheets/sheet1.xml", extra=(), content_types=CONTENT_TYPES):
    """A minimal .xlsx written by hand, its sheet XML from ``sheet_rows`` (bytes, or an iterable of bytes written
    piece by piece, so that a huge sheet never sits in memory here either)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open(sheet_path, "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet ')
            sheet.write(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for piece in [sheet_rows] if isinstance(sheet_rows, bytes) else sheet_rows:
                sheet.write(piece)
            sheet.write(b"</sheetData></worksheet>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def legit_workbook(rows=20) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["name"])
    for i in range(rows):
        sheet.append([f"企业{i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def expanding_sheet() -> bytes:
    """2 MB that expands to 600 MB of sheet XML: identical rows without references (ratio ~290:1)."""
    row = b"<row>" + b"<c><v>1</v></c>" * 40 + b"</row>"
    return workbook_zip(row * 1000 for _ in range(1000))


def zeros_bomb() -> bytes:
    """A workbook carrying one extra entry of 60 MB of zeros: under the total size limit, ratio ~1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + HEADER_ROW + b"</sheetData></worksheet>"),
        ):
            archive.writestr(name, data)
        with archive.open("xl/media/padding.xml", "w") as padding:
            for _ in range(60):
                padding.write(bytes(MB))
    return buffer.getvalue()


def far_corner() -> bytes:
    """1.5 KB: A1 and ZZ100000. python-calamine builds the dense range, 100,000 × 702 cells: 2.2 GB."""
    return workbook_zip(HEADER_ROW + b'<row r="100000"><c r="ZZ100000"><v>1</v></c></row>')


def too_many_rows() -> bytes:
    """60,000 real rows, well under the size and ratio limits, over the row limit."""
    return workbook_zip(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 60_001))


def refused_cheaply(content: bytes, *, code: str, monkeypatch) -> UploadRefused:
    """The check refuses ``content`` without starting the parser, within a small memory budget."""

    def no_parse(*args, **kwargs):
        raise AssertionError("the parser was started for a file that should have been refused before")

    monkeypatch.setattr(uploads.subprocess, "run", no_parse)
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused) as refused:
            read_sheet_rows(content, sheet="数据")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.code == code, refused.value.message
    assert peak < 12 * MB, f"the check itself used {peak / MB:.1f} MB"
    return refused.value


def test_a_small_workbook_whose_sheet_expands_hugely_is_refused_before_parsing(monkeypatch):
    content = expanding_sheet()
    assert len(content) < 3 * MB
    refused = refused_cheaply(content, code="bomb", monkeypatch=monkeypatch)
    assert "疑似压缩炸弹" in refused.message


def test_a_zip_with_a_huge_compression_ratio_is_refused_from_its_central_directory(monkeypatch):
    refused = refused_cheaply(zeros_bomb(), code="bomb", monkeypatch=monkeypatch)
    assert "压缩比异常" in refused.message and "疑似压缩炸弹" in refused.message


def test_a_sheet_whose_cells_span_a_huge_range_is_refused_before_parsing(monkeypatch):
    content = far_corner()
    assert len(content) < 4096
    refused = refused_cheaply(content, code="cells", monkeypatch=monkeypatch)
    assert "超过 50000 行" in refused.message


def test_a_sheet_over_the_row_limit_is_refused_before_parsing(monkeypatch):
    refused_cheaply(too_many_rows(), code="cells", monkeypatch=monkeypatch)


def test_an_oversize_file_is_refused_by_its_size_before_reading(monkeypatch):
    content = legit_workbook() + bytes(21 * MB)
    refused = refused_cheaply(content, code="size", monkeypatch=monkeypatch)
    assert "不能超过 20 MB" in refused.message


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(100),  # a picture named .xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),  # an .xls where .xlsx is asked for
        b"a,b\n1,2\n",  # text
        workbook_zip(
            HEADER_ROW, content_types=CONTENT_TYPES.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
        ),
        legit_workbook()[:3000],  # cut short: no central directory
    ],
    ids=["png", "xls", "csv", "xlsm", "truncated"],
)
def test_a_file_of_another_type_is_refused_by_its_content(content, monkeypatch):
    refused_cheaply(content, code="type", monkeypatch=monkeypatch)


def test_types_are_told_apart_by_content():
    assert check_upload(legit_workbook(), kinds=("xlsx",)) == "xlsx"
    assert check_upload("名称,金额\n禄丰,1\n".encode(), kinds=("csv",)) == "csv"
    assert check_upload("名称,金额\n禄丰,1\n".encode("gb18030"), kinds=("csv",)) == "csv"
    assert check_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), kinds=("xls",)) == "xls"


def test_the_memory_ceiling_stops_a_bomb_that_gets_past_the_checks():
    """Limits opened up so that the far-corner file reaches the parser: the child process hits its ceiling and
    the import is refused; this process never holds the 2.2 GB."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    permissive = UploadLimits(max_rows=10**7, max_columns=20_000, max_cells=10**12, parse_memory_mb=256)
    with pytest.raises(UploadRefused) as refused:
        read_sheet_rows(far_corner(), sheet="数据", limits=permissive)
    assert refused.value.code == "memory" and "256 MB" in refused.value.message
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"the test process grew by {grown_mb:.0f} MB"


def test_a_legitimate_workbook_is_parsed_in_the_child_with_its_values():
    from datetime import date, datetime

    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["名称", "金额", "日期"])
    sheet.append(["禄丰项目", 12.5, date(2024, 3, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_sheet_rows(buffer.getvalue(), sheet="数据")
    assert rows[0] == ["名称", "金额", "日期"] and rows[1][:2] == ["禄丰项目", 12.5]
    assert rows[1][2] in (date(2024, 3, 1), datetime(2024, 3, 1))


def test_every_import_goes_through_the_same_checks(monkeypatch):
    """parse_workbook (used by the project, enterprise-list, target and credit-blacklist imports) reports the
    refusal as a file error and never starts the parser."""
    monkeypatch.setattr(uploads.subprocess, "run", lambda *a, **k: pytest.fail("parser started"))
    columns = [Column("name", "name", text(50), required=True)]
    report = parse_workbook(far_corner(), columns)
    assert report.errors and report.errors[0].startswith("第1行 文件: 工作表超过")
    report = parse_workbook(expanding_sheet(), columns)
    assert "疑似压缩炸弹" in report.errors[0]


def test_the_upload_handler_keeps_nothing_past_the_limit_and_the_form_refuses_the_file(as_persona, monkeypatch):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    from zhaoshang.core.models import Job

    kept = []
    receive = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, raw, start: kept.append(len(raw)) or receive(self, raw, start),
    )
    client = as_persona("lufeng_officer")
    big = SimpleUploadedFile("项目台账.xlsx", legit_workbook() + bytes(60 * MB))
    page = client.post("/projects/import/", {"file": big})
    assert page.status_code == 200 and "文件过大（60 MB），不能超过 20 MB" in page.content.decode()
    assert sum(kept) <= 21 * MB  # what reached the temporary file stopped at the limit
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/projects/import/", "/enterprises/import/", "/stats/targets/import/"],
)
def test_import_forms_refuse_a_bomb_or_a_disguised_file_before_a_job_starts(as_persona, url):
    from zhaoshang.core.models import Job

    client = as_persona("chuxiong_officer")
    for content in (zeros_bomb(), b"\x89PNG\r\n\x1a\n" + bytes(100)):
        page = client.post(url, {"file": SimpleUploadedFile("x.xlsx", content)})
        html = page.content.decode()
        assert page.status_code == 200 and ("疑似压缩炸弹" in html or "按文件内容判断" in html), html[-2000:]
    assert not Job.objects.exists()


def test_the_credit_blacklist_command_has_the_same_limits(tmp_path, db):
    from django.core.management import CommandError, call_command

    from zhaoshang.core.testing import persona

    actor = persona("province_admin").username
    path = tmp_path / "名单.xlsx"
    path.write_bytes(far_corner())
    with pytest.raises(CommandError, match="工作表超过 50000 行"):
        call_command("import_credit_blacklist", str(path), "--actor", actor)
    path.write_bytes(bytes(21 * MB))
    with pytest.raises(CommandError, match="文件过大"):
        call_command("import_credit_blacklist", str(path), "--actor", actor)


def test_the_enterprise_list_import_runs_as_a_job_and_a_sheet_bomb_fails_only_the_job(
    as_persona, django_capture_on_commit_callbacks
):
    """The form's cheap checks pass a far-corner file (its zip is tiny and sound); the job scans the sheet and
    refuses it before parsing. A real list is imported by the same job."""
    from zhaoshang.core.models import Job
    from zhaoshang.investors.importers import COLUMNS
    from zhaoshang.investors.models import Enterprise

    client = as_persona("lufeng_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/enterprises/import/", {"file": SimpleUploadedFile("榜单.xlsx", far_corner())})
    job = Job.objects.get(kind="enterprise_list_import")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "failed" and job.errors[0].startswith("第1行 文件: 工作表超过 50000 行")
    book = Workbook()
    book.active.title = "数据"
    book.active.append([c.header for c in COLUMNS])
    book.active.append(["滇中测试集团股份有限公司", "中国500强", 2024, 1, "", "北京", "北京市", "综合"])
    buffer = io.BytesIO()
    book.save(buffer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/import/", {"file": SimpleUploadedFile("榜单.xlsx", buffer.getvalue())})
    job = Job.objects.filter(kind="enterprise_list_import").latest("id")
    assert (job.status, job.result) == ("succeeded", {"新增企业": 1, "更新企业": 0})
    assert Enterprise.objects.filter(name="滇中测试集团股份有限公司").exists()
