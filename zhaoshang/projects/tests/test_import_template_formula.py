"""Issue 13 item 10: a name an officer typed (a park renamed to a formula) lands in the hidden options sheet of the
import template as text, never as a live formula that Excel would run when the file is opened."""

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhaoshang.core.testing import LUFENG_PARK
from zhaoshang.regions.models import Park

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.django_db
def test_a_park_named_like_a_formula_is_a_text_cell_in_the_template(as_persona):
    Park.objects.filter(code=LUFENG_PARK).update(name=HOSTILE)
    response = as_persona("lufeng_officer").get("/projects/import/template/")
    assert response.status_code == 200

    book = load_workbook(BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    hostile = [cell for cell in cells if cell.value == HOSTILE]
    assert hostile, "the park's name is offered in the drop-down, unchanged"
    assert all(cell.data_type == "s" for cell in hostile)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert all(cell.quotePrefix for cell in hostile)  # Excel shows it as typed text, as if entered with a quote

    with zipfile.ZipFile(BytesIO(response.content)) as package:
        xml = b"".join(package.read(name) for name in package.namelist() if name.startswith("xl/worksheets/"))
    assert re.search(rb"<f[ >]", xml) is None  # no formula anywhere in the file
    assert re.search(rb'<c [^>]*t="inlineStr"[^>]*><is><t>=HYPERLINK', xml)  # the name is a string cell
