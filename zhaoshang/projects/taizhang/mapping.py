"""Which field each column of a 台账 holds, in which unit, and for which month (到位 columns): proposed from the
header words, confirmed or edited by the officer, and remembered for the bureau (``TaizhangMapping``) so that the
next file with the same headings is read the same way without asking again."""

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import date

from zhaoshang.projects.taizhang.words import all_header_words, normalise

FIELDS = {
    "ignore": "不导入",
    "external_code": "项目编号",
    "name": "项目名称",
    "investor_name": "投资方",
    "credit_code": "统一社会信用代码",
    "county": "县市区",
    "park": "园区",
    "industry": "产业/行业",
    "amount": "协议投资额",
    "funds_cumulative": "累计到位资金",
    "funds_monthly": "当月到位资金",
    "signed_on": "签约日期",
    "registered_on": "登记日期",
    "started_on": "开工日期",
    "production_on": "投产日期",
    "stage": "项目进度（阶段）",
    "responsible_person": "责任人",
    "description": "项目简介",
    "note": "备注",
    "land_mu": "用地（亩）",
    "source_province": "资金来源省份",
}
MONEY_FIELDS = ("amount", "funds_cumulative", "funds_monthly")
FUNDS_FIELDS = ("funds_cumulative", "funds_monthly")
REPEATABLE = {"ignore", *FUNDS_FIELDS, "note"}
UNITS = {"亿元": 10000, "万元": 1, "元": None}  # factor to 万元; 元 divides by 10,000
DEFAULT_UNIT = "万元"
YEAR_MONTH = re.compile(r"(20\d\d)\s*(?:年|[.\-/])\s*(?:\d{1,2}\s*[-—~至到]\s*)?(\d{1,2})\s*月?")
MONTH_ONLY = re.compile(r"(?:\d{1,2}\s*[-—~至到]\s*)?(\d{1,2})\s*月")
YEAR_ONLY = re.compile(r"(20\d\d)\s*年")


@dataclass(eq=False)  # hashed by identity: a row's values are keyed by their column
class ColumnMap:
    index: int
    header: str
    field: str = "ignore"
    unit: str = ""  # money columns: 亿元, 万元 or 元
    month: str = ""  # 到位 columns: YYYY-MM the figure is for (monthly) or up to (cumulative)
    unit_from_header: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def month_start(self) -> date:
        year, month = map(int, self.month.split("-"))
        return date(year, month, 1)

    @property
    def field_label(self) -> str:
        return FIELDS.get(self.field, self.field)


def header_key(labels: list[str]) -> str:
    """The identity of a layout: its headings, normalised, in order."""
    return hashlib.sha256("\x1f".join(normalise(label) for label in labels).encode()).hexdigest()


def unit_of(text: str) -> str:
    """The money unit a heading or a cell names: 亿元, 万元, 元, or ""."""
    text = normalise(text)
    if "亿" in text:
        return "亿元"
    if "万元" in text or "(万)" in text or text.endswith("万"):
        return "万元"
    if "(元)" in text or text.endswith("元"):
        return "元"
    return ""


def month_of(label: str, *, today: date) -> str:
    """The month a 到位 heading is for: 2024年3月, 2024.3, 2024年1-3月 (the end month), a year heading over a
    month heading (``2024年到位资金|3月``), or a past year alone (its December). "" when it names none."""
    text = label.replace("（", "(").replace("）", ")")
    found = YEAR_MONTH.search(text)
    if found and 1 <= int(found.group(2)) <= 12:
        return f"{int(found.group(1)):04d}-{int(found.group(2)):02d}"
    year, month = YEAR_ONLY.search(text), MONTH_ONLY.search(text)
    if year and month and 1 <= int(month.group(1)) <= 12:
        return f"{int(year.group(1)):04d}-{int(month.group(1)):02d}"
    if year and int(year.group(1)) < today.year:
        return f"{int(year.group(1)):04d}-12"
    return ""


def field_of(label: str) -> str:
    text = normalise(label)
    if not text:
        return "ignore"
    if "到位" in text or "到资" in text:
        if "率" in text or "比例" in text:
            return "ignore"
        return "funds_cumulative" if "累计" in text else "funds_monthly"
    for word, field in all_header_words():
        if word in text:
            return field
    return "ignore"


def propose(labels: list[str], sample_rows: list[list], *, today: date) -> list[ColumnMap]:
    """A mapping for every column. A field that may appear once goes to its first column; a money column without
    a unit in its heading takes the unit its cells write (``5.2亿``), else 万元, marked as not from the heading."""
    columns, taken = [], set()
    for index, label in enumerate(labels):
        field = field_of(label)
        if field not in REPEATABLE and field in taken:
            field = "ignore"
        taken.add(field)
        column = ColumnMap(index=index, header=label, field=field)
        if field in MONEY_FIELDS:
            column.unit = unit_of(label)
            column.unit_from_header = bool(column.unit)
            if not column.unit:
                cells = [str(row[index]) for row in sample_rows if index < len(row) and isinstance(row[index], str)]
                units = {unit_of(cell) for cell in cells} - {""}
                column.unit = units.pop() if len(units) == 1 else DEFAULT_UNIT
        if field in FUNDS_FIELDS:
            column.month = month_of(label, today=today)
        columns.append(column)
    return columns


def from_dicts(items: list[dict], labels: list[str]) -> list[ColumnMap]:
    """A mapping as stored or edited (by index), checked against the sheet's columns: unknown fields and units
    are refused with a message (``ValueError``)."""
    columns = []
    for item in items:
        index = int(item["index"])
        if not 0 <= index < len(labels):
            raise ValueError(f"第{index + 1}列不存在")
        field = item.get("field") or "ignore"
        if field not in FIELDS:
            raise ValueError(f"“{labels[index]}”列的字段“{field}”不存在")
        unit = item.get("unit") or ""
        if field in MONEY_FIELDS and unit not in UNITS:
            raise ValueError(f"“{labels[index]}”列的单位须为亿元、万元或元")
        month = item.get("month") or ""
        if month and not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", month):
            raise ValueError(f"“{labels[index]}”列的月份须为 YYYY-MM")
        columns.append(
            ColumnMap(
                index=index,
                header=labels[index],
                field=field,
                unit=unit if field in MONEY_FIELDS else "",
                month=month if field in FUNDS_FIELDS else "",
                unit_from_header=bool(item.get("unit_from_header")),
            )
        )
    known = {c.index for c in columns}
    columns += [ColumnMap(index=i, header=label) for i, label in enumerate(labels) if i not in known]
    return sorted(columns, key=lambda c: c.index)


def mapping_problems(columns: list[ColumnMap]) -> list[str]:
    """What a mapping lacks before rows can be read: a name and an investor column, a month for every 到位
    column, each single field once."""
    problems = []
    fields = [c.field for c in columns]
    for needed in ("name", "investor_name"):
        if needed not in fields:
            problems.append(f"没有对应“{FIELDS[needed]}”的列，请在映射中指定")
    for field in set(fields) - REPEATABLE:
        if fields.count(field) > 1:
            problems.append(f"“{FIELDS[field]}”对应了多列，请只保留一列")
    for column in columns:
        if column.field in FUNDS_FIELDS and not column.month:
            problems.append(f"“{column.header}”列未能从列名识别月份，请填写该列对应的月份（YYYY-MM）")
    return problems
