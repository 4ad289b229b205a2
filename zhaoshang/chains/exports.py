"""A diagnosis written out: the Excel workbook (every table of the pages, typed cells) and the report in 公文 layout
(A4, GB/T 9704 margins, 方正小标宋 title, 黑体 headings, 仿宋 body) listing the region's strong, weak and empty links
with the reasons, as the bulletins do (``core/documents.py``)."""

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook

from zhaoshang.chains.diagnosis import EMPTY, EXTEND, FILL, POTENTIAL, STRENGTHEN, STRONG, TIER_LABELS, WEAK, NodeResult
from zhaoshang.chains.selectors import ChainDiagnosis
from zhaoshang.core import formatting
from zhaoshang.core.documents import document_bytes, gongwen_document
from zhaoshang.core.excel import book_bytes, write_table
from zhaoshang.core.formatting import to_decimal

POSITIONS = {"upstream": "上游", "midstream": "中游", "downstream": "下游", "supporting": "配套"}
LEVELS = {1: "环节", 2: "模块", 3: "产品/技术"}
NODE_HEADERS = [
    "节点",
    "层级",
    "位置",
    "价值层级",
    "关键环节",
    "等级",
    "建议",
    "本地企业数（家）",
    "基准企业数（家）",
    "区位熵",
    "HHI",
    "CR4",
    "链主（家）",
    "签约及以后项目（个）",
    "在谈线索项目（个）",
    "存量协议投资额（万元）",
    "本年签约额（万元）",
    "本年到位资金（万元）",
    "等级依据",
    "建议依据",
]
CHINESE_NUMBERS = "一二三四五六七八九十"


def node_row(r: NodeResult, depth: int = 0) -> list:
    node = r.node
    return [
        "　" * depth + node.name,
        LEVELS.get(node.level, ""),
        POSITIONS.get(node.position, ""),
        TIER_LABELS.get(node.value_tier, ""),
        "是" if node.is_key_link else "",
        r.grade_label,
        r.action_label if r.action else "",
        r.enterprises,
        r.base_enterprises,
        r.lq,
        r.hhi,
        r.cr4,
        r.leaders,
        r.projects,
        r.pipeline,
        r.stock_wan,
        r.signed_wan,
        r.funds_wan,
        r.grade_reason,
        r.action_reason,
    ]


def title_of(d: ChainDiagnosis) -> str:
    return f"{d.area.name}{d.chain.short_name}产业链诊断（{d.year}年）"


def diagnosis_workbook(d: ChainDiagnosis) -> bytes:
    result = d.result
    depth = {n.pk: getattr(n, "tree_depth", n.level - 1) for n in d.nodes}
    book = Workbook()
    book.remove(book.active)
    summary = book.create_sheet("概况")
    write_table(
        summary,
        headers=["项目", "内容"],
        rows=[
            ["地区", d.area.name],
            ["产业链", f"{d.chain.name}（第{d.chain.version}版）"],
            ["年度", d.year],
            ["本地产业链企业（家）", result.region_enterprises],
            [f"基准：{result.base_label}产业链企业（家）", result.base_enterprises],
            *[[f"阈值 {k}", to_decimal(v)] for k, v in result.thresholds.as_dict().items()],
        ],
    )
    nodes = book.create_sheet("节点诊断")
    write_table(nodes, headers=NODE_HEADERS, rows=[node_row(r, depth.get(r.node.id, 0)) for r in result.nodes])
    nodes.freeze_panes = "B2"
    gaps = book.create_sheet("补链强链延链清单")
    write_table(
        gaps,
        headers=["排序", *NODE_HEADERS],
        rows=[[i, *node_row(r)] for i, r in enumerate(result.gaps(), start=1)],
    )
    counts = book.create_sheet("等级统计")
    grade_counts = result.grade_counts()
    write_table(
        counts,
        headers=["等级", "节点数（个）"],
        rows=[
            ["优势", grade_counts[STRONG]],
            ["潜力", grade_counts[POTENTIAL]],
            ["薄弱", grade_counts[WEAK]],
            ["空白", grade_counts[EMPTY]],
        ],
    )
    return book_bytes(book)


def comparison_rows(a: ChainDiagnosis, b: ChainDiagnosis) -> list[list]:
    """One row per node: the figures of region A beside those of region B (same chain version)."""
    b_by_id = b.result.by_id()
    depth = {n.pk: getattr(n, "tree_depth", n.level - 1) for n in a.nodes}
    rows = []
    for r in a.result.nodes:
        other = b_by_id[r.node.id]
        rows.append(
            [
                "　" * depth.get(r.node.id, 0) + r.node.name,
                "是" if r.node.is_key_link else "",
                r.grade_label,
                other.grade_label,
                r.enterprises,
                other.enterprises,
                r.lq,
                other.lq,
                r.stock_wan,
                other.stock_wan,
                r.funds_wan,
                other.funds_wan,
            ]
        )
    return rows


