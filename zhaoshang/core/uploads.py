"""Uploaded files for imports: the same limits for every import, checked before anything is parsed, and the parse
itself in a child process with a memory ceiling (issue 13 item 3: a 0.6 MB .xlsx cost 0.7 GB; a 1.5 KB one whose
only two cells are A1 and ZZ100000 makes python-calamine allocate 2.2 GB for the dense cell range).

In order, each step bounded by the ones before it:

1. **Size** — ``SizeLimitUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) stops keeping a file past the largest
   upload limit while the request is read; the form then refuses it by its size (``validate_upload``).
2. **Type by content**, never by name: .xlsx is a zip holding ``[Content_Types].xml`` that names a workbook's main
   part (macro-enabled workbooks are refused); .xls is an OLE2 file (``D0 CF 11 E0``); .csv is text without NUL.
3. **The zip's central directory** (read without decompressing): entries, total uncompressed size, compression
   ratio, no encryption, only stored/deflated entries.
4. **The sheets' extent**, streamed: every entry is decompressed once in 1 MiB pieces (``zipfile`` stops at each
   declared size and checks the CRC, so a zip that lies about its sizes fails here) and its ``<row>``/``<c>`` tags
   are counted with their references — the highest row, the highest column and the number of cells — against
   ``max_rows``, ``max_columns`` and ``max_cells`` (the dense range calamine would build, rows × columns).
5. **The parse** (``read_sheet_rows``) in ``core/sheet_worker.py``, a separate Python process with RLIMIT_AS =
   ``parse_memory_mb`` and RLIMIT_CPU = ``parse_seconds``, which checks calamine's own dimensions again before
   building a single Python row, and is killed at the wall-clock limit. What it returns is bounded by the cell
   limit; it is unpickled with only the standard library's date and time types allowed.

Steps 1–3 run in the request (the upload form), 1–5 in the import job, whatever the tasks backend: with the
Immediate backend the job runs in the web process, yet the parse is still a child process under the ceiling.
The limits are ``UploadLimits`` below, overridable with ``settings.UPLOAD_LIMITS`` (a dict of the same names).
Attachments (``core.attachments``) check their own zip packages; ``check_zip_package`` is the same check for
anyone who wants it.
"""

import io
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from zhaoshang.core.formatting import size_text

MB = 1024 * 1024
CHUNK = 1 * MB
WORKER = Path(__file__).with_name("sheet_worker.py")

XLSX, XLS, CSV = "xlsx", "xls", "csv"
KIND_LABELS = {XLSX: "Excel 工作簿（.xlsx）", XLS: "Excel 97-2003 工作簿（.xls）", CSV: "CSV 文本（.csv）"}
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MANIFEST_MAX = 1 * MB
SKIP_SCAN = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff")


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * MB  # the file as uploaded
    zip_max_entries: int = 1000
    zip_max_uncompressed: int = 100 * MB  # all entries, as the central directory declares them
    zip_max_ratio: int = 100  # uncompressed : compressed, per entry of more than 1 MB and overall
    max_rows: int = 50_000  # the import template has 10,000 rows
    max_columns: int = 200  # XFD is column 16,384
    max_cells: int = 1_000_000  # rows × columns of the dense range the parser builds
    parse_memory_mb: int = 768  # address space of the parsing process (python + calamine + the rows)
    parse_seconds: int = 120  # CPU seconds, and wall-clock seconds before it is killed


def upload_limits() -> UploadLimits:
    overrides = getattr(settings, "UPLOAD_LIMITS", None) or {}
    known = {f.name for f in fields(UploadLimits)}
    return replace(UploadLimits(), **{k: v for k, v in overrides.items() if k in known})


class UploadRefused(ValueError):
    """A file refused before (or instead of) parsing; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


# --- 1. size while the request is read -----------------------------------------------------------------------


class OversizeUpload(UploadedFile):
    """What is left of a file past the limit: its real size and no content, for the form to refuse by size."""

    def __init__(self, name: str, size: int, content_type: str, charset):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler: a file larger than any upload limit is counted, not kept (neither in memory nor in a
    temporary file); ``file_complete`` hands an ``OversizeUpload`` to the form, which refuses it by its size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received, self.over = 0, False
        self.limit = max(upload_limits().max_bytes, getattr(settings, "ATTACHMENT_MAX_BYTES", 0))

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.over = self.over or self.received > self.limit
        return None if self.over else raw_data

    def file_complete(self, file_size):
        if self.over:
            return OversizeUpload(self.file_name, self.received, self.content_type, self.charset)
        return None


# --- 2.–4. type, zip directory, sheet extent ---------------------------------------------------------------------


def _read_all(source, limit: int) -> bytes:
    """The bytes of ``source``, at most ``limit`` + 1 of them (enough to tell that it is too large)."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    source.seek(0)
    data = source.read(limit + 1)
    source.seek(0)
    return data


