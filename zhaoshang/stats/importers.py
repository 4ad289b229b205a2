"""Targets from Excel: the shared import engine, all or nothing, through ``target_set`` for every row."""

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.importing import (
    CellError,
    Column,
    ImportReport,
    cell_text,
    choice,
    decimal,
    integer,
    parse_workbook,
    text,
)
from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS, Unit
from zhaoshang.stats.models import Target
from zhaoshang.stats.services import target_problems, target_set


def target_columns(user) -> list[Column]:
    regions = {r.name: r for r in Region.objects.for_user(user, action=None).order_by("code")}

    def region(value):
        name = cell_text(value)
        by_code = next((r for r in regions.values() if r.code == name), None)
        if name not in regions and by_code is None:
            raise CellError("不在您的辖区内或名称有误")
        return regions.get(name) or by_code

    region.labels = list(regions)
    return [
        Column("年度", "year", integer(minimum=2000), required=True),
        Column("辖区", "region", region, required=True, help="辖区名称或6位区划代码"),
        Column("指标", "indicator", choice({i.name: i.code for i in INDICATORS.values()}), required=True),
        Column("目标值", "value", decimal(places=4, minimum=None), required=True),
        Column("单位", "unit", choice({label: value for value, label in Unit.choices}), required=True),
        Column("起始年度", "from_year", integer(minimum=2000), help="累计目标填写起始年度，年度目标留空"),
        Column("产业", "industry_code", text(40), help="分产业目标填写重点产业编码或细分领域，全部产业留空"),
        Column("依据", "source", text(300)),
    ]


def _check(values: dict) -> list[tuple[str, str]]:
    problems = target_problems(
        year=values["year"],
        from_year=values["from_year"] or values["year"],
        indicator=values["indicator"],
        value=values["value"],
        unit=values["unit"],
    )
    headers = {"year": "年度", "from_year": "起始年度", "indicator": "指标", "unit": "单位", "value": "目标值"}
    return [(headers[field], message) for field, message in problems.items()]


def targets_import(*, content: bytes, actor) -> ImportReport:
    report = parse_workbook(content, target_columns(actor), check_row=_check)
    node = user_node_path(actor)
    for row in report.rows:
        region = row.values.get("region")
        if region is not None and region.level > 1 and region.path == node:
            report.errors.append(f"第{row.number}行 辖区: 本级目标由上级下达")
        elif region is not None and node and not path_within(region.path, node):
            report.errors.append(f"第{row.number}行 辖区: 不在您的辖区内")
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                values = dict(row.values)
                values["industry_code"] = values["industry_code"] or ""
                values["source"] = values["source"] or "Excel 导入"
                existed = (
                    Target.objects.of_regions()
                    .filter(
                        region=values["region"],
                        year=values["year"],
                        from_year=values["from_year"] or values["year"],
                        indicator=values["indicator"],
                        industry_code=values["industry_code"],
                        unit=values["unit"],
                    )
                    .first()
                )
                target = target_set(actor=actor, **values)
                if existed is None:
                    report.created += 1
                elif existed.value != target.value:
                    report.updated += 1
                else:
                    report.unchanged += 1
    except ValidationError as error:
        report.errors.append(f"导入失败，未写入任何记录：{'；'.join(error.messages)}")
        report.created = report.updated = report.unchanged = 0
    return report
