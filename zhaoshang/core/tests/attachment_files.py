"""Files for the attachment tests, built in memory: real signatures, Office and OFD packages, and the hostile ones
(an executable renamed .pdf, zip bombs honest and lying about their sizes, a macro workbook)."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode." + b"\x00" * 64

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_SHEET_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def content_types(main: str, part: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{main}"/></Types>'
    )


def package(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    return package(
        {
            "[Content_Types].xml": content_types(WORD_MAIN, "/word/document.xml"),
            "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>投资协议</w:t></w:r></w:p></w:body></w:document>",
        }
    )


def xlsx(sheet: bytes | str = "<worksheet><sheetData/></worksheet>", main: str = SHEET_MAIN) -> bytes:
    return package(
        {"[Content_Types].xml": content_types(main, "/xl/workbook.xml"), "xl/workbook.xml": "<workbook/>"}
        | {"xl/worksheets/sheet1.xml": sheet}
    )


def xlsm() -> bytes:
    return package(
        {
            "[Content_Types].xml": content_types(MACRO_SHEET_MAIN, "/xl/workbook.xml"),
            "xl/workbook.xml": "<workbook/>",
            "xl/vbaProject.bin": b"\x00" * 32,
        }
    )


def ofd() -> bytes:
    return package(
        {
            "OFD.xml": '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            'Version="1.0" DocType="OFD"><ofd:DocBody/></ofd:OFD>',
            "Doc_0/Document.xml": "<ofd:Document/>",
        }
    )


def xlsx_bomb(megabytes: int = 8) -> bytes:
    """An honest bomb: a sheet of zeros that packs about a thousand to one."""
    return xlsx(b"<worksheet>" + b"0" * (megabytes * 1024 * 1024) + b"</worksheet>")


def xlsx_lying_bomb() -> bytes:
    """A bomb whose directory claims its sheet holds 1,000 bytes: the sizes pass, reading it through does not."""
    data = bytearray(xlsx(b"<worksheet>" + b"0" * (2 * 1024 * 1024) + b"</worksheet>"))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        central = archive.start_dir
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    position = central
    while data[position : position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        name = bytes(data[position + 46 : position + 46 + name_length]).decode()
        if name == "xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, position + 24, 1000)  # central directory: uncompressed size
        position += 46 + name_length + extra_length + comment_length
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """What a browser sends: the name and Content-Type are the sender's claim, not what the file is."""
    return SimpleUploadedFile(name, content, content_type=content_type)
