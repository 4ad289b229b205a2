"""Bulletins (通报): monthly or quarterly, for the province (ranking prefectures) or a prefecture (ranking its
counties), on 项目签约, 招大引强 and 资金到位 — and 外出招商 once activities are recorded. Written as .docx in
公文 layout (A4 with the GB/T 9704 margins, 发文字号, title, body paragraphs with the figures as sentences, issuing
body and date, appended tables) and as .xlsx with the same tables. The figures come from the same functions as the
cockpit and ``progress_report``; table cells hold numbers (亿元 to the cent, percentages as printed), which the
.xlsx keeps typed and the .docx writes through ``core/formatting.py``."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from zhaoshang.core import formatting
from zhaoshang.core.documents import document_bytes, gongwen_document
from zhaoshang.core.excel import book_bytes, safe_cell, write_table
from zhaoshang.investors.counting import activity_counts, summary_lines
from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, area_word, progress_report
from zhaoshang.stats.rankings import ranking

SECTIONS = [
    ("项目签约", ["signed_projects", "agreed_investment", "projects_100m"]),
    ("招大引强", ["projects_1b", "projects_500"]),
    ("资金到位", ["funds_outside_province", "funds_outside_prefecture", "funds_industrial"]),
]
CHINESE_NUMBERS = "一二三四五六七八九十"
ISSUER = {1: "云南省投资促进局"}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Bulletin:
    title: str
    issuer: str
    issued_on: date
    number: str = ""  # 发文字号, e.g. 云投促通〔2026〕12号, entered by the user
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (heading, text); heading "" = plain
    tables: list[Table] = field(default_factory=list)


def period_label(period: Period) -> str:
    return formatting.period_label(period.year, period.month)


def issuer_for(node: Region) -> str:
    return ISSUER.get(node.level) or f"{node.name}投资促进局"


def _ranking_sentence(rows, spec) -> str:
    red = [r.region.short_name for r in rows if r.listed == "red"]
    black = [r.region.short_name for r in rows if r.listed == "black"]
    top = "、".join(r.region.short_name for r in rows[:3])
    parts = [f"{spec.name}排名前三的是{top}"]
    if red:
        parts.append(f"超序时进度的有{'、'.join(red)}（{len(red)}个）")
    if black:
        parts.append(f"滞后序时进度的有{'、'.join(black)}（{len(black)}个）")
    return "；".join(parts) + "。"


def _activities_text(bulletin: Bulletin, node: Region, period: Period, child_word: str) -> str:
    """外出招商 and 会见客商 as the 楚雄 reply counts them, for the node and, in a table, for each child."""
    counts = activity_counts(region=node, start=period.start, end=period.end)
    lines = summary_lines(counts)
    text = f"{period_label(period)}，{area_word(node)}" + "；".join(lines) + "。"
    children = list(Region.objects.filter(parent=node).order_by("code")) if node.level < 3 else []
    if children:
        rows = []
        for child in children:
            c = activity_counts(region=child, start=period.start, end=period.end)
            rows.append(
                [
                    child.name,
                    c["trips"]["total"],
                    c["meetings"]["total"],
                    c["events"]["total"],
                    c["enterprises_met"],
                    c["leads_created"],
                    c["projects_signed"],
                ]
            )
        rows.sort(key=lambda r: (-r[1] - r[2], r[0]))
        bulletin.tables.append(
            Table(
                title=f"{child_word.removeprefix('各')}外出招商和会见客商情况（{period_label(period)}）",
                headers=[
                    "地区",
                    "外出招商（次）",
                    "会见客商（次）",
                    "推介活动（场）",
                    "接触企业（家）",
                    "产生线索（条）",
                    "关联签约（个）",
                ],
                rows=rows,
            )
        )
    return text


def _amount(value, spec):
    """A ranking table's figure: money in 亿元 to the cent, a count as a whole number (None stays empty)."""
    if value is None:
        return None
    return formatting.wan_to_yi(value) if spec.kind == "money" else int(value)