def detect_kind(head: bytes) -> str | None:
    """xlsx, xls or csv by the first bytes (an xlsx is confirmed by ``check_zip_package``), or None."""
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(OLE2_MAGIC):
        return XLS
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 3:  # a multi-byte character cut at the end of the sample is fine
                try:
                    head.decode("gb18030")
                except UnicodeDecodeError:
                    return None
        return CSV
    return None


def check_upload(source, *, kinds=(XLSX,), scan: bool = True, limits: UploadLimits | None = None) -> str:
    """Refuse (``UploadRefused``) a file that is too large, not of one of ``kinds`` by its content, or — for a
    workbook — a zip bomb by its central directory or, with ``scan``, a sheet larger than the limits. Returns the
    kind. ``source`` is bytes or a file object (read from its start). Nothing here builds cells."""
    limits = limits or upload_limits()
    size = len(source) if isinstance(source, bytes | bytearray) else getattr(source, "size", None)
    if size is not None and size > limits.max_bytes:
        raise UploadRefused(f"文件过大（{size_text(size)}），不能超过 {size_text(limits.max_bytes)}", code="size")
    data = _read_all(source, limits.max_bytes)
    if len(data) > limits.max_bytes:
        raise UploadRefused(f"文件过大，不能超过 {size_text(limits.max_bytes)}", code="size")
    if not data:
        raise UploadRefused("文件为空", code="empty")
    kind = detect_kind(data[:4096])
    wanted = "或".join(KIND_LABELS[k] for k in kinds)
    if kind not in kinds:
        raise UploadRefused(f"文件内容不是{wanted}（按文件内容判断，与扩展名无关）", code="type")
    if kind == XLSX:
        check_zip_package(data, limits=limits, scan=scan)
    elif kind == CSV and data.count(b"\n") + 1 > limits.max_rows:
        raise UploadRefused(f"文件行数超过 {limits.max_rows} 行", code="cells")
    return kind


def check_zip_package(data: bytes, *, limits: UploadLimits | None = None, scan: bool = True) -> None:
    """The workbook checks on a zip package: the central directory first, then (``scan``) the sheets' extent."""
    limits = limits or upload_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [info for info in archive.infolist() if not info.is_dir()]
            _check_directory(entries, limits)
            _check_manifest(archive)
            if scan:
                _check_extent(archive, entries, limits)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, OSError) as error:
        raise UploadRefused("文件已损坏或不是有效的 Excel 工作簿", code="type") from error
    except (ValueError, RuntimeError) as error:  # a malformed directory (negative offsets, an encrypted entry)
        raise UploadRefused("文件已损坏或不是有效的 Excel 工作簿", code="type") from error


