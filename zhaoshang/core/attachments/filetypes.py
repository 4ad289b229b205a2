"""What an uploaded file is, read from its content (never from its name or the browser's Content-Type).

Accepted: PDF, JPEG, PNG, and three zip packages told apart by what they hold — OFD (GB/T 33190: ``OFD.xml`` at
the root), Word ``.docx`` and Excel ``.xlsx`` (``[Content_Types].xml`` naming the main part of a document or a
workbook; macro-enabled and template variants are refused). A zip package is opened only after its central
directory passes the limits on entries, total uncompressed size and compression ratio, and every entry is then
read through once, which bounds the work by the declared sizes and proves them (``zipfile`` stops an entry at its
declared size and checks its CRC): a bomb that lies about its sizes fails there.
"""

import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from zhaoshang.core.formatting import size_text
from zhaoshang.core.uploads import UploadRefused, check_zip_directory

MB = 1024 * 1024
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    mime: str
    extensions: tuple[str, ...]  # the first one is added to a name that has none


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
JPEG = FileType("jpeg", "JPEG 图片", "image/jpeg", (".jpg", ".jpeg", ".jpe"))
PNG = FileType("png", "PNG 图片", "image/png", (".png",))
OFD = FileType("ofd", "OFD 版式文件", "application/ofd", (".ofd",))
DOCX = FileType(
    "docx", "Word 文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType("xlsx", "Excel 表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
FILE_TYPES = (PDF, JPEG, PNG, OFD, DOCX, XLSX)
BY_MIME = {t.mime: t for t in FILE_TYPES}
ACCEPT = ",".join(ext for t in FILE_TYPES for ext in t.extensions)  # the file input's ``accept``
ALLOWED_TEXT = "PDF、OFD、JPG、PNG、Word（.docx）或 Excel（.xlsx）"

SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
ZIP_SIGNATURE = b"PK\x03\x04"
# The main part's content type in [Content_Types].xml; anything else (.docm, .xlsm, .dotx, .xltx) is refused.
OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
MANIFEST_MAX = 1 * MB  # [Content_Types].xml and OFD.xml are a few kilobytes


def mime_label(mime: str) -> str:
    found = BY_MIME.get(mime)
    return found.label if found else "其他"


def limits() -> dict:
    """The configured limits (``config/settings.py``; environment variables in production)."""
    return {
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "zip_max_entries": settings.ATTACHMENT_ZIP_MAX_ENTRIES,
        "zip_max_uncompressed": settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES,
        "zip_max_ratio": settings.ATTACHMENT_ZIP_MAX_RATIO,
    }


def refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="invalid_file")


def detect(upload, *, size: int | None = None) -> FileType:
    """The type of ``upload`` (a file object, read from its start) by content, or ``ValidationError`` on ``file``
    in Chinese. The size limit is checked first, before anything is read."""
    limit = limits()
    size = upload.size if size is None else size
    if not size:
        raise refuse("文件为空")
    if size > limit["max_bytes"]:
        raise refuse(f"文件过大（{size_text(size)}），单个附件不能超过 {size_text(limit['max_bytes'])}")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, file_type in SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head.startswith(ZIP_SIGNATURE):
        return _zip_package(upload, limit)
    raise refuse(f"不支持的文件类型：请上传 {ALLOWED_TEXT} 文件（按文件内容判断，与扩展名无关）")


def _zip_package(upload, limit: dict) -> FileType:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            _check_bomb(entries, limit)
            names = {info.filename for info in entries}
            file_type = _package_type(archive, names)
            _read_through(archive, entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise refuse("压缩包已损坏或格式异常，无法确认文件内容") from error
    finally:
        upload.seek(0)
    return file_type


def _check_bomb(entries: list[zipfile.ZipInfo], limit: dict) -> None:
    """Refuse before decompressing anything, by the same rules as every upload (``core.uploads``)."""
    try:
        check_zip_directory(
            entries,
            max_entries=limit["zip_max_entries"],
            max_uncompressed=limit["zip_max_uncompressed"],
            max_ratio=limit["zip_max_ratio"],
            what="压缩包",
        )
    except UploadRefused as refused:
        raise refuse(refused.message) from None


def _read_manifest(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MANIFEST_MAX:
        raise refuse("文件内容清单过大，格式异常")
    with archive.open(info) as handle:
        data = handle.read(MANIFEST_MAX + 1)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise refuse("文件内容清单含有不允许的声明")
    return data


def _package_type(archive: zipfile.ZipFile, names: set[str]) -> FileType:
    if "OFD.xml" in names:
        manifest = _read_manifest(archive, "OFD.xml")
        if b"ofdspec.org" in manifest or b"<ofd:OFD" in manifest:
            return OFD
        raise refuse("OFD 文件的入口文件（OFD.xml）格式不符")
    if "[Content_Types].xml" in names:
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise refuse("不接受含宏的 Office 文件，请另存为 .docx 或 .xlsx 后上传")
        manifest = _read_manifest(archive, "[Content_Types].xml")
        found = {file_type for marker, file_type in OOXML_MAIN.items() if marker in manifest}
        if len(found) == 1:
            return found.pop()
        raise refuse("不支持的 Office 文件：只接受 Word 文档（.docx）和 Excel 表格（.xlsx），不接受含宏文件或模板")
    raise refuse(f"不支持的压缩文件：请上传 {ALLOWED_TEXT} 文件")


def _read_through(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry once, in chunks, counting: the declared sizes were checked, and ``zipfile`` stops
    at each declared size and checks the CRC, so a package that understates its sizes fails here."""
    for info in entries:
        if info.is_dir():
            continue
        with archive.open(info) as handle:
            while handle.read(READ_CHUNK):
                pass


def clean_filename(name: str, file_type: FileType) -> str:
    """The name to show and to offer on download: the last path segment, without control or format characters
    (a right-to-left override can disguise ``gpj.exe`` as ``exe.jpg``), at most 150 characters with its
    extension kept; the type's extension is added when the name has none. Refused when the extension names
    another type than the content."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    name = " ".join(name.split()).rstrip(" .")
    stem, dot, extension = name.rpartition(".")
    looks_like_extension = extension.isascii() and extension.isalnum() and not extension.isdigit()
    if not dot or not looks_like_extension or len(extension) > 8:
        stem, extension = name, ""  # "协议v1.2": no extension
    stem = stem.strip(" .")
    extension = f".{extension.lower()}" if extension else ""
    if extension and extension not in file_type.extensions:
        raise refuse(
            f"文件扩展名（{extension}）与文件内容（{file_type.label}）不符，"
            f"请确认文件后以 {file_type.extensions[0]} 上传"
        )
    stem = (stem or "附件")[: 150 - len(file_type.extensions[0])]
    return stem + (extension or file_type.extensions[0])