def bulletin_build(
    *, node: Region, period: Period, issued_on: date, number: str = "", progress_callback=None
) -> Bulletin:
    """Everything the bulletin says, computed once; ``progress_callback(done, total)`` reports each step."""
    kind = "季度" if period.month % 3 == 0 else "月度"
    area = area_word(node)
    bulletin = Bulletin(
        title=f"关于{period_label(period)}{area}招商引资工作情况的通报（{kind}）",
        issuer=issuer_for(node),
        issued_on=issued_on,
        number=number,
    )
    child_word = "各州（市）" if node.level == 1 else "各县（市、区）"
    bulletin.paragraphs.append(
        ("", f"{child_word}投资促进部门：现将{period_label(period)}{area}招商引资主要指标完成情况通报如下。")
    )
    steps = sum(len(indicators) for _, indicators in SECTIONS) + 1
    done = 1
    bulletin.paragraphs.append(("一、外出招商", _activities_text(bulletin, node, period, child_word)))
    if progress_callback:
        progress_callback(done, steps)
    for number, (heading, indicators) in enumerate(SECTIONS, start=1):
        texts = []
        for code in indicators:
            spec = INDICATORS[code]
            report = progress_report(code, node, period)
            texts.append(report["sentence"])
            if report["shared"]:  # the figure credits shares of a transferred project (利益共享)
                texts.append("（含流转分成）")
            rows = ranking(code, node, period) if node.level < 3 else []
            if rows:
                texts.append(_ranking_sentence(rows, spec))
                unit = "亿元" if spec.kind == "money" else "个"
                bulletin.tables.append(
                    Table(
                        title=f"{spec.name}完成情况排名（{period_label(period)}）",
                        headers=[
                            "排名",
                            "地区",
                            f"完成（{unit}）",
                            f"上年同期（{unit}）",
                            "增长（%）",
                            "完成全年目标进度（%）",
                            "超/滞后序时进度（百分点）",
                        ],
                        rows=[
                            [
                                r.rank,
                                r.region.name + ("（含流转分成）" if r.shared else ""),
                                _amount(r.progress.actual, spec),
                                _amount(r.progress.actual_last_year, spec),
                                r.progress.growth_printed,
                                r.progress.completion_printed,
                                r.progress.ahead_points,
                            ]
                            for r in rows
                        ],
                    )
                )
            done += 1
            if progress_callback:
                progress_callback(done, steps)
        bulletin.paragraphs.append((f"{CHINESE_NUMBERS[number]}、{heading}", "".join(texts)))
    bulletin.paragraphs.append(
        ("", "请各地对照年度目标任务，对滞后序时进度的指标认真分析原因，细化措施，确保完成全年目标任务。")
    )
    return bulletin


def _font(run, size: int, name: str = "仿宋_GB2312", bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """公文 layout on A4 (``core/documents.py``): 发文字号 centred above the title, 方正小标宋 title (二号), 仿宋 body
    (三号), headings in 黑体, issuer and date at the end, tables appended after the body."""
    document = gongwen_document()
    if bulletin.number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(number.add_run(bulletin.number), 16)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(bulletin.title), 22, "方正小标宋简体")
    for heading, text in bulletin.paragraphs:
        if heading:
            _font(document.add_paragraph().add_run(heading), 16, "黑体")
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _font(paragraph.add_run(text), 16)
    for line in (bulletin.issuer, f"{bulletin.issued_on.year}年{bulletin.issued_on.month}月{bulletin.issued_on.day}日"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run(line), 16)
    for number, table in enumerate(bulletin.tables, start=1):
        if number == 1:
            document.add_page_break()
        _font(document.add_paragraph().add_run(f"附表{number}  {table.title}"), 14, "黑体")
        grid = document.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(header), 10, bold=True)
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value, header in zip(cells, row, table.headers, strict=True):
                cell.text = ""
                paragraph = cell.paragraphs[0]
                if isinstance(value, (int, Decimal)):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _font(paragraph.add_run(formatting.cell_text(value, header)), 10)
    return document_bytes(document)


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    """The text on the first sheet, each table on its own sheet with typed cells (``core/excel.py``)."""
    book = Workbook()
    summary = book.active
    summary.title = "通报"
    summary.append([safe_cell(bulletin.title)])
    summary["A1"].font = Font(bold=True, size=14)
    if bulletin.number:
        summary.append([safe_cell(bulletin.number)])
    for heading, text in bulletin.paragraphs:
        summary.append([safe_cell(heading), safe_cell(text)])
    summary.column_dimensions["B"].width = 120
    for number, table in enumerate(bulletin.tables, start=1):
        sheet = book.create_sheet(f"附表{number}")
        sheet.append([safe_cell(table.title)])
        sheet["A1"].font = Font(bold=True)
        write_table(sheet, headers=table.headers, rows=table.rows)
    return book_bytes(book)