def _check_directory(entries: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    check_zip_directory(
        entries,
        max_entries=limits.zip_max_entries,
        max_uncompressed=limits.zip_max_uncompressed,
        max_ratio=limits.zip_max_ratio,
        what="工作簿",
    )


def check_zip_directory(
    entries: list[zipfile.ZipInfo], *, max_entries: int, max_uncompressed: int, max_ratio: int, what: str
) -> None:
    """A zip package (a workbook, an attachment) judged from its central directory, before anything is unpacked:
    too many entries, too much uncompressed data, a compression ratio only a bomb has (for the whole and for any
    entry past 1 MB), encryption, or a compression method Office and OFD files do not use."""
    if len(entries) > max_entries:
        raise UploadRefused(f"{what}内文件过多（{len(entries)} 个，上限 {max_entries} 个），疑似压缩炸弹", code="bomb")
    total = sum(info.file_size for info in entries)
    packed = sum(info.compress_size for info in entries)
    if total > max_uncompressed:
        raise UploadRefused(
            f"{what}解压后体积过大（{size_text(total)}，上限 {size_text(max_uncompressed)}），疑似压缩炸弹", code="bomb"
        )
    for info in [*entries, None]:
        unpacked, compressed = (info.file_size, info.compress_size) if info else (total, packed)
        if unpacked > MB and unpacked > max(compressed, 1) * max_ratio:
            ratio = unpacked // max(compressed, 1)
            raise UploadRefused(f"{what}压缩比异常（约 {ratio}:1，上限 {max_ratio}:1），疑似压缩炸弹", code="bomb")
    for info in entries:
        if info.flag_bits & 0x1:
            raise UploadRefused(f"不接受加密的{what}，请取消密码保护后上传", code="type")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(f"{what}使用了不支持的压缩方式", code="type")


def _check_manifest(archive: zipfile.ZipFile) -> None:
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise UploadRefused("文件内容不是 Excel 工作簿（.xlsx）", code="type") from None
    if info.file_size > MANIFEST_MAX:
        raise UploadRefused("工作簿内容清单过大，格式异常", code="bomb")
    with archive.open(info) as handle:
        manifest = handle.read(MANIFEST_MAX + 1)
    if WORKBOOK_MAIN not in manifest:
        raise UploadRefused(
            "文件内容不是 Excel 工作簿（.xlsx）；含宏的工作簿（.xlsm）和模板不接受，请另存为 .xlsx", code="type"
        )


# A row or cell start tag with any namespace prefix, and its attributes; the r attribute is its reference.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^<>]*)")
REFERENCE = re.compile(rb"(?:^|\s)r\s*=\s*[\"']\s*([A-Za-z]{0,3})([0-9]{0,7})")
# The usual spelling (Excel, WPS, openpyxl): no namespace prefix, the reference first.
FAST_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
FAST_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


@dataclass
class SheetExtent:
    rows: int = 0  # the highest row of a cell with a value (the parser leaves the others out)
    columns: int = 0
    cells: int = 0

    @property
    def dense(self) -> int:
        return self.rows * self.columns


class _ExtentScanner:
    """Streams one XML entry. The usual case — every cell tag carries its reference, as Excel, WPS and openpyxl
    write them — is counted with whole-chunk regular expressions; a chunk where some cell has no reference is
    walked tag by tag with the implicit positions the format defines (a tag without r follows the previous one)."""

    def __init__(self, extent: SheetExtent, limits: UploadLimits):
        self.extent, self.limits = extent, limits
        self.row = self.column = 0

    def feed(self, text: bytes) -> None:
        cells = text.count(b"<c ") + text.count(b"<c>") + text.count(b"<c/>")
        prefixed = b":c " in text or b":c>" in text or b":row" in text
        if not prefixed and cells == text.count(b'<c r="'):
            self._feed_referenced(text, cells)
        else:
            self._feed_tags(text)
        self._check()

    def _feed_referenced(self, text: bytes, cells: int) -> None:
        """Every cell names its reference: the highest row and column over the chunk at C speed. Cells formatted
        without a value count too (the parser leaves them out): a little stricter than the parser, never less."""
        if not cells:
            return
        extent = self.extent
        extent.cells += cells
        extent.rows = max(extent.rows, max(map(int, FAST_ROWS.findall(text))))
        letters = FAST_COLUMNS.findall(text)
        longest = max(map(len, letters))
        extent.columns = max(extent.columns, _column_number(max(x for x in letters if len(x) == longest)))
        self.row, self.column = extent.rows, 0

    def _feed_tags(self, text: bytes) -> None:
        extent = self.extent
        for match in TAG.finditer(text):
            attributes = match.group(2)
            found = REFERENCE.search(attributes)
            letters, digits = (found.group(1), found.group(2)) if found else (b"", b"")
            if match.group(1) == b"row":
                self.row = int(digits) if digits else self.row + 1
                self.column = 0
                continue
            if digits:
                self.row = int(digits)
            self.column = _column_number(letters) if letters else self.column + 1
            if attributes.rstrip().endswith(b"/"):
                continue  # <c r="…" s="…"/>: formatting without a value, which the parser leaves out
            extent.cells += 1
            extent.rows = max(extent.rows, self.row)
            extent.columns = max(extent.columns, self.column)

    def _check(self) -> None:
        extent, limits = self.extent, self.limits
        if extent.rows > limits.max_rows:
            raise UploadRefused(f"工作表超过 {limits.max_rows} 行（至少 {extent.rows} 行），请分批导入", code="cells")
        if extent.columns > limits.max_columns:
            raise UploadRefused(f"工作表超过 {limits.max_columns} 列（至少 {extent.columns} 列）", code="cells")
        if extent.dense > limits.max_cells or extent.cells > limits.max_cells:
            raise UploadRefused(
                f"工作表单元格过多（{extent.rows} 行 × {extent.columns} 列），超过 {limits.max_cells} 个，请分批导入",
                code="cells",
            )


def _check_extent(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: UploadLimits) -> SheetExtent:
    """Every entry but images, whatever its name says: the parser finds sheets through the workbook's relations,
    which may point anywhere. The largest extent of any one entry counts."""
    largest = SheetExtent()
    for info in entries:
        if info.filename.lower().endswith(SKIP_SCAN):
            continue
        extent = SheetExtent()
        scanner = _ExtentScanner(extent, limits)
        pending = b""
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                text = pending + chunk
                cut = text.rfind(b"<")
                if cut >= 0 and b">" not in text[cut:]:
                    text, pending = text[:cut], text[cut:]
                else:
                    pending = b""
                if len(pending) > CHUNK:
                    raise UploadRefused("工作表格式异常（标签过长）", code="bomb")
                scanner.feed(text)
            scanner.feed(pending)
        if extent.dense > largest.dense:
            largest = extent
    return largest


# --- 5. the parse, in a child process under the ceiling ---------------------------------------------------------


class _RowsUnpickler(pickle.Unpickler):
    ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


class UnreadableWorkbook(ValueError):
    """The parser could not read the file as a workbook (not a size problem)."""


def read_sheet_rows(content: bytes, *, sheet: str = "", limits: UploadLimits | None = None) -> list[list]:
    """The rows of the sheet named ``sheet`` (else the first) as Python values, parsed in a child process under
    the memory and time ceiling after ``check_upload``. ``UploadRefused`` for a file over a limit,
    ``UnreadableWorkbook`` for one the parser cannot read."""
    limits = limits or upload_limits()
    check_upload(content, kinds=(XLSX,), limits=limits)
    return _parse_in_child(content, {"sheet": sheet}, limits)


def read_workbook_sheets(content: bytes, *, limits: UploadLimits | None = None) -> list[tuple[str, list, list]]:
    """Every sheet of an .xlsx or .xls workbook as (name, rows, merged ranges ((row, col), (row, col)), 0-based),
    parsed in the child process under the same ceiling as ``read_sheet_rows``."""
    limits = limits or upload_limits()
    check_upload(content, kinds=(XLSX, XLS), limits=limits)
    return _parse_in_child(content, {"sheet": "", "all_sheets": True}, limits)


def _parse_in_child(content: bytes, options: dict, limits: UploadLimits):
    options = {
        **options,
        "memory_mb": limits.parse_memory_mb,
        "cpu_seconds": limits.parse_seconds,
        "max_rows": limits.max_rows,
        "max_columns": limits.max_columns,
        "max_cells": limits.max_cells,
    }
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(WORKER), json.dumps(options)],
            input=content,
            capture_output=True,
            timeout=limits.parse_seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UploadRefused(f"解析超时（超过 {limits.parse_seconds} 秒），文件可能异常", code="timeout") from None
    if done.returncode == 0:
        try:
            return _RowsUnpickler(io.BytesIO(done.stdout)).load()
        except (pickle.UnpicklingError, EOFError, ValueError) as error:
            raise UnreadableWorkbook(str(error)) from error
    if done.returncode == 2:
        raise UnreadableWorkbook(done.stderr.decode(errors="replace"))
    if done.returncode == 3:
        size = json.loads(done.stderr or b"{}")
        raise UploadRefused(
            f"工作表过大（{size.get('rows')} 行 × {size.get('columns')} 列），超过导入上限，请分批导入", code="cells"
        )
    if done.returncode == -signal.SIGXCPU:
        raise UploadRefused(f"解析超时（超过 {limits.parse_seconds} 秒），文件可能异常", code="timeout")
    # 4 (MemoryError), SIGABRT (an allocation refused inside the parser), SIGKILL, SIGSEGV: the ceiling held.
    raise UploadRefused(
        f"解析该文件所需内存超过上限（{limits.parse_memory_mb} MB），疑似异常文件，未导入", code="memory"
    )


# --- the form side ----------------------------------------------------------------------------------------------


def validate_upload(upload, *, kinds=(XLSX,)) -> None:
    """For a form's ``clean_<file>``: size, type by content and the zip's central directory (the cheap checks;
    the job scans the sheets and parses under the ceiling). Raises ``ValidationError`` with the reason."""
    try:
        check_upload(upload, kinds=kinds, scan=False)
    except UploadRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from None
