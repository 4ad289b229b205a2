"""The 台账 import (issue 18): each realistic spreadsheet of ``taizhang_files`` with its expected result, the
commit (all or nothing, one audited change, nothing added on re-import), the funds history and its conflicts, the
remembered mapping, and the command."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.projects.models import FundingEntry, Project, TaizhangMapping
from zhaoshang.projects.taizhang import words
from zhaoshang.projects.taizhang.commit import TaizhangImportError, taizhang_commit, taizhang_mapping_save
from zhaoshang.projects.taizhang.preview import taizhang_preview
from zhaoshang.projects.taizhang.reading import read_taizhang
from zhaoshang.projects.taizhang.values import parse_amount, parse_date, parse_stage
from zhaoshang.projects.tests import taizhang_files as files
from zhaoshang.regions.models import Region

D = Decimal
pytestmark = pytest.mark.django_db


def preview_of(content, user="lufeng_officer", **kwargs):
    return taizhang_preview(actor=persona(user), content=content, **kwargs)


def by_name(preview):
    return {r.name: r for r in preview.project_rows}


def test_merged_two_row_header_in_yi_yuan_reads_with_title_total_and_note_skipped():
    preview = preview_of(files.lufeng_merged())
    sheet = preview.sheets[0]
    assert sheet.header_rows == [2, 3]
    assert sheet.skipped == [(1, "标题行"), (7, "合计行"), (8, "说明行")]
    fields = {c.header: (c.field, c.unit, c.month) for c in sheet.columns}
    assert fields["协议投资额（亿元）"] == ("amount", "亿元", "")
    assert fields["到位资金（亿元）|2024年3月累计"] == ("funds_cumulative", "亿元", "2024-03")
    assert fields["到位资金（亿元）|2024年6月累计"] == ("funds_cumulative", "亿元", "2024-06")
    assert fields["序号"][0] == "ignore"
    rows = by_name(preview)
    assert rows["禄丰钛白粉深加工项目"].amount_wan == D("52000.00")
    assert rows["禄丰光伏组件项目"].amount_wan == D("120000.00")  # "12亿" written in the cell
    assert rows["禄丰钛白粉深加工项目"].county.code == "532302"  # the officer's own county: no county column
    assert rows["禄丰钛白粉深加工项目"].description == "备注：重点跟踪"
    assert preview.messages() == ["第6行 签约时间: 阶段为“签约”须填写签约日期"]
    assert rows["禄丰光伏组件项目"].signed_on == date(2024, 2, 1)  # "2024.2": a month alone
    totals = {t.header: t for t in preview.totals}
    assert totals["协议投资额（亿元）"].before == {"亿元": D("20.2")}
    assert totals["协议投资额（亿元）"].after_wan == D("202000.00")
    assert not preview.ok


def test_fixed_file_commits_projects_in_wan_with_funds_history_and_a_second_import_adds_nothing():
    officer = persona("lufeng_officer")
    audits = AuditLog.objects.count()
    summary = taizhang_commit(actor=officer, content=files.lufeng_merged(fixed=True), source_name="台账.xlsx")
    assert len(summary["created"]) == 3 and summary["funding_entries"] == 5
    project = Project.objects.get(name="禄丰钛白粉深加工项目")
    assert project.agreed_investment_wan == D("52000.00") and project.first_signed_on == date(2024, 1, 15)
    months = list(project.funding_entries.order_by("month").values_list("month", "amount_wan"))
    assert months == [(date(2024, 3, 1), D("5000.00")), (date(2024, 6, 1), D("7500.00"))]  # 0.5亿, then 1.25 − 0.5
    dinosaur = Project.objects.get(name="禄丰恐龙谷文旅康养项目")
    assert list(dinosaur.funding_entries.values_list("month", "amount_wan")) == [(date(2024, 6, 1), D("8000.00"))]
    imports = AuditLog.objects.filter(action="import").order_by("-id")
    assert imports[0].after["funding_entries"] == 5 and imports[0].after["source"] == "台账导入"
    assert AuditLog.objects.count() - audits == 1  # one change: projects and funds in one audit row
    again = taizhang_commit(actor=officer, content=files.lufeng_merged(fixed=True), source_name="台账.xlsx")
    assert again["created"] == [] and again["existing"] == 3 and again["funding_entries"] == 0
    assert Project.objects.filter(name__startswith="禄丰").count() == 3 and FundingEntry.objects.count() == 5
    preview = preview_of(files.lufeng_merged(fixed=True))
    assert {r.outcome for r in preview.rows} == {"已有项目：无变化（已导入过）"}


def test_funds_that_disagree_with_the_ledger_are_problems_and_nothing_is_written():
    officer = persona("lufeng_officer")
    taizhang_commit(actor=officer, content=files.lufeng_merged(fixed=True), source_name="台账.xlsx")
    entries = FundingEntry.objects.count()
    with pytest.raises(TaizhangImportError) as refused:
        taizhang_commit(actor=officer, content=files.lufeng_changed_funds(), source_name="台账2.xlsx")
    assert refused.value.messages == [
        "第4行 到位资金（亿元）|2024年3月累计: 平台台账截至2024年03月累计到位5,000.00万元，与文件的6,000.00万元不一致；"
        "请核对，需更正的请在平台录入冲销分录",
        "第5行 到位资金（亿元）|2024年6月累计: 平台台账截至2024年06月累计到位35,000.00万元，"
        "与文件的40,000.00万元不一致；"
        "请核对，需更正的请在平台录入冲销分录",
    ]
    assert FundingEntry.objects.count() == entries


def test_wan_column_text_amounts_chinese_dates_and_short_former_county_names():
    preview = preview_of(files.wan_single_header())
    rows = by_name(preview)
    assert preview.messages() == []
    assert rows["禄丰磷化工新材料项目"].amount_wan == D("3000.00")
    assert rows["禄丰磷化工新材料项目"].signed_on == date(2023, 5, 1)  # a month alone: its first day, said so
    assert "签约日期只写到月份，按2023-05-01记" in preview.rows[0].notes
    assert rows["禄丰肉牛养殖项目"].signed_on == date(2023, 6, 18)
    assert rows["禄丰冷链物流园项目"].amount_wan == D("12000.00") and rows["禄丰冷链物流园项目"].county.code == "532302"
    assert rows["禄丰磷化工新材料项目"].park.name == "云南禄丰工业园区"
    assert rows["禄丰数据中心项目"].stage == "negotiating" and rows["禄丰磷化工新材料项目"].external_code == "LF-01"
    assert rows["禄丰肉牛养殖项目"].responsible_person == "李丽"
    margin = preview.sheets[0].columns[9:]
    assert margin and all(c.field == "ignore" and c.header == "" for c in margin)  # the margin note: not read
    assert "旁注" not in rows["禄丰肉牛养殖项目"].description


def test_yuan_amounts_convert_exactly_or_are_refused():
    preview = preview_of(files.yuan_amounts())
    assert by_name(preview)["禄丰农产品加工项目"].amount_wan == D("5200.00")
    assert preview.messages() == [
        "第3行 总投资(元): 1234567元折合123.4567万元，超过两位小数（最小为0.01万元即100元），请核实"
    ]


def test_units_written_in_cells_win():
    preview = preview_of(files.units_in_cells())
    column = preview.sheets[0].columns[2]
    assert column.field == "amount" and not column.unit_from_header
    rows = by_name(preview)
    assert rows["禄丰硅材料项目"].amount_wan == D("52000.00") and rows["禄丰铝箔项目"].amount_wan == D("8000.00")
    total = preview.totals[0]
    assert total.before == {"亿元": D("5.2"), "万元": D("8000.00")} and total.after_wan == D("60000.00")


def test_gb18030_csv_reads_with_its_total_row_skipped_and_industry_through_the_classifier():
    preview = preview_of(files.gb18030_csv())
    assert preview.kind == "csv" and preview.sheets[0].skipped == [(4, "合计行")]
    rows = by_name(preview)
    assert rows["禄丰生物医药产业园项目"].key_industry.name == "生物医药"
    assert rows["禄丰生物医药产业园项目"].signed_on == date(2024, 4, 2)
    assert rows["禄丰光伏玻璃项目"].amount_wan == D("60000.00")
    assert any(n.startswith("产业“光伏玻璃”按分类器归入") for n in preview.rows[1].notes)
    assert preview.messages() == []


def test_utf8_csv_with_two_header_rows_gives_monthly_entries():
    preview = preview_of(files.monthly_csv())
    sheet = preview.sheets[0]
    assert sheet.header_rows == [1, 2]
    months = [c.month for c in sheet.columns if c.field == "funds_monthly"]
    assert months == ["2024-01", "2024-02", "2024-03"]
    assert [(e.month, e.amount) for e in preview.entries] == [
        (date(2024, 1, 1), D("1000.00")),
        (date(2024, 3, 1), D("2500.50")),
    ]
    summary = taizhang_commit(actor=persona("lufeng_officer"), content=files.monthly_csv(), source_name="a.csv")
    assert summary["funding_entries"] == 2


def test_xls_with_merged_header_and_subtotal():
    preview = preview_of(files.xls_merged())
    assert preview.kind == "xls"
    sheet = preview.sheets[0]
    assert sheet.header_rows == [2, 3] and sheet.skipped == [(1, "标题行"), (5, "合计行")]
    row = preview.project_rows[0]
    assert row.amount_wan == D("155000.00") and row.signed_on == date(2024, 2, 1)
    assert [(e.month, e.amount) for e in preview.entries] == [(date(2024, 5, 1), D("12000.00"))]
    assert preview.messages() == []


def test_each_sheet_is_read_separately_and_a_sheet_without_header_is_named():
    preview = preview_of(files.multi_sheet())
    assert [s.sheet for s in preview.sheets] == ["2023年", "2024年"]
    assert preview.unread == [("填表说明", "未找到表头（前30行中没有项目名称、投资方、投资额等列名）")]
    assert len(preview.project_rows) == 2
    only = preview_of(files.multi_sheet(), sheet="2024年")
    assert [r.name for r in only.project_rows] == ["禄丰花卉基地项目"]


def test_prefecture_file_resolves_former_and_prefixed_county_names_and_names_the_out_of_scope_row():
    preview = preview_of(files.prefecture_places(), user="chuxiong_officer")
    rows = by_name(preview)
    assert rows["禄丰钢结构建材项目"].county.code == "532302"  # 禄丰县, the former name
    assert rows["南华野生菌加工项目"].county.name == "南华县"
    assert preview.messages() == ["第4行 县（市、区）: 不在您的辖区内，不能导入"]


def test_stage_words_map_through_the_table_and_unknown_or_terminated_stages_are_problems():
    preview = preview_of(files.stage_words())
    rows = by_name(preview)
    assert rows["禄丰化肥项目"].stage == "in_production" and rows["禄丰化肥项目"].stage_on == date(2024, 1, 20)
    assert rows["禄丰物流仓储项目"].stage == "negotiating" and rows["禄丰康养小镇项目"].stage == "lead"
    assert preview.messages() == [
        "第5行 项目进度: 只能导入线索、在谈、签约、注册、开工、投产阶段的项目",
        "第6行 项目进度: 无法识别的项目进度“推进顺利”，请写作已签约、洽谈中、已开工、已投产等",
    ]


def test_a_confirmed_mapping_is_proposed_next_time_for_the_same_headers():
    officer = persona("lufeng_officer")
    book = read_taizhang(files.lufeng_merged())
    labels = book.tables[0].labels
    columns = [c.as_dict() for c in preview_of(files.lufeng_merged()).sheets[0].columns]
    columns[8]["field"] = "ignore"  # the officer drops 备注
    taizhang_mapping_save(actor=officer, labels=labels, columns=columns)
    again = preview_of(files.lufeng_merged(fixed=True))
    assert again.sheets[0].source == "已记住的映射" and again.sheets[0].columns[8].field == "ignore"
    assert by_name(again)["禄丰钛白粉深加工项目"].description == ""
    other = taizhang_preview(actor=persona("kunming_officer"), content=files.lufeng_merged())
    assert other.sheets[0].source == "系统建议"  # remembered for the bureau's node, not for everyone
    assert TaizhangMapping.objects.count() == 1


def test_value_parsers():
    assert parse_date("2023年5月6日") == (date(2023, 5, 6), False)
    assert parse_date("20230506") == (date(2023, 5, 6), False)
    assert parse_date(2023.5) == (date(2023, 5, 1), True)
    assert parse_date(45292) == (date(2024, 1, 1), False)  # an Excel serial in a plain number cell
    assert parse_amount("5.2亿", "万元") == (D("52000.00"), "亿元")
    assert parse_amount(1.1, "亿元") == (D("11000.00"), "亿元")  # never 11000.000000000002
    assert parse_amount("1,500", "万元") == (D("1500.00"), "万元")
    assert parse_stage("已开工建设") == "under_construction"


def test_former_county_names_point_at_current_codes():
    codes = set(Region.objects.counties().values_list("code", flat=True))
    assert set(words.former_county_names().values()) <= codes


def test_command_dry_run_prints_json_and_commit_writes(tmp_path):
    from io import StringIO

    path = tmp_path / "台账.xlsx"
    path.write_bytes(files.lufeng_merged())
    out = StringIO()
    call_command("import_taizhang", str(path), "--as", "lufeng_officer", "--dry-run", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["sheets"][0]["header_rows"] == [2, 3]
    assert {"row": 7, "reason": "合计行"} in data["sheets"][0]["skipped"]
    assert data["problems"] == ["第6行 签约时间: 阶段为“签约”须填写签约日期"]
    assert data["totals"][0]["after_wan"] == "202000.00"
    with pytest.raises(CommandError):
        call_command("import_taizhang", str(path), "--as", "lufeng_officer")
    assert Project.objects.filter(name__startswith="禄丰钛白粉").count() == 0
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    path.write_bytes(files.lufeng_merged(fixed=True))
    out = StringIO()
    call_command(
        "import_taizhang",
        str(path),
        "--as",
        "lufeng_officer",
        "--mapping",
        str(mapping),
        "--format",
        "json",
        stdout=out,
    )
    out = json.loads(out.getvalue())
    assert out["committed"] is True and out["created"] == 3 and out["funding_entries"] == 5


def _existing_titanium(officer):
    """A project already on the platform under a shorter name: 甄别 finds the file's row a possible duplicate."""
    content = files.xlsx(
        {
            "台账": [
                ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "项目进度"],
                ["禄丰钛白粉项目", "云南钛业新材料有限公司", 52000, "2024-01-15", "已签约"],
            ]
        }
    )
    taizhang_commit(actor=officer, content=content, source_name="old.xlsx")
    return Project.objects.get(name="禄丰钛白粉项目")


