from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook, load_workbook

from zhaoshang.core.importing import (
    Column,
    choice,
    date_value,
    decimal,
    integer,
    parse_workbook,
    template_bytes,
    text,
    yes_no,
)

COLUMNS = [
    Column("项目名称", "name", text(10), required=True),
    Column("协议投资额", "amount", decimal(), required=True, help="万元"),
    Column("阶段", "stage", choice({"线索": "lead", "签约": "signed"}), required=True),
    Column("签约日期", "signed_on", date_value),
    Column("就业人数", "jobs", integer()),
    Column("世界500强", "top500", yes_no),
]


def workbook(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(header or [c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_row(i=1):
    return [f"项目{i}", 1234.56, "签约", "2024-03-01", 120, "是"]


def test_every_row_is_validated_and_errors_name_row_and_column():
    rows = [good_row(i) for i in range(55)] + [["项目X", "一千万", "签约", "2024-13-01", -1, "也许"]]
    report = parse_workbook(workbook(rows), COLUMNS)
    assert not report.ok
    assert report.errors == [
        "第57行 协议投资额: 必须为数字",
        "第57行 签约日期: 日期格式应为 YYYY-MM-DD",
        "第57行 就业人数: 不能小于0",
        "第57行 世界500强: 请填写“是”或“否”",
    ]


def test_values_are_exact_and_typed():
    report = parse_workbook(workbook([good_row(), ["项目2", "0.1", "线索", None, None, None]]), COLUMNS)
    assert report.ok
    first, second = (r.values for r in report.rows)
    assert first["amount"] == Decimal("1234.56") and first["stage"] == "signed" and first["top500"] is True
    assert second["amount"] == Decimal("0.10") and second["signed_on"] is None and second["top500"] is False


def test_required_cells_choices_lengths_and_headers_are_checked():
    report = parse_workbook(workbook([["名字太长了超过十个字的项目", None, "在谈", None, None, None]]), COLUMNS)
    assert report.errors == [
        "第2行 项目名称: 不能超过10字",
        "第2行 协议投资额: 不能为空",
        "第2行 阶段: 请从下拉列表中选择",
    ]
    missing = parse_workbook(workbook([], header=["项目名称"]), COLUMNS)
    assert missing.errors == ["第1行 表头: 缺少列 协议投资额、阶段"]
    assert parse_workbook(b"garbage", COLUMNS).errors[0].startswith("第1行 文件: 无法读取")
    assert parse_workbook(workbook([]), COLUMNS).errors == ["第2行 数据: 没有可导入的行"]


def test_cross_column_checks_are_reported_per_row():
    def check(values):
        return (
            [("签约日期", "签约阶段须填写签约日期")] if values["stage"] == "signed" and not values["signed_on"] else []
        )

    report = parse_workbook(workbook([["项目1", 1, "签约", None, None, None]]), COLUMNS, check_row=check)
    assert report.errors == ["第2行 签约日期: 签约阶段须填写签约日期"]


def test_the_template_has_drop_downs_an_instructions_sheet_and_reads_back():
    content = template_bytes(title="项目导入模板", columns=COLUMNS, instructions=["金额单位：万元"], example=good_row())
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["数据", "选项", "填写说明"]
    assert book["选项"].sheet_state == "hidden"
    data = book["数据"]
    assert [c.value for c in data[1]][:3] == ["项目名称 *", "协议投资额 *", "阶段 *"]
    validations = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert validations["C2:C10001"] == "=选项!$A$1:$A$2"
    assert validations["F2:F10001"] == "=选项!$B$1:$B$2"
    guide = [row for row in book["填写说明"].iter_rows(values_only=True)]
    assert ("阶段", "是", "从下拉列表选择：线索、签约") in guide
    report = parse_workbook(content, COLUMNS)
    assert report.ok and report.rows[0].values["name"] == "项目1"
