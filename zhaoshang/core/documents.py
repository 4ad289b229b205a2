"""Word documents in 公文 layout (GB/T 9704-2012): every .docx the platform writes starts here.

python-docx's blank document is US Letter with one-inch margins; a bureau prints on A4. ``gongwen_document()``
sets every section to A4 portrait (210 mm × 297 mm) with the standard's margins — top 37 mm, bottom 35 mm, left
28 mm, right 26 mm — and the body text to 仿宋 三号 (16 pt); the CJK font is set through ``w:eastAsia``, which is what
Word uses for Chinese text. ``document_bytes()`` re-applies the page to any section added later, so a writer
cannot end up with a Letter-sized section.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def a4_page(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)


def gongwen_document(*, body_font: str = BODY_FONT) -> Document:
    """A new document: A4, GB/T 9704 margins, body text in ``body_font`` 三号."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), body_font)
    for section in document.sections:
        a4_page(section)
    return document


def document_bytes(document) -> bytes:
    for section in document.sections:
        a4_page(section)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