def test_a_possible_duplicate_is_shown_to_confirm_and_once_confirmed_takes_the_funds_without_a_new_project():
    officer = persona("lufeng_officer")
    existing = _existing_titanium(officer)
    preview = preview_of(files.lufeng_merged(fixed=True))
    row = next(r for r in preview.rows if r.name == "禄丰钛白粉深加工项目")
    assert row.outcome == "疑似重复（待确认）" and row.candidate == existing.pk
    assert any("疑似重复" in m and m.startswith("第4行 项目名称") for m in preview.messages())
    confirmed = preview_of(files.lufeng_merged(fixed=True), confirmed={"4": existing.pk})
    assert confirmed.messages() == []
    row = next(r for r in confirmed.rows if r.name == "禄丰钛白粉深加工项目")
    assert row.outcome == "已有项目（已确认为同一项目）：补充到位资金2笔"
    assert "平台协议投资额52,000.00万元" not in "".join(row.notes)  # the same amount: nothing to say
    changed = files.xlsx(
        {"台账": [["项目名称", "投资方", "协议投资额（万元）", "签约时间", "开工时间", "项目进度"],
                  ["禄丰钛白粉项目", "云南钛业新材料有限公司", 60000, "2024-01-15", "2024-03-01", "已开工"]]}
    )  # fmt: skip
    notes = preview_of(changed).rows[0].notes
    assert notes == [
        "平台阶段为“签约”，台账为“开工”：未改动，请在项目页变更阶段",
        "平台协议投资额52,000.00万元，台账为60,000.00万元：未改动，增资或更正请在项目页录入协议",
    ]
    summary = taizhang_commit(
        actor=officer, content=files.lufeng_merged(fixed=True), source_name="台账.xlsx", confirmed={"4": existing.pk}
    )
    assert len(summary["created"]) == 2 and summary["existing"] == 1
    assert not Project.objects.filter(name="禄丰钛白粉深加工项目").exists()
    assert existing.funding_entries.count() == 2
    # A project the officer may not change is not taken as confirmed: the row stays a possible duplicate.
    outsider = preview_of(files.lufeng_merged(fixed=True), user="kunming_officer", confirmed={"4": existing.pk})
    assert outsider.confirmed == {}


