"""Reading a 台账 as it is: every sheet, merged cells filled across, the header rows found (one or two), and the
rows that are not projects skipped with their reason (title, blank, 合计/小计, notes and group headings).

Workbooks (.xlsx, .xls) are parsed in the child process under the upload ceiling (``core.uploads``); a .csv is
decoded here (UTF-8, else GB18030, the encoding Excel and WPS save Chinese CSV in).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from zhaoshang.core.uploads import CSV, UploadRefused, check_upload, read_workbook_sheets
from zhaoshang.projects.taizhang.words import all_header_words, normalise

HEADER_SEARCH_ROWS = 30  # a header lower than this is not a 台账's
TOTAL_ROW = re.compile(r"^(合计|总计|小计|共计|累计合计|全市合计|全县合计|全州合计)|(合计|总计|小计)$")
NOTE_ROW = re.compile(r"^(注|备注|说明|附注|填表|填报|制表|审核|联系人|联系电话|数据来源|单位)[:：\s（(0-9一二三]")
MONTH_WORD = re.compile(r"(20\d\d)\s*[年.\-/]\s*(\d{1,2})|(\d{1,2})\s*月")


class TaizhangUnreadable(ValueError):
    """The file cannot be read as a 台账; the message says why, in Chinese."""


@dataclass
class Table:
    """One sheet with its header found: ``labels`` per column (two header rows joined ``上|下``), the data rows
    as (row number, cells), and the rows skipped as (row number, reason). Row numbers are the sheet's, from 1."""

    sheet: str
    header_rows: list[int]
    labels: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class TaizhangBook:
    kind: str
    tables: list[Table]
    unread: list[tuple[str, str]]  # sheets without a header: (name, reason)


def read_taizhang(content: bytes) -> TaizhangBook:
    """Every sheet of the file with its header found. ``UploadRefused`` (the upload limits) or
    ``TaizhangUnreadable``."""
    kind = check_upload(content, kinds=("xlsx", "xls", CSV), scan=False)
    if kind == CSV:
        sheets = [("CSV", _csv_rows(content), [])]
    else:
        try:
            sheets = read_workbook_sheets(content)
        except UploadRefused:
            raise
        except ValueError as error:
            raise TaizhangUnreadable("文件无法读取，请确认是 Excel 工作簿（.xlsx/.xls）或 CSV 文本") from error
    tables, unread = [], []
    for name, rows, merged in sheets:
        table = find_table(name, _filled(rows, merged), merged)
        if table is None:
            unread.append((name, "未找到表头（前30行中没有项目名称、投资方、投资额等列名）" if rows else "空工作表"))
        else:
            tables.append(table)
    return TaizhangBook(kind=kind, tables=tables, unread=unread)


def _csv_rows(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TaizhangUnreadable("CSV 文件的编码无法识别，请另存为 UTF-8 或 GB18030（GBK）编码")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _filled(rows: list[list], merged: list) -> list[list]:
    """Rows of equal width, each merged range's value copied into every cell of the range (a merged county cell
    over three projects is the county of all three; a merged heading over three columns heads all three)."""
    width = max((len(r) for r in rows), default=0)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= width:
            continue
        value = grid[top][left]
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                grid[r][c] = value
    return grid


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _score(row: list) -> int:
    """How many cells of a row read as headings: short text holding a header word."""
    score = 0
    for value in row:
        if not isinstance(value, str) or not value.strip():
            continue
        text = normalise(value)
        if len(text) <= 24 and any(word in text for word, _ in all_header_words()):
            score += 1
    return score


def _is_value(value) -> bool:
    return isinstance(value, (int, float, date, datetime)) and not isinstance(value, bool)


def _second_header(grid: list[list], top: int, merged: list) -> bool:
    """The row under the header row is a second header row: a merged heading covers it (vertically) or spans
    columns that it subdivides; in a file without merged cells (CSV), it holds only text, some of it headings or
    months, fewer cells than the row above."""
    if top + 1 >= len(grid):
        return False
    below = grid[top + 1]
    if any(_is_value(v) for v in below):  # numbers or dates: the first project, not a heading
        return False
    for (r0, c0), (r1, c1) in merged:
        if r0 == top and r1 >= top + 1:
            return True
        if r0 == top and r1 == top and c1 > c0 and any(not blank(below[c]) for c in range(c0, c1 + 1)):
            return True
    if merged:
        return False
    cells = [v for v in below if not blank(v)]
    if not cells:
        return False
    months = sum(1 for v in cells if MONTH_WORD.search(str(v)))
    above = sum(1 for v in grid[top] if not blank(v))
    return (_score(below) + months) >= 1 and len(cells) < above


def find_table(name: str, grid: list[list], merged: list) -> Table | None:
    scores = [(_score(row), index) for index, row in enumerate(grid[:HEADER_SEARCH_ROWS])]
    best = max(scores, key=lambda pair: (pair[0], -pair[1]), default=(0, 0))
    if best[0] < 2:
        return None
    top = best[1]
    two = _second_header(grid, top, merged)
    upper = [_text(v) for v in grid[top]]
    lower = [_text(v) for v in grid[top + 1]] if two else [""] * len(upper)
    for c in range(1, len(upper)):  # a CSV's group heading stands over its first column only
        if two and not upper[c] and lower[c] and upper[c - 1] and lower[c - 1]:
            upper[c] = upper[c - 1]
    labels = []
    for up, low in zip(upper, lower, strict=True):
        labels.append(up if not low or low == up else (low if not up else f"{up}|{low}"))
    header_rows = [top + 1, top + 2] if two else [top + 1]
    table = Table(sheet=name, header_rows=header_rows, labels=labels)
    for index in range(top):
        if any(not blank(v) for v in grid[index]):
            table.skipped.append((index + 1, "标题行"))
    width = max((i + 1 for i, label in enumerate(labels) if label), default=0)
    for index in range(header_rows[-1], len(grid)):
        cells = grid[index][:width]
        reason = skip_reason(cells)
        if reason:
            table.skipped.append((index + 1, reason))
        else:
            table.rows.append((index + 1, cells))
    return table


def skip_reason(cells: list) -> str:
    """Why a row under the header is not a project, or "" when it may be one."""
    filled = []  # the first three filled cells are all the reasons look at (and whether there is only one)
    for v in cells:
        if v is not None and v != "" and not (type(v) is str and v.isspace()):
            filled.append(v)
            if len(filled) == 3:
                break
    if not filled:
        return "空行"
    # Every total word holds 计: the pattern runs only on a cell that has it.
    if any(type(v) is str and "计" in v and TOTAL_ROW.search(normalise(v)) for v in filled[:3]):
        return "合计行"
    first = str(filled[0]).strip() if isinstance(filled[0], str) else ""
    if first and NOTE_ROW.match(first):
        return "说明行"
    if len(filled) == 1:
        return "说明行" if len(first) >= 15 else "分组标题行"
    return ""
