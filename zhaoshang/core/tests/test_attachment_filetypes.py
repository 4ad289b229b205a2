"""Attachments are typed by their content (magic bytes, and what a zip package holds), sized before anything is
read, and zip packages are refused before decompression when they would expand too far (issue 13 item 3)."""

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core.attachments import filetypes
from zhaoshang.core.tests import attachment_files as files


def detect(name: str, content: bytes):
    return filetypes.detect(files.upload(name, content))


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        detect(name, content)
    return " ".join(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (files.PDF, filetypes.PDF),
        (files.JPEG, filetypes.JPEG),
        (files.PNG, filetypes.PNG),
        (files.docx(), filetypes.DOCX),
        (files.xlsx(), filetypes.XLSX),
        (files.ofd(), filetypes.OFD),
    ],
)
def test_each_accepted_type_is_known_by_its_content(content, expected):
    assert detect("任意名称", content) == expected


def test_an_executable_renamed_pdf_is_refused():
    assert "不支持的文件类型" in refusal("投资协议.pdf", files.EXE)


def test_a_name_and_browser_type_do_not_make_a_file_a_pdf():
    assert "不支持的文件类型" in refusal("scan.pdf", b"<html><script>alert(1)</script></html>")


def test_an_empty_file_is_refused():
    assert "文件为空" in refusal("空.pdf", b"")


def test_an_oversize_file_is_refused_before_it_is_read(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    assert "文件过大" in refusal("大.pdf", files.PDF + b"0" * 2048)
    assert "不能超过 1 KB" in refusal("大.pdf", files.PDF + b"0" * 2048)


def test_the_default_cap_is_twenty_megabytes(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_a_zip_bomb_xlsx_is_refused_by_its_ratio():
    message = refusal("台账.xlsx", files.xlsx_bomb(megabytes=8))
    assert "压缩比异常" in message and "疑似压缩炸弹" in message


def test_a_zip_bomb_xlsx_is_refused_by_its_uncompressed_size(settings):
    settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    settings.ATTACHMENT_ZIP_MAX_RATIO = 100_000
    assert "解压后体积过大" in refusal("台账.xlsx", files.xlsx_bomb(megabytes=8))


def test_a_zip_bomb_that_understates_its_sizes_is_caught_when_read_through():
    assert "压缩包已损坏" in refusal("台账.xlsx", files.xlsx_lying_bomb())


def test_a_package_with_too_many_entries_is_refused(settings):
    settings.ATTACHMENT_ZIP_MAX_ENTRIES = 10
    content = files.package(
        {"[Content_Types].xml": files.content_types(files.SHEET_MAIN, "/xl/workbook.xml")}
        | {f"xl/{i}.xml": "<x/>" for i in range(20)}
    )
    assert "文件过多" in refusal("台账.xlsx", content)


def test_a_macro_workbook_is_refused():
    assert "含宏" in refusal("台账.xlsx", files.xlsm())


def test_an_ordinary_zip_is_refused():
    assert "不支持的压缩文件" in refusal("材料.zip", files.package({"a.txt": "hello"}))


def test_an_office_package_declaring_an_entity_is_refused():
    manifest = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]>' + files.content_types(
        files.SHEET_MAIN, "/xl/workbook.xml"
    )
    assert "不允许的声明" in refusal("台账.xlsx", files.package({"[Content_Types].xml": manifest}))


def test_a_modest_real_workbook_with_repetitive_rows_is_accepted():
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>{i % 7}</v></c></row>' for i in range(1, 20000))
    assert detect("台账.xlsx", files.xlsx(f"<worksheet><sheetData>{rows}</sheetData></worksheet>")) == filetypes.XLSX


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("投资协议.pdf", "投资协议.pdf"),
        ("../../etc/协议.PDF", "协议.pdf"),
        ("C:\\Users\\李明\\扫描件.pdf", "扫描件.pdf"),
        ("协议\x00\x07\r\n扫描.pdf", "协议扫描.pdf"),
        ("协议v1.2", "协议v1.2.pdf"),
        ("", "附件.pdf"),
        ("   .pdf", "附件.pdf"),
    ],
)
def test_the_name_is_kept_without_paths_or_control_characters(given, kept):
    assert filetypes.clean_filename(given, filetypes.PDF) == kept


def test_a_right_to_left_override_cannot_disguise_the_extension():
    # "协议\u202efdp.exe" shows as "协议exe.pdf" in a browser; without the override it is an .exe name: refused.
    with pytest.raises(ValidationError, match=r"\.exe"):
        filetypes.clean_filename("协议\u202efdp.exe", filetypes.PDF)


def test_an_extension_naming_another_type_than_the_content_is_refused():
    with pytest.raises(ValidationError, match="与文件内容（PDF）不符"):
        filetypes.clean_filename("合同.docx", filetypes.PDF)


def test_a_long_name_is_shortened_with_its_extension_kept():
    name = filetypes.clean_filename("协" * 400 + ".pdf", filetypes.PDF)
    assert len(name) == 150 and name.endswith(".pdf")
