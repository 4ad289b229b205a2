"""Issue 13 item 6: control characters are refused on input by every text field (forms and serializers alike,
zhaoshang/core/inputs.py), an address or query string carrying one is a 400 (it was a 500 on PostgreSQL), and Excel
exports strip them from rows stored before (one of them in a name made every export holding it fail)."""

from io import BytesIO
from urllib.parse import urlencode

import pytest
from django import forms
from openpyxl import Workbook, load_workbook
from rest_framework import serializers

from zhaoshang.core import excel
from zhaoshang.core.testing import LUFENG_PARK
from zhaoshang.core.validators import control_characters_error, usd_rate_error

CONTROL = ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\ufffe"]


def test_control_characters_are_named_but_tabs_and_line_ends_are_text():
    assert all(control_characters_error(f"园区{c}名称") for c in CONTROL)
    assert control_characters_error("第一行\r\n第二行\t缩进") is None
    assert control_characters_error("云南禄丰工业园区（一期）·“绿色”—硅") is None


def test_every_form_text_field_refuses_them_whenever_it_was_declared():
    class Later(forms.Form):  # a form written after start-up is covered without opting in
        name = forms.CharField()
        notes = forms.CharField(widget=forms.Textarea)
        email = forms.EmailField(required=False)

    form = Later({"name": "禄丰\x07园区", "notes": "第一行\r\n第二行"})
    assert not form.is_valid() and "控制字符" in form.errors["name"][0] and "notes" not in form.errors
    assert Later({"name": "禄丰园区", "notes": "第一行\r\n第二行"}).is_valid()


def test_every_serializer_text_field_refuses_them():
    class Later(serializers.Serializer):
        name = serializers.CharField()
        code = serializers.SlugField(required=False)

    payload = Later(data={"name": "禄丰\x1b园区"})
    assert not payload.is_valid() and "控制字符" in str(payload.errors["name"][0])
    assert Later(data={"name": "第一行\n第二行"}).is_valid()


@pytest.mark.django_db
def test_a_park_renamed_with_a_control_character_is_refused_on_the_page_and_in_the_api(as_persona):
    from zhaoshang.regions.models import Park

    park = Park.objects.get(code=LUFENG_PARK)
    client = as_persona("province_admin")
    page = client.get(f"/parks/{park.pk}/edit/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data |= {"name": "云南禄丰\x0b工业园区", "region": park.region_id}
    response = client.post(f"/parks/{park.pk}/edit/", data)
    assert response.status_code == 200 and "控制字符" in str(response.context["form"].errors["name"])
    assert Park.objects.get(pk=park.pk).name == "云南禄丰工业园区"
    as_sent = urlencode(data | {"region": "\x00"})  # as a browser posts a form (the test client sends multipart)
    response = client.post(f"/parks/{park.pk}/edit/", as_sent, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400

    api = as_persona("lufeng_officer")
    bad = {"name": "禄丰\x1b项目", "investor_name": "某公司\x01", "county": "532302"}
    response = api.post("/api/v1/projects/", bad, content_type="application/json")
    assert response.status_code == 400 and {"name", "investor_name"} <= set(response.json())
    # A NUL anywhere in a body is refused before any view: a code looked up with it failed on PostgreSQL.
    for field in ("name", "county", "park", "key_industry"):
        nul = {"name": "禄丰项目", "investor_name": "某公司", "county": "532302"} | {field: "5323\x0002"}
        response = api.post("/api/v1/projects/", nul, content_type="application/json")
        assert response.status_code == 400 and "控制字符" in response.json()["detail"], field
    # In a multipart body (left to the upload handlers) a code with a NUL is an unknown code: a field error.
    multipart = api.post("/api/v1/projects/", {"name": "禄丰项目", "investor_name": "某公司", "county": "5323\x0002"})
    assert multipart.status_code == 400 and "county" in multipart.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/projects/?q=%00",
        "/projects/?sort=name%00",
        "/parks/?q=%1b",
        "/enterprises/?q=a%00b",
        "/geo/%00.json",
        "/dashboard/?region=%00",
        "/api/v1/projects/?search=%00",
        "/api/v1/projects/?ordering=%00name",
        "/api/v1/parks/?search=%07",
        "/api/v1/regions/?%00=1",
    ],
)
def test_an_address_or_query_with_a_control_character_is_a_400_on_pages_and_api(as_persona, url):
    response = as_persona("lufeng_officer").get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "控制字符" in response.json()["detail"]
    else:
        assert "控制字符" in response.content.decode() and "Content-Security-Policy" in response.headers


def test_exports_strip_them_and_still_guard_formulas():
    assert excel.safe_cell("禄丰\x00工业\x07园区\x0b") == "禄丰工业园区"
    assert excel.safe_cell("=\x01HYPERLINK()") == "'=HYPERLINK()"
    assert excel.safe_cell("第一行\n第二行") == "第一行\n第二行"
    book = load_workbook(BytesIO(excel.workbook_bytes(title="园区", headers=["名称"], rows=[["园区\x1b一"]])))
    assert book.active["A2"].value == "园区一"


def test_a_text_cell_keeps_a_formula_like_name_as_text():
    sheet = Workbook().active
    cell = excel.text_cell(sheet, row=1, column=1, value='=HYPERLINK("http://x","y")\x00')
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x","y")', "s", True)
    plain = excel.text_cell(sheet, row=2, column=1, value="禄丰市")
    assert (plain.data_type, plain.quotePrefix) == ("s", False)


def test_the_exchange_rate_range():
    from decimal import Decimal as D

    assert [usd_rate_error(D(v)) is None for v in ("-7.1", "0", "4.99", "5", "7.1", "10", "710")] == [
        False,
        False,
        False,
        True,
        True,
        True,
        False,
    ]
    assert usd_rate_error(None) is None
