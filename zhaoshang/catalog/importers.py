"""Excel import of the 失信 register (《全国失信惩戒措施基础清单》 entities), on the shared import engine: one bad
row and no row is written; the errors name the row and column (``第3行 统一社会信用代码: 校验位错误``)."""

from django.db import transaction

from zhaoshang.catalog.models import CreditBlacklistEntry
from zhaoshang.core.audit import audit_record
from zhaoshang.core.importing import CellError, Column, ImportReport, cell_text, date_value, parse_workbook, text
from zhaoshang.core.validators import credit_code_error


def credit_code(value) -> str:
    code = cell_text(value).upper()
    problem = credit_code_error(code)
    if problem:
        raise CellError(problem)
    return code


CREDIT_COLUMNS = [
    Column("统一社会信用代码", "credit_code", credit_code, required=True, help="18位，含校验位"),
    Column("市场主体名称", "name", text(200), required=True),
    Column("列入日期", "listed_on", date_value, required=True, help="YYYY-MM-DD"),
    Column("认定部门", "authority", text(100), required=True),
    Column("失信情形", "reason", text(300)),
    Column("移出日期", "removed_on", date_value, help="已移出名单的填写，YYYY-MM-DD"),
]


def _check_dates(values: dict) -> list[tuple[str, str]]:
    if values["removed_on"] and values["removed_on"] < values["listed_on"]:
        return [("移出日期", "不能早于列入日期")]
    return []


def credit_blacklist_import(*, content: bytes, actor, filename: str = "") -> ImportReport:
    report = parse_workbook(content, CREDIT_COLUMNS, check_row=_check_dates)
    seen: dict[str, int] = {}
    for row in report.rows:
        code = row.values.get("credit_code")
        if code and code in seen:
            report.errors.append(f"第{row.number}行 统一社会信用代码: 与第{seen[code]}行重复")
        seen.setdefault(code, row.number)
    if not report.ok:
        return report
    with transaction.atomic():
        existing = {e.credit_code: e for e in CreditBlacklistEntry.objects.select_for_update()}
        for row in report.rows:
            values = {key: ("" if value is None and key in {"reason"} else value) for key, value in row.values.items()}
            entry = existing.get(values["credit_code"])
            if entry is None:
                CreditBlacklistEntry.objects.create(**values)
                report.created += 1
            elif any(getattr(entry, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                report.updated += 1
            else:
                report.unchanged += 1
        audit_record(
            actor=actor,
            action="import",
            object_type=CreditBlacklistEntry._meta.label,
            object_repr=f"失信主体名单导入：{filename}",
            after={"created": report.created, "updated": report.updated, "rows": len(report.rows)},
        )
    return report
