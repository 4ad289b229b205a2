"""Excel exports: one engine for every sheet the platform writes, safe against formula injection.

Numbers stay numbers: a cell holds an int or a Decimal with an Excel number format (money ``#,##0.00`` to the
cent, counts ``#,##0``, percentages ``0.0``), never the number as text. The formula guard (a leading quote) applies
to text cells only, so a negative figure is never written as the text ``'-5.2``. A column's format comes from its
header's unit (``协议投资额（万元）``, ``增长（%）``); a cell whose unit varies by row says so with ``money()``,
``count()`` or ``percent()``.
"""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from itertools import islice
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from zhaoshang.core import formatting
from zhaoshang.core.validators import CONTROL_CHARACTERS

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


CELL_LIMIT = 32767  # characters Excel keeps in a cell; a longer text makes it report the file as damaged
TRUNCATED = "…（超出Excel单元格长度，已截断，完整内容见平台）"


@dataclass(frozen=True)
class Typed:
    """A number with the Excel format it is shown in, for a column whose unit varies by row."""

    value: int | Decimal | None
    number_format: str


def money(value) -> Typed:
    """An amount (万元 or 亿元, as the header or a unit column says), cent-exact, shown ``1,234.50``."""
    return Typed(formatting.wan_exact(value), formatting.EXCEL_MONEY)


def count(value) -> Typed:
    return Typed(None if value is None else int(value), formatting.EXCEL_COUNT)


def percent(value) -> Typed:
    """A percentage or percentage points as printed (16.7), shown with one decimal."""
    return Typed(formatting.to_decimal(value), formatting.EXCEL_PERCENT)


def header_format(header: str) -> str | None:
    """The number format a column's header implies: money units → ``#,##0.00``, % and 百分点 → ``0.0``."""
    return {"money": formatting.EXCEL_MONEY, "percent": formatting.EXCEL_PERCENT}.get(formatting.column_kind(header))


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with a quote, text too long for a cell is cut
    with a note (an import's audit row lists thousands of projects); numbers and dates stay typed."""
    if isinstance(value, Typed):
        return value.value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (bool, int, float, Decimal, date)) or value is None:
        return value
    text = strip_control(str(value))
    if text.startswith(FORMULA_TRIGGERS):
        text = "'" + text
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    return text


def strip_control(text: str) -> str:
    """Text without the control characters a worksheet cannot hold (openpyxl refuses them, and one of them in a
    name failed every export that included it). Input refuses them (``core/inputs.py``);
    rows stored before that are cleaned here, on the way out."""
    return CONTROL_CHARACTERS.sub("", text)


def text_cell(sheet, *, row: int, column: int, value) -> Cell:
    """A cell that holds its text exactly and as text: a drop-down's option (a park's name) must match what the
    importer reads back, so instead of ``safe_cell``'s leading quote the cell is typed as a string, with Excel's
    quote prefix when it starts like a formula. openpyxl would otherwise store ``=HYPERLINK(…)`` as a live formula."""
    cell = sheet.cell(row=row, column=column, value=strip_control(str(value)))
    cell.data_type = "s"
    if cell.value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _typed(value, column_format: str | None):
    """(cell value, number format) for one value of a column."""
    if isinstance(value, Typed):
        return value.value, value.number_format
    if isinstance(value, float):
        value = formatting.to_decimal(value)
    if isinstance(value, Decimal) and column_format == formatting.EXCEL_MONEY:
        return formatting.wan_exact(value), column_format
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and column_format:
        return value, column_format
    return safe_cell(value), None


def style_header(row) -> None:
    for cell in row:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")


def write_table(sheet, *, headers: Sequence[str], rows: Iterable[Sequence], widths: bool = True) -> None:
    """Append a header row and the rows below whatever the sheet already holds, each value typed and formatted."""
    header = [Cell(sheet, value=safe_cell(h)) for h in headers]
    style_header(header)
    sheet.append(header)
    formats = [header_format(h) for h in headers]
    sizes = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        cells = []
        for i, raw in enumerate(row):
            value, number_format = _typed(raw, formats[i] if i < len(formats) else None)
            cell = Cell(sheet, value=value)
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
            if i < len(sizes):
                shown = formatting.figure(value) if number_format == formatting.EXCEL_MONEY else str(value or "")
                sizes[i] = min(60, max(sizes[i], len(shown) + 2))
        sheet.append(cells)
    if widths:
        for i, width in enumerate(sizes, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)


WIDTH_SAMPLE = 500  # rows read ahead to size the columns of a streamed sheet


def workbook_file(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """The sheet ``workbook_bytes`` writes, in openpyxl's write-only mode into a temporary file (returned open, at
    its start): each row goes to disk as it is appended, so memory stays flat however many rows come (100,000
    projects took 1.1 GB in the ordinary mode, which keeps every cell as an object). Column widths come from the
    headers and the first ``WIDTH_SAMPLE`` rows, since a streamed sheet cannot be sized after its rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    formats = [header_format(h) for h in headers]
    rows = iter(rows)

    def typed(row):
        return [_typed(raw, formats[i] if i < len(formats) else None) for i, raw in enumerate(row)]

    first = [typed(row) for row in islice(rows, WIDTH_SAMPLE)]
    sizes = [len(h) * 2 + 2 for h in headers]
    for row in first:
        for i, (value, number_format) in enumerate(row[: len(sizes)]):
            shown = formatting.figure(value) if number_format == formatting.EXCEL_MONEY else str(value or "")
            sizes[i] = min(60, max(sizes[i], len(shown) + 2))
    for i, width in enumerate(sizes, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    header = [WriteOnlyCell(sheet, value=safe_cell(h)) for h in headers]
    style_header(header)
    sheet.append(header)

    def cells(typed_row):
        result = []
        for value, number_format in typed_row:
            cell = WriteOnlyCell(sheet, value=value)
            if number_format and value is not None:
                cell.number_format = number_format
            result.append(cell)
        return result

    for row in first:
        sheet.append(cells(row))
    for row in rows:
        sheet.append(cells(typed(row)))
    file = tempfile.TemporaryFile()
    book.save(file)
    file.seek(0)
    return file


def xlsx_file_response(*, filename: str, file, stream: bool) -> HttpResponse:
    """A written workbook file as a download: streamed in chunks when large (``FileResponse``), else whole."""
    if not stream:
        with file:
            return xlsx_response(filename=filename, content=file.read())
    response = FileResponse(file, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def workbook_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    write_table(sheet, headers=headers, rows=rows)
    sheet.freeze_panes = "A2"
    return book_bytes(book)


def book_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
