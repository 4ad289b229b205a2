from datetime import date
from io import BytesIO, StringIO

import pytest
from openpyxl import Workbook

from zhaoshang.catalog.importers import credit_blacklist_import
from zhaoshang.catalog.models import CreditBlacklistEntry
from zhaoshang.catalog.services import admission_payload
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.core.validators import credit_code_error

HEADER = ["统一社会信用代码", "市场主体名称", "列入日期", "认定部门", "失信情形", "移出日期"]
GOOD_CODE = "91530000MA6K12345R"


def with_check_char(first17: str) -> str:
    for ch in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if credit_code_error(first17 + ch) is None:
            return first17 + ch
    raise AssertionError


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_credit_code_check_character_is_verified():
    code = with_check_char("91530000MA6K12345")
    assert credit_code_error(code) is None
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert credit_code_error(wrong) == "校验位错误"
    assert credit_code_error("123") == "必须为18位"


@pytest.mark.django_db
def test_a_valid_workbook_imports_every_row_and_is_audited():
    code_a, code_b = with_check_char("91530000MA6K12345"), with_check_char("91110000100000000")
    content = xlsx(
        [
            [code_a, "某某矿业有限公司", date(2024, 3, 1), "云南省发展改革委", "拒不履行法院判决", None],
            [code_b, "某某建设有限公司", "2023-07-15", "国家税务总局", "重大税收违法", None],
        ]
    )
    result = credit_blacklist_import(content=content, actor=persona("province_admin"), filename="名单.xlsx")
    assert result.ok and (result.created, result.updated) == (2, 0)
    assert CreditBlacklistEntry.objects.get(credit_code=code_b).listed_on == date(2023, 7, 15)
    assert AuditLog.objects.filter(action="import", object_type="catalog.CreditBlacklistEntry").exists()
    again = credit_blacklist_import(content=content, actor=persona("province_admin"))
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_names_row_and_field():
    code = with_check_char("91530000MA6K12345")
    content = xlsx(
        [
            [code, "某某矿业有限公司", date(2024, 3, 1), "云南省发展改革委", "", None],
            ["91530000MA6K1234IO", "", "2024-13-01", "法院", "", None],
            [code, "重复公司", date(2024, 3, 1), "法院", "", None],
        ]
    )
    result = credit_blacklist_import(content=content, actor=persona("province_admin"))
    assert not result.ok
    assert "第3行 统一社会信用代码: 含有无效字符" in result.errors
    assert "第3行 市场主体名称: 不能为空" in result.errors
    assert "第3行 列入日期: 日期格式应为 YYYY-MM-DD" in result.errors
    assert "第4行 统一社会信用代码: 与第2行重复" in result.errors
    assert CreditBlacklistEntry.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_and_unreadable_files_are_reported():
    book = Workbook()
    book.active.append(["市场主体名称"])
    buffer = BytesIO()
    book.save(buffer)
    result = credit_blacklist_import(content=buffer.getvalue(), actor=None)
    assert result.errors[0].startswith("第1行 表头: 缺少列 统一社会信用代码")
    assert credit_blacklist_import(content=b"not excel", actor=None).errors == [
        "第1行 文件: 无法读取，请使用平台下载的 .xlsx 模板"
    ]


@pytest.mark.django_db
def test_an_investor_on_the_register_is_rejected_by_name_or_code():
    code = with_check_char("91530000MA6K12345")
    content = xlsx([[code, "某某矿业有限公司", date(2024, 3, 1), "云南省发展改革委", "", None]])
    assert credit_blacklist_import(content=content, actor=persona("province_admin")).ok
    answer = admission_payload({"id": 1, "name": "高效光伏组件", "investor_credit_code": code.lower()})
    assert answer["verdict"] == "reject" and answer["rules"] == ["credit"]
    assert "某某矿业有限公司" in answer["reasons"][0]
    assert admission_payload({"id": 2, "name": "高效光伏组件", "investor_name": "某某矿业有限公司"})["rules"] == [
        "credit"
    ]


@pytest.mark.django_db
def test_reloading_reference_data_duplicates_nothing_and_keeps_admin_edits():
    from django.core.management import call_command

    from zhaoshang.catalog.models import AdmissionRule, IndustrySubItem, LandUseThreshold

    rule = AdmissionRule.objects.get(code="eliminated_crypto_mining")
    AdmissionRule.objects.filter(pk=rule.pk).update(title="已由管理员修改")
    counts = (IndustrySubItem.objects.count(), AdmissionRule.objects.count(), LandUseThreshold.objects.count())
    call_command("load_reference_data", stdout=StringIO())
    assert counts == (IndustrySubItem.objects.count(), AdmissionRule.objects.count(), LandUseThreshold.objects.count())
    assert AdmissionRule.objects.get(pk=rule.pk).title == "已由管理员修改"
    assert counts[0] == 50
