"""Excel import of Chinese enterprise lists (中国500强, 民营500强, 链主, 专精特新 …), all or nothing."""

from django.db import transaction

from zhaoshang.core.audit import audit_record
from zhaoshang.core.importing import Column, ImportReport, choice, integer, parse_workbook, template_bytes, text
from zhaoshang.core.validators import credit_code_error
from zhaoshang.investors.choices import TAG_FLAGS, TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import PROVINCE_CHOICES

LIST_KINDS = {
    label: value
    for value, label in TagKind.choices
    if value in (TagKind.CHINA500, TagKind.PRIVATE500, TagKind.CHAIN_LEADER, TagKind.SPECIALISED, TagKind.CENTRAL_SOE)
}


def credit_code(value) -> str:
    from zhaoshang.core.importing import CellError, cell_text

    code = cell_text(value).upper()
    problem = credit_code_error(code)
    if problem:
        raise CellError(f"统一社会信用代码{problem}")
    return code


COLUMNS = [
    Column("企业名称", "name", text(200), required=True),
    Column("榜单", "kind", choice(LIST_KINDS), required=True),
    Column("年份", "year", integer(minimum=1990), required=True),
    Column("排名", "rank", integer(minimum=1)),
    Column("统一社会信用代码", "credit_code", credit_code, help="18位，含校验位；有则按代码查重"),
    Column("总部所在省份", "hq_province", choice({label: value for value, label in PROVINCE_CHOICES})),
    Column("总部所在城市", "hq_city", text(50)),
    Column("所属行业", "industry_text", text(100)),
]
INSTRUCTIONS = [
    "每行一家企业、一个榜单。整份文件校验通过才会写入，任何一行有错都不写入，并列出出错的行和列。",
    "查重规则：统一社会信用代码相同，或去掉“有限公司”“股份有限公司”“（集团）”及括号后名称相同，视为同一企业；"
    "同一企业、同一榜单、同一年份重复导入只更新排名。",
]


def enterprise_list_template() -> bytes:
    return template_bytes(
        title="企业榜单导入模板（中国500强、民营500强等）",
        columns=COLUMNS,
        instructions=INSTRUCTIONS,
        example=["示例集团股份有限公司", "中国500强", 2024, 1, "", "北京", "北京市", "综合"],
    )


def check_file(report: ImportReport) -> None:
    """Two rows of one file naming the same enterprise, list and year are an error (which rank is right?)."""
    seen: dict[tuple, int] = {}
    for row in report.rows:
        key = (normalise_enterprise_name(row.values["name"] or ""), row.values["kind"], row.values["year"])
        if key in seen:
            report.errors.append(f"第{row.number}行 企业名称: 与第{seen[key]}行重复（同一企业、同一榜单、同一年份）")
        seen.setdefault(key, row.number)


@transaction.atomic
def import_enterprise_list(*, actor, content: bytes) -> ImportReport:
    report = parse_workbook(content, COLUMNS)
    if report.ok:
        check_file(report)
    if not report.ok:
        return report
    by_code = {e.credit_code: e for e in Enterprise.objects.exclude(credit_code="")}
    for row in report.rows:
        values = row.values
        code = values.get("credit_code") or ""
        enterprise = by_code.get(code) if code else None
        if enterprise is None:
            enterprise = Enterprise.objects.named(values["name"]).order_by("pk").first()
        if enterprise is None:
            enterprise = Enterprise(name=values["name"], credit_code=code, created_by=actor, updated_by=actor)
            report.created += 1
        else:
            report.updated += 1
        for key in ("credit_code", "hq_province", "hq_city", "industry_text"):
            if values.get(key) and not getattr(enterprise, key):
                setattr(enterprise, key, values[key])
        flag = TAG_FLAGS.get(values["kind"])
        if flag:
            setattr(enterprise, flag, True)
        enterprise.updated_by = actor
        enterprise.save()
        if code:
            by_code[code] = enterprise
        EnterpriseTag.objects.update_or_create(
            enterprise=enterprise,
            kind=values["kind"],
            year=values["year"],
            code="",
            defaults={"rank": values.get("rank"), "source": "Excel导入"},
        )
    audit_record(
        actor=actor,
        action="import",
        object_type="investors.Enterprise",
        object_repr="企业榜单导入",
        after={"rows": len(report.rows), "created": report.created, "updated": report.updated},
    )
    return report
