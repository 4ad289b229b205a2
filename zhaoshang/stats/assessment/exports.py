"""The assessment's files: an .xlsx with typed cells (scores and one sheet of the breakdown) and a .docx summary in
公文 layout (``core/documents.py``, as the bulletins)."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook

from zhaoshang.core import excel, formatting
from zhaoshang.core.documents import document_bytes, gongwen_document
from zhaoshang.stats.assessment.selectors import Assessment
from zhaoshang.stats.bulletins import _font

SCORE_HEADERS = ["名次", "地区", "区划代码", "得分", "上年同期得分", "同比增减"]
ITEM_HEADERS = [
    "地区",
    "考核项",
    "类别",
    "计分方法",
    "权重",
    "单位",
    "完成值",
    "序时目标",
    "完成率（%）",
    "排名",
    "得分",
    "说明",
]
KIND_LABELS = {"base": "基本指标", "bonus": "加分项", "penalty": "扣分项"}
METHOD_LABELS = {"completion": "目标完成率", "rank": "排名", "threshold": "阈值", "per_unit": "按个数计分"}


def state_label(result: Assessment) -> str:
    if result.state == "published":
        return f"已发布（方案第{result.scheme_version}版）"
    return f"预览，未发布（方案第{result.scheme_version}版）" if result.scheme_version else "本年度考核方案尚未发布"


def title_of(result: Assessment) -> str:
    return f"{result.node.name}{result.year}年第{result.quarter}季度招商引资考核评价结果"


def _score(value):
    return excel.Typed(value, "0.00")


def _figure(value, unit: str):
    if value is None:
        return None
    if unit in {"万元", "亿元"}:
        return excel.money(value)
    if unit == "%":
        return excel.percent(value)
    return excel.count(value)


def score_rows(result: Assessment) -> list[list]:
    return [
        [row.rank, row.name, row.code, _score(row.score), _score(row.last_year), _score(row.change)]
        for row in result.rows
    ]


def item_rows(result: Assessment) -> list[list]:
    rows = []
    for row in result.rows:
        for item in row.items:
            rows.append(
                [
                    row.name,
                    item.name,
                    KIND_LABELS.get(item.kind, item.kind),
                    METHOD_LABELS.get(item.method, item.method),
                    _score(item.weight),
                    item.unit,
                    _figure(item.raw, item.unit),
                    _figure(item.target, item.unit),
                    excel.percent(item.completion_pct),
                    item.rank,
                    _score(item.points),
                    item.note,
                ]
            )
    return rows


def assessment_xlsx(result: Assessment) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in (
        ("得分", SCORE_HEADERS, score_rows(result)),
        ("分项", ITEM_HEADERS, item_rows(result)),
    ):
        sheet = book.create_sheet(title)
        excel.write_table(sheet, headers=headers, rows=rows)
        sheet.freeze_panes = "A2"
    return excel.book_bytes(book)


def assessment_docx(result: Assessment) -> bytes:
    """Title, a paragraph on the scheme and the state, the ranking in words, then the score table."""
    document = gongwen_document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(title_of(result)), 22, "方正小标宋简体")
    lead = (
        f"按照《{result.scheme_title}》（第{result.scheme_version}版），对{result.node.name}所属"
        f"{len(result.rows)}个地区{result.year}年1—{result.quarter * 3}月招商引资工作进行考核评价，"
        f"结果为{state_label(result)}。"
    )
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _font(paragraph.add_run(lead), 16)
    if result.rows:
        leaders = "、".join(f"{row.name}（{formatting.figure(row.score)}分）" for row in result.rows[:3])
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(f"综合得分居前的是：{leaders}。"), 16)
    _font(document.add_paragraph().add_run("附表  考核得分"), 14, "黑体")
    grid = document.add_table(rows=1, cols=3 + len(result.items))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, ["名次", "地区", "得分", *result.items], strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(header), 10, bold=True)
    for row in result.rows:
        values = [str(row.rank), row.name, formatting.figure(row.score)]
        values += [formatting.figure(item.points) for item in row.items]
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(value), 10)
    return document_bytes(document)