def comparison_headers(a: ChainDiagnosis, b: ChainDiagnosis) -> list[str]:
    x, y = a.area.name, b.area.name
    return [
        "节点",
        "关键环节",
        f"{x}等级",
        f"{y}等级",
        f"{x}企业数（家）",
        f"{y}企业数（家）",
        f"{x}区位熵",
        f"{y}区位熵",
        f"{x}存量协议投资额（万元）",
        f"{y}存量协议投资额（万元）",
        f"{x}本年到位资金（万元）",
        f"{y}本年到位资金（万元）",
    ]


def comparison_workbook(a: ChainDiagnosis, b: ChainDiagnosis) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "两地对比"
    write_table(sheet, headers=comparison_headers(a, b), rows=comparison_rows(a, b))
    sheet.freeze_panes = "B2"
    return book_bytes(book)


# -- the report ----------------------------------------------------------------------------------------------------
def _font(run, size: int, name: str = "仿宋_GB2312", bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _figures(r: NodeResult) -> str:
    parts = [f"本地企业{r.enterprises}家"]
    if r.lq is not None:
        parts.append(f"区位熵{r.lq}")
    if r.hhi is not None:
        parts.append(f"集中度HHI {r.hhi}")
    if r.leaders:
        parts.append(f"链主企业{r.leaders}家")
    if r.stock_wan:
        parts.append(f"协议投资额{formatting.wan(r.stock_wan)}")
    if r.funds_wan:
        parts.append(f"本年到位资金{formatting.wan(r.funds_wan)}")
    return "，".join(parts)


def report_sections(d: ChainDiagnosis) -> list[tuple[str, list[str]]]:
    """The report's headings and paragraphs: strong links, links to strengthen, links to fill (补链), links to extend
    (延链), each naming its figures and the reason for its grade."""
    result = d.result
    leaves = [r for r in result.nodes if not r.node.has_children]
    counts = result.grade_counts()
    overview = (
        f"按平台掌握的项目、企业和资金数据，对{d.area.name}{d.chain.name}（第{d.chain.version}版，共{len(leaves)}个末级环节）"
        f"进行诊断：本地签约及以后阶段的产业链企业{result.region_enterprises}家，{result.base_label}{result.base_enterprises}家。"
        f"末级环节中优势{counts[STRONG]}个、潜力{counts[POTENTIAL]}个、薄弱{counts[WEAK]}个、空白{counts[EMPTY]}个。"
        f"区位熵按企业数计算，以{result.base_label}为基准；分级阈值见附表。"
    )
    gaps = result.gaps()

    def lines(rows: list[NodeResult], with_action: bool = False) -> list[str]:
        out = []
        for i, r in enumerate(rows, start=1):
            key = "（关键环节）" if r.node.is_key_link else ""
            tier = f"，价值层级{TIER_LABELS.get(r.node.value_tier, '')}"
            text = f"{i}. {r.node.name}{key}：{_figures(r)}{tier}。评为{r.grade_label}，依据：{r.grade_reason}。"
            if with_action:
                text += f"建议{r.action_label}：{r.action_reason}。"
            out.append(text)
        return out or ["无。"]

    strong = [r for r in leaves if r.grade == STRONG]
    return [
        ("一、总体情况", [overview]),
        ("二、优势环节", lines(strong)),
        ("三、强链：薄弱和潜力环节", lines([r for r in gaps if r.action == STRENGTHEN], True)),
        ("四、补链：空白的关键环节", lines([r for r in gaps if r.action == FILL], True)),
        ("五、延链：与优势环节相连的高价值空白环节", lines([r for r in gaps if r.action == EXTEND], True)),
    ]


def diagnosis_docx(d: ChainDiagnosis, *, issuer: str, issued_on: date) -> bytes:
    document = gongwen_document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"关于{title_of(d)}的报告"), 22, "方正小标宋简体")
    for heading, paragraphs in report_sections(d):
        _font(document.add_paragraph().add_run(heading), 16, "黑体")
        for text in paragraphs:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(paragraph.add_run(text), 16)
    for line in (issuer, f"{issued_on.year}年{issued_on.month}月{issued_on.day}日"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(paragraph.add_run(line), 16)
    document.add_page_break()
    _font(document.add_paragraph().add_run(f"附表  {title_of(d)}节点明细"), 14, "黑体")
    headers = ["节点", "等级", "建议", "本地企业（家）", "区位熵", "HHI", "协议投资额（万元）", "本年到位（万元）"]
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(header), 10, bold=True)
    depth = {n.pk: getattr(n, "tree_depth", n.level - 1) for n in d.nodes}
    for r in d.result.nodes:
        values = [
            "　" * depth.get(r.node.id, 0) + r.node.name,
            r.grade_label,
            r.action_label if r.action else "",
            r.enterprises,
            r.lq,
            r.hhi,
            r.stock_wan,
            r.funds_wan,
        ]
        cells = grid.add_row().cells
        for cell, value, header in zip(cells, values, headers, strict=True):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            if value is not None and not isinstance(value, str):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                value = formatting.figure(value) if "万元" in header else str(to_decimal(value))
            _font(paragraph.add_run("—" if value is None else str(value)), 10)
    thresholds = "；".join(f"{k} = {v}" for k, v in d.result.thresholds.as_dict().items())
    _font(document.add_paragraph().add_run(f"分级阈值：{thresholds}"), 10)
    return document_bytes(document)