def test_the_preview_page_confirms_a_duplicate_and_commits(client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.core.models import Job
    from zhaoshang.projects.models import TaizhangImport

    officer = persona("lufeng_officer")
    existing = _existing_titanium(officer)
    client.force_login(officer)
    upload = SimpleUploadedFile("台账.xlsx", files.lufeng_merged(fixed=True))
    response = client.post("/projects/taizhang/", {"file": upload})
    item = TaizhangImport.objects.get()
    assert response.url == f"/projects/taizhang/{item.pk}/mapping/"
    page = client.get(response.url)
    assert page.status_code == 200 and "协议投资额（亿元）" in page.content.decode()
    form = {}
    for column in preview_of(files.lufeng_merged(fixed=True)).sheets[0].columns:
        form |= {f"s0-c{column.index}-field": column.field, f"s0-c{column.index}-unit": column.unit}
        form[f"s0-c{column.index}-month"] = column.month
    response = client.post(response.url, form)
    assert response.url == f"/projects/taizhang/{item.pk}/"
    page = client.get(response.url).content.decode()
    assert f'name="same-4" value="{existing.pk}"' in page and 'id="taizhang-commit"' not in page
    response = client.post(response.url, {"action": "confirm", "same-4": str(existing.pk)})
    page = client.get(response.url).content.decode()
    assert "已有项目（已确认为同一项目）：补充到位资金2笔" in page and 'id="taizhang-commit"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/projects/taizhang/{item.pk}/")
    job = Job.objects.get(kind="taizhang_import")
    job.refresh_from_db()
    assert job.status == "succeeded", job.errors
    assert job.result["新增项目"] == 2 and job.result["已有项目（未重复创建）"] == 1
    assert existing.funding_entries.count() == 2
    other = persona("kunming_officer")
    client.force_login(other)
    assert client.get(f"/projects/taizhang/{item.pk}/").status_code == 404  # someone else's upload


def test_the_platform_templates_own_headings_map_to_their_fields():
    from zhaoshang.projects.services.importing import HEADERS
    from zhaoshang.projects.taizhang.mapping import propose

    fields = {c.header: c.field for c in propose(list(HEADERS.values()), [], today=date(2026, 1, 1))}
    assert fields == {
        "项目编号": "external_code",
        "项目名称": "name",
        "投资方": "investor_name",
        "统一社会信用代码": "credit_code",
        "县市区": "county",
        "园区": "park",
        "重点产业": "industry",
        "阶段": "stage",
        "登记日期": "registered_on",
        "签约日期": "signed_on",
        "阶段日期": "ignore",
        "协议投资额（万元）": "amount",
        "资金来源省份": "source_province",
        "责任人": "responsible_person",
        "项目简介": "description",
        "用地（亩）": "land_mu",
        "预期年税收（万元）": "ignore",
        "行业代码": "ignore",  # 行业 is taken by 重点产业, the first industry column
    }


def test_a_merged_heading_over_one_header_row_does_not_take_the_first_project_as_a_second_header():
    content = files.xlsx(
        {
            "台账": [
                ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "项目进度", "备注", None],
                ["禄丰果蔬冷库项目", "云南果蔬冷链有限公司", 3000, "2024-05-01", "已签约", "州重点", "已供地"],
            ]
        },
        {"台账": ["F1:G1"]},
    )
    preview = preview_of(content)
    assert preview.sheets[0].header_rows == [1]
    assert [r.name for r in preview.project_rows] == ["禄丰果蔬冷库项目"]
