"""招大引强项目册: the approved projects of the library, as an Excel table and a Word book in 公文 layout.

The Word book follows GB/T 9704 where it matters to a reader: A4 with the standard margins, title in 宋体 bold
二号, headings in 黑体 三号, text in 仿宋 三号, page numbers "— 1 —" at the foot, no number on the title page. Chinese
fonts are set through the east-asian font attribute (``w:eastAsia``), which is what Word uses for CJK text.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from zhaoshang.core import formatting
from zhaoshang.core.documents import document_bytes, gongwen_document
from zhaoshang.core.excel import workbook_bytes
from zhaoshang.projects.models import LibraryEntry

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
ISSUER = "云南省投资促进局"
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五 (the numbering of 公文 headings)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + DIGITS[rest] if rest < 10 else chinese_number(rest))
        if 10 <= rest < 20:
            tail = "一" + tail
        return DIGITS[n // 100] + "百" + tail
    return str(n)


def yi(amount_wan) -> Decimal:
    """万元 → 亿元, two decimals."""
    return formatting.wan_to_yi(amount_wan or 0)


def _flags(project) -> str:
    names = [
        ("世界500强", project.is_global500),
        ("中国500强", project.is_china500),
        ("民营500强", project.is_private500),
        ("链主企业", project.is_chain_leader),
        ("总部项目", project.is_headquarters),
    ]
    return "、".join(name for name, on in names if on)


def _place(project) -> str:
    parts = [project.county.parent.name if project.county.parent_id else "", project.county.name]
    if project.park_id:
        parts.append(project.park.name)
    return " · ".join(part for part in parts if part)


def _steps_text(entry: LibraryEntry) -> str:
    lines = []
    for step in entry.steps.all():
        line = f"{step.on:%Y-%m-%d} {step.get_level_display()}：{step.get_action_display()}（{step.actor}）"
        if step.reason:
            line += f"，{step.reason}"
        lines.append(line)
    return "\n".join(lines)


def project_facts(entry: LibraryEntry) -> list[tuple[str, str]]:
    """The key facts of one approved project, as (label, text) rows: the Word table and the Excel columns."""
    p = entry.project
    tax = formatting.wan(p.expected_annual_tax_wan)
    return [
        ("项目名称", p.name),
        ("投资方", p.investor.name),
        ("项目所在地", _place(p)),
        ("重点产业", p.key_industry.name if p.key_industry_id else "非重点产业"),
        ("协议投资额", f"{formatting.yi(p.agreed_investment_wan)}（{formatting.wan(p.agreed_investment_wan)}）"),
        ("项目阶段", p.get_stage_display()),
        ("首次签约日期", f"{p.first_signed_on:%Y年%m月%d日}" if p.first_signed_on else "—"),
        ("资金来源", (p.source_province or "—") + (f"（{p.get_region_group_display()}）" if p.region_group else "")),
        ("企业标记", _flags(p) or "—"),
        ("用地", f"{formatting.figure(p.land_mu)}亩" if p.land_mu is not None else formatting.EMPTY),
        ("预计年税收", tax),
        ("带动就业", f"{p.jobs} 人" if p.jobs is not None else "—"),
        ("责任人", p.responsible_person or "—"),
        ("牵头单位", p.lead_department or "—"),
        ("申报年度", f"{entry.year}年"),
        ("入库日期", f"{entry.approved_on:%Y年%m月%d日}" if entry.approved_on else "—"),
        ("审核过程", _steps_text(entry) or "—"),
    ]


def _prepared(entries: Sequence[LibraryEntry]) -> list[LibraryEntry]:
    entries = list(entries)
    prefetch_related_objects(entries, "steps__actor")
    return entries


XLSX_HEADERS = [
    "序号",
    "项目名称",
    "投资方",
    "州市",
    "县市区",
    "园区",
    "重点产业",
    "协议投资额（亿元）",
    "协议投资额（万元）",
    "项目阶段",
    "首次签约日期",
    "资金来源省份",
    "来源区域",
    "企业标记",
    "用地（亩）",
    "预计年税收（万元）",
    "带动就业（人）",
    "责任人",
    "牵头单位",
    "申报年度",
    "入库日期",
]


def book_xlsx(entries: Sequence[LibraryEntry]) -> bytes:
    """One row per approved project with its key fields."""
    rows = []
    for number, entry in enumerate(_prepared(entries), start=1):
        p = entry.project
        rows.append(
            [
                number,
                p.name,
                p.investor.name,
                p.county.parent.name if p.county.parent_id else "",
                p.county.name,
                p.park.name if p.park_id else "",
                p.key_industry.name if p.key_industry_id else "非重点产业",
                yi(p.agreed_investment_wan),
                p.agreed_investment_wan,
                p.get_stage_display(),
                p.first_signed_on,
                p.source_province,
                p.get_region_group_display() if p.region_group else "",
                _flags(p),
                p.land_mu,
                p.expected_annual_tax_wan,
                p.jobs,
                p.responsible_person,
                p.lead_department,
                entry.year,
                entry.approved_on,
            ]
        )
    return workbook_bytes(title="招大引强项目册", headers=XLSX_HEADERS, rows=rows)


def _set_font(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _paragraph(container, text: str, *, font=BODY_FONT, size=16, bold=False, align=None, space_after=0):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        _set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _page_number_footer(section) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run("— "), TITLE_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _set_font(paragraph.add_run(" —"), TITLE_FONT, 14)


def _setup_document():
    """A4 with the GB/T 9704 margins (``core/documents.py``), page numbers at the foot from the second page."""
    document = gongwen_document(body_font=BODY_FONT)
    section = document.sections[0]
    section.different_first_page_header_footer = True  # no page number on the title page
    _page_number_footer(section)
    return document


def book_docx(entries: Sequence[LibraryEntry], *, year: int | None = None, user=None) -> bytes:
    """Title page, a summary, then one section per approved project with its facts in a table."""
    entries = _prepared(entries)
    document = _setup_document()
    today = timezone.localdate()
    total_wan = sum((Decimal(e.project.agreed_investment_wan or 0) for e in entries), Decimal(0))

    for _ in range(6):
        _paragraph(document, "")
    _paragraph(document, "云南省招大引强项目库", font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "项 目 册", font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        document,
        f"（{year}年度）" if year else "（全部入库项目）",
        font="楷体",
        size=16,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=160,
    )
    _paragraph(document, ISSUER, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"{today.year}年{today.month}月", size=16, align=WD_ALIGN_PARAGRAPH.CENTER)

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, "说  明", font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    summary = _paragraph(
        document,
        "根据《云南省实施招大引强专项行动若干措施》（云政办函〔2022〕97号）关于“按照县级申报、州市级审核、"
        f"省级审定的程序，纳入省级招大引强项目库”的要求，本册收录经省级审定入库的项目共 {len(entries)} 个，"
        f"协议投资额合计 {formatting.yi(total_wan)}。",
    )
    summary.paragraph_format.first_line_indent = Pt(32)
    if user is not None:
        note = _paragraph(document, f"（导出人：{user}；导出时间：{timezone.localtime():%Y年%m月%d日 %H:%M}）", size=12)
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for number, entry in enumerate(entries, start=1):
        heading = _paragraph(document, "", space_after=6)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.keep_with_next = True
        _set_font(heading.add_run(f"{chinese_number(number)}、{entry.project.name}"), HEADING_FONT, 16)
        facts = project_facts(entry)
        table = document.add_table(rows=len(facts), cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row, (label, text) in zip(table.rows, facts, strict=True):
            row.cells[0].width, row.cells[1].width = Cm(3.6), Cm(12.0)
            for cell, value, bold in ((row.cells[0], label, True), (row.cells[1], text, False)):
                paragraph = cell.paragraphs[0]
                _set_font(paragraph.add_run(value), BODY_FONT, 12, bold)
    if not entries:
        _paragraph(document, "暂无经省级审定入库的项目。")

    return document_bytes(document)
