"""One way to write figures, on pages, in exports and in documents.

Money is stored in 万元 (DESIGN). It is shown with thousands separators and the two decimals the bulletins print,
and always with its unit: ``356,274.08万元``; pages that report in 亿元 say ``35.63亿元`` (1 亿元 = 10,000 万元).
Month ranges are written as 公文 write them: ``1—6月`` (an em dash, never a hyphen). Templates use the filters of
``core/templatetags/formatting.py`` (built-ins: no ``{% load %}``); Excel exports keep numbers as numbers and take
their number formats from here (``core/excel.py``).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN_PER_YI = Decimal(10000)
CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")
EMPTY = "—"  # what a missing figure is shown as
MONTH_DASH = "—"  # 1—6月, 2022—2024年

# Excel number formats (the value stays a number; the format is how Excel shows it)
EXCEL_MONEY = "#,##0.00"
EXCEL_COUNT = "#,##0"
EXCEL_PERCENT = "0.0"  # percentages are stored as printed: 16.7 means 16.7 %

MONEY_UNITS = ("万元", "亿元", "万美元")


def to_decimal(value) -> Decimal | None:
    """A number as an exact Decimal (a float through its shortest repr, never its binary expansion)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def wan_exact(value) -> Decimal | None:
    """An amount in 万元 to two decimals, half up. A sum on SQLite comes back through floats (356274.080000000,
    882491.569999999) and a growth target is a product with many decimals: both become the cent-exact figure."""
    number = to_decimal(value)
    return None if number is None else number.quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yi(value) -> Decimal | None:
    """万元 → 亿元, two decimals, half up."""
    number = to_decimal(value)
    return None if number is None else (number / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP)


def figure(value, places: int = 2) -> str:
    """The number only, with thousands separators: ``356,274.08`` (for a cell under a header that names the unit)."""
    number = to_decimal(value)
    if number is None:
        return EMPTY
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{number.copy_abs() if number == 0 else number:,.{places}f}"  # never "-0.00"


def wan(value) -> str:
    """``356,274.08万元``."""
    text = figure(value)
    return text if text == EMPTY else f"{text}万元"


def yi(value_wan) -> str:
    """An amount given in 万元, written in 亿元: ``35.63亿元``."""
    number = wan_to_yi(value_wan)
    return EMPTY if number is None else f"{figure(number)}亿元"


def wan_and_yi(value) -> str:
    """``150,000.00万元（15.00亿元）``: where a page shows both."""
    return EMPTY if to_decimal(value) is None else f"{wan(value)}（{yi(value)}）"


def usd_wan(value) -> str:
    text = figure(value)
    return text if text == EMPTY else f"{text}万美元"


def count(value, unit: str = "个") -> str:
    """``1,234个``."""
    number = to_decimal(value)
    return EMPTY if number is None else f"{figure(number, 0)}{unit}"


def measure(value, unit: str) -> str:
    """A figure with its unit, whatever the unit: money in 万元 (``亿元`` converts a value given in 万元), 万美元, a
    percentage, or a count (个, 人, 次 …)."""
    if unit == "万元":
        return wan(value)
    if unit == "亿元":
        return yi(value)
    if unit == "万美元":
        return usd_wan(value)
    if unit in {"%", "百分点"}:
        return percent(value, unit)
    return count(value, unit)


def percent(value, unit: str = "%") -> str:
    """A percentage as bulletins print it, one decimal: ``16.7%``, ``10.2个百分点``."""
    number = to_decimal(value)
    if number is None:
        return EMPTY
    text = f"{number.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):f}"
    return f"{text}个百分点" if unit == "百分点" else f"{text}{unit}"


def column_kind(header: str) -> str | None:
    """What a table column's header says its numbers are: ``money`` (万元, 亿元, 万美元), ``percent`` (% and
    百分点), or None. Excel formats (``core/excel.py``) and Word tables (``cell_text``) both follow it."""
    if any(unit in header for unit in MONEY_UNITS):
        return "money"
    if "%" in header or "百分点" in header:
        return "percent"
    return None


def cell_text(value, header: str = "") -> str:
    """A table cell in a document: money as ``1,234.56`` and percentages as ``16.7`` under a header that names the
    unit, whole numbers (ranks, counts, years) as they are, nothing as ``—``."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    kind = column_kind(header)
    if kind is None and value == int(value):
        return str(int(value))
    return figure(value, 1 if kind == "percent" else 2)


def month_range(month: int, start: int = 1) -> str:
    """``1月``, ``1—6月``: the one way a range of months is written."""
    return f"{month}月" if month == start else f"{start}{MONTH_DASH}{month}月"


def period_label(year: int, month: int) -> str:
    """``2026年1—6月``."""
    return f"{year}年{month_range(month)}"


def year_range(first: int, last: int) -> str:
    return f"{last}年" if first == last else f"{first}{MONTH_DASH}{last}年"


def size_text(size: int) -> str:
    """A file's size: ``20 MB``, ``1.5 MB``, ``12 KB``, ``900 字节``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"
