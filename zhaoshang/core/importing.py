"""The Excel import engine: templates with drop-downs and an instructions sheet, and all-or-nothing parsing.

Every row is validated before anything is written; errors name the row and the column as bureaus expect
(``第57行 协议投资额: 必须为数字``). Apps describe their columns and write the parsed rows in one transaction.
"""

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhaoshang.core import excel
from zhaoshang.core.uploads import UnreadableWorkbook, UploadRefused, read_sheet_rows

DATA_SHEET = "数据"
CHOICES_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"
TEMPLATE_ROWS = 10000
UNREADABLE = "无法读取，请使用平台下载的 .xlsx 模板"


class CellError(ValueError):
    """A cell that cannot be read; the message is shown after the row number and column."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def text(max_length: int = 200) -> Callable[[Any], str]:
    def parse(value):
        result = cell_text(value)
        if len(result) > max_length:
            raise CellError(f"不能超过{max_length}字")
        return result

    return parse


def decimal(places: int = 2, minimum: Decimal | None = Decimal(0)) -> Callable[[Any], Decimal]:
    """Amounts in 万元 and the like: exact, never through float arithmetic on our side."""

    def parse(value):
        raw = repr(value) if isinstance(value, float) else cell_text(value).replace(",", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise CellError("必须为数字") from None
        if not number.is_finite():
            raise CellError("必须为数字")
        if minimum is not None and number < minimum:
            raise CellError(f"不能小于{minimum}")
        quantum = Decimal(1).scaleb(-places)
        if number != number.quantize(quantum):
            raise CellError(f"最多{places}位小数")
        return number.quantize(quantum)

    return parse


def integer(minimum: int = 0) -> Callable[[Any], int]:
    def parse(value):
        number = decimal(places=0, minimum=Decimal(minimum))(value)
        return int(number)

    return parse


def date_value(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CellError("日期格式应为 YYYY-MM-DD") from None


def choice(options: dict[str, Any]) -> Callable[[Any], Any]:
    """A drop-down column: the cell holds the label, the row gets the value."""

    def parse(value):
        label = cell_text(value)
        if label not in options:
            raise CellError("请从下拉列表中选择")
        return options[label]

    parse.labels = list(options)
    return parse


def yes_no(value) -> bool:
    label = cell_text(value)
    if label in {"是", "Y", "y", "1", "TRUE", "True"}:
        return True
    if label in {"否", "N", "n", "0", "FALSE", "False", ""}:
        return False
    raise CellError("请填写“是”或“否”")


yes_no.labels = ["是", "否"]


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any] = field(default_factory=text)
    required: bool = False
    help: str = ""

    @property
    def labels(self) -> list[str] | None:
        return getattr(self.parse, "labels", None)


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]


@dataclass
class ImportReport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _blank(value: Any) -> bool:
    return value is None or value == "" or (type(value) is str and value.isspace())


def read_sheet(content: bytes) -> list[list]:
    """The data sheet of a workbook (the one named 数据, else the first), as Python values: checked against the
    upload limits, then parsed in a child process under the memory ceiling (``core.uploads``)."""
    return read_sheet_rows(content, sheet=DATA_SHEET)


def parse_workbook(
    content: bytes,
    columns: Sequence[Column],
    *,
    check_row: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 1000,
) -> ImportReport:
    """Read and validate every row. ``check_row`` adds cross-column errors as (header, message) pairs;
    ``progress(done, total)`` is told every ``progress_every`` rows (for a job's progress bar)."""
    report = ImportReport()
    try:
        rows = read_sheet(content)
    except UploadRefused as refused:  # a limit of core.uploads, checked before parsing or held while parsing
        unreadable = refused.code in ("type", "empty")
        report.errors.append(f"第1行 文件: {UNREADABLE if unreadable else refused.message}")
        return report
    except (UnreadableWorkbook, ValueError, OSError, IndexError):
        report.errors.append(f"第1行 文件: {UNREADABLE}")
        return report
    if not rows:
        report.errors.append("第1行 表头: 文件为空")
        return report
    header = [cell_text(h).rstrip("*").strip() for h in rows[0]]
    missing = [c.header for c in columns if c.required and c.header not in header]
    if missing:
        report.errors.append(f"第1行 表头: 缺少列 {'、'.join(missing)}")
        return report
    # Each column with its position in the sheet; a column the sheet lacks is past every row's end, so reads empty.
    placed = [(c, header.index(c.header) if c.header in header else sys.maxsize) for c in columns]
    total = len(rows) - 1
    for number, row in enumerate(rows[1:], start=2):
        if progress is not None and (number - 1) % progress_every == 0:
            progress(number - 1, total)
        width = len(row)
        cells = [row[position] if position < width else None for _, position in placed]
        if all(map(_blank, cells)):
            continue
        values, errors = {}, []
        for (column, _), raw in zip(placed, cells, strict=True):
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):  # _blank, inline: 140,000 cells
                if column.required:
                    errors.append(f"第{number}行 {column.header}: 不能为空")
                values[column.key] = None if column.parse is not yes_no else False
                continue
            try:
                values[column.key] = column.parse(raw)
            except CellError as error:
                errors.append(f"第{number}行 {column.header}: {error}")
        if not errors and check_row is not None:
            errors = [f"第{number}行 {header_}: {message}" for header_, message in check_row(values)]
        report.errors.extend(errors)
        report.rows.append(ParsedRow(number, values))
    if not report.rows and not report.errors:
        report.errors.append("第2行 数据: 没有可导入的行")
    return report


def template_bytes(
    *, title: str, columns: Sequence[Column], instructions: Sequence[str], example: Sequence | None = None
) -> bytes:
    """An import template: the data sheet (required headers marked *), drop-downs fed from a hidden sheet of
    options, and an instructions sheet describing every column."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append([c.header + (" *" if c.required else "") for c in columns])
    for cell in data[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
    if example:
        data.append(list(example))
    options = book.create_sheet(CHOICES_SHEET)
    options.sheet_state = "hidden"
    list_column = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.labels:
            list_column += 1
            options_letter = get_column_letter(list_column)
            for row, label in enumerate(column.labels, start=1):
                excel.text_cell(options, row=row, column=list_column, value=label)  # never a live formula
            source = f"{CHOICES_SHEET}!${options_letter}$1:${options_letter}${len(column.labels)}"
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=not column.required)
            validation.error, validation.errorTitle = "请从下拉列表中选择", column.header
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            data.add_data_validation(validation)
    data.freeze_panes = "A2"
    guide = book.create_sheet(INSTRUCTIONS_SHEET)
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=14)
    for line in instructions:
        guide.append([line])
    guide.append([])
    guide.append(["列名", "必填", "说明"])
    for column in columns:
        hint = column.help or ("从下拉列表选择：" + "、".join(column.labels[:20]) if column.labels else "")
        guide.append([column.header, "是" if column.required else "否", hint])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["C"].width = 80
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
