"""Excel import of the 失信 register (《全国失信惩戒措施基础清单》 entities). All or nothing: one bad row and no
row is written; the errors name the row and field (``第3行 统一社会信用代码: 校验位错误``)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.db import transaction
from python_calamine import CalamineError, CalamineWorkbook

from zhaoshang.catalog.models import CreditBlacklistEntry
from zhaoshang.core.audit import audit_record

CREDIT_COLUMNS = {
    "统一社会信用代码": "credit_code",
    "市场主体名称": "name",
    "列入日期": "listed_on",
    "认定部门": "authority",
    "失信情形": "reason",
    "移出日期": "removed_on",
}
REQUIRED = ("统一社会信用代码", "市场主体名称", "列入日期", "认定部门")
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_error(code: str) -> str | None:
    """GB 32100-2015: 18 characters of the code alphabet, the last one a check character."""
    if len(code) != 18:
        return "必须为18位"
    if any(ch not in CODE_CHARS for ch in code):
        return "含有无效字符"
    total = sum(CODE_CHARS.index(ch) * w for ch, w in zip(code[:17], CODE_WEIGHTS, strict=True))
    expected = CODE_CHARS[(31 - total % 31) % 31]
    return None if code[17] == expected else "校验位错误"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell_date(value) -> date | None | str:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return "日期格式应为 YYYY-MM-DD"


def read_rows(content: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(BytesIO(content))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def credit_blacklist_import(*, content: bytes, actor, filename: str = "") -> ImportResult:
    result = ImportResult()
    try:
        rows = read_rows(content)
    except (CalamineError, ValueError, OSError):
        result.errors.append("第1行 文件: 无法读取，请使用 .xlsx 模板")
        return result
    if not rows:
        result.errors.append("第1行 表头: 文件为空")
        return result
    header = [_cell_text(h) for h in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        result.errors.append(f"第1行 表头: 缺少列 {'、'.join(missing)}")
        return result
    columns = {CREDIT_COLUMNS[h]: i for i, h in enumerate(header) if h in CREDIT_COLUMNS}
    parsed, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[i] if i < len(row) else None for key, i in columns.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        values, row_errors = {}, []
        code = _cell_text(cells.get("credit_code")).upper()
        problem = credit_code_error(code) if code else "不能为空"
        if problem:
            row_errors.append(f"第{number}行 统一社会信用代码: {problem}")
        elif code in seen:
            row_errors.append(f"第{number}行 统一社会信用代码: 与第{seen[code]}行重复")
        seen.setdefault(code, number)
        values["credit_code"] = code
        for key, label, limit in (
            ("name", "市场主体名称", 200),
            ("authority", "认定部门", 100),
            ("reason", "失信情形", 300),
        ):
            text = _cell_text(cells.get(key))
            if not text and label in REQUIRED:
                row_errors.append(f"第{number}行 {label}: 不能为空")
            elif len(text) > limit:
                row_errors.append(f"第{number}行 {label}: 不能超过{limit}字")
            values[key] = text
        for key, label in (("listed_on", "列入日期"), ("removed_on", "移出日期")):
            value = _cell_date(cells.get(key))
            if isinstance(value, str):
                row_errors.append(f"第{number}行 {label}: {value}")
            elif value is None and label in REQUIRED:
                row_errors.append(f"第{number}行 {label}: 不能为空")
            values[key] = value if not isinstance(value, str) else None
        if values.get("listed_on") and values.get("removed_on") and values["removed_on"] < values["listed_on"]:
            row_errors.append(f"第{number}行 移出日期: 不能早于列入日期")
        result.errors.extend(row_errors)
        parsed.append(values)
    if result.errors:
        return result
    with transaction.atomic():
        existing = {e.credit_code: e for e in CreditBlacklistEntry.objects.select_for_update()}
        for values in parsed:
            entry = existing.get(values["credit_code"])
            if entry is None:
                CreditBlacklistEntry.objects.create(**values)
                result.created += 1
            elif any(getattr(entry, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                result.updated += 1
        audit_record(
            actor=actor,
            action="import",
            object_type=CreditBlacklistEntry._meta.label,
            object_repr=f"失信主体名单导入：{filename}",
            after={"created": result.created, "updated": result.updated, "rows": len(parsed)},
        )
    return result
