"""Realistic 台账 spreadsheets built for the tests, each the way a bureau keeps it: title rows, headers over two
rows with merged cells, 亿元 and 万元 and 元, dates as text or Excel dates, stage words, 合计 rows and notes."""

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook

TITLE = "禄丰市2024年招商引资签约项目台账"


def xlsx(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(rows: list[list], merges: list[tuple[int, int, int, int]]) -> bytes:
    """An Excel 97-2003 workbook (xlwt); ``merges`` as (first row, last row, first col, last col), 0-based."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2024年")
    merged_cells = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    starts = {(r0, c0): (r0, r1, c0, c1) for r0, r1, c0, c1 in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in starts:
                r0, r1, c0, c1 = starts[(r, c)]
                sheet.write_merge(r0, r1, c0, c1, value)
            elif (r, c) not in merged_cells and value is not None:
                sheet.write(r, c, value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    import csv
    import io

    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


# 1. The journey's file: a title row, a two-row merged header, 亿元, a 合计 row and a note; row 6 lacks its 签约时间
# (``fixed`` fills it in).
def lufeng_merged(*, fixed: bool = False) -> bytes:
    rows = [
        [TITLE, None, None, None, None, None, None, None, None],
        ["序号", "项目名称", "投资方", "协议投资额（亿元）", "签约时间", "项目进度", "到位资金（亿元）", None, "备注"],
        [None, None, None, None, None, None, "2024年3月累计", "2024年6月累计", None],
        [
            1,
            "禄丰钛白粉深加工项目",
            "云南钛业新材料有限公司",
            5.2,
            datetime(2024, 1, 15),
            "已签约",
            0.5,
            1.25,
            "重点跟踪",
        ],
        [2, "禄丰光伏组件项目", "云南晶硅能源有限公司", "12亿", "2024.2", "已签约", 2, 3.5, None],
        [
            3,
            "禄丰恐龙谷文旅康养项目",
            "云南恐龙谷文旅有限公司",
            3,
            "2024年3月8日" if fixed else None,
            "已签约",
            None,
            0.8,
            None,
        ],
        ["合计", None, None, 20.2, None, None, 2.5, 5.55, None],
        ["注：到位资金为截至当月累计数，单位亿元。", None, None, None, None, None, None, None, None],
    ]
    merges = ["A1:I1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2", "I2:I3"]
    return xlsx({"2024年签约项目": rows}, {"2024年签约项目": merges})


# 2. One header row in 万元, amounts as text with thousands separators, dates in every form, short and former county
# names, and a note in the margin right of the table (no heading above it: not read).
def wan_single_header() -> bytes:
    rows = [
        [
            "项目编号",
            "项目名称",
            "签约企业",
            "所在县市区",
            "所在园区",
            "计划总投资（万元）",
            "签约日期",
            "当前状态",
            "联系人",
        ],
        [
            "LF-01",
            "禄丰磷化工新材料项目",
            "云南磷能化工有限公司",
            "禄丰",
            "云南禄丰工业园区",
            "3,000",
            "2023年5月",
            "已签约",
            "王强",
        ],
        [
            "LF-02",
            "禄丰肉牛养殖项目",
            "云南高原牧业有限公司",
            "禄丰市",
            None,
            8000.5,
            "2023.06.18",
            "签约",
            "李丽",
            None,
            "（旁注：已列入州重点项目）",
        ],
        [
            "LF-03",
            "禄丰冷链物流园项目",
            "云南滇中物流有限公司",
            "禄丰县",
            None,
            "12,000.00",
            datetime(2023, 7, 1),
            "已签约",
            None,
        ],
        ["LF-04", "禄丰数据中心项目", "云南数港科技有限公司", "禄丰", None, None, None, "洽谈中", None],
    ]
    return xlsx({"Sheet1": rows})


# 3. Amounts in 元; one does not come to whole 分 of 万元.
def yuan_amounts() -> bytes:
    rows = [
        ["项目名称", "投资主体", "总投资(元)", "签约时间", "项目进度"],
        ["禄丰农产品加工项目", "云南滇味食品有限公司", 52000000, "2024-01-08", "已签约"],
        ["禄丰竹木加工项目", "云南竹韵家居有限公司", "1,234,567", "2024-02-08", "已签约"],
    ]
    return xlsx({"台账": rows})


# 4. No unit in the heading: the cells say it (5.2亿, 8000万).
def units_in_cells() -> bytes:
    rows = [
        ["项目名称", "投资方", "协议投资额", "签约时间", "项目进度"],
        ["禄丰硅材料项目", "云南硅谷材料有限公司", "5.2亿", "2024-03-01", "已签约"],
        ["禄丰铝箔项目", "云南铝箔新材有限公司", "8000万", "2024-03-02", "已签约"],
    ]
    return xlsx({"台账": rows})


# 5. CSV in GB18030 (Excel's 另存为 CSV on a Chinese Windows).
def gb18030_csv() -> bytes:
    rows = [
        ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "项目进度", "产业"],
        ["禄丰生物医药产业园项目", "云南康源药业有限公司", "25000", "2024/4/2", "已签约", "生物医药"],
        ["禄丰光伏玻璃项目", "云南光能玻璃有限公司", "60000", "2024/4/3", "已签约", "光伏玻璃"],
        ["合计", "", "85000", "", "", ""],
    ]
    return csv_bytes(rows, "gb18030")


# 6. CSV in UTF-8 with two header rows: a group heading over monthly 到位 columns.
def monthly_csv() -> bytes:
    rows = [
        ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "项目进度", "2024年到位资金（万元）", "", ""],
        ["", "", "", "", "", "1月", "2月", "3月"],
        ["禄丰绿色铝精深加工项目", "云南绿铝科技有限公司", "90000", "2023-11-20", "已签约", "1000", "0", "2500.5"],
    ]
    return b"\xef\xbb\xbf" + csv_bytes(rows, "utf-8")


# 7. An Excel 97-2003 (.xls) file with a merged two-row header in 亿元.
def xls_merged() -> bytes:
    rows = [
        ["禄丰市招商引资项目台账（2024年）", None, None, None, None, None],
        ["项目名称", "投资方", "协议投资额（亿元）", "签约时间", "项目进度", "到位资金（亿元）"],
        [None, None, None, None, None, "截至2024年5月累计"],
        ["禄丰锂电池负极材料项目", "云南锂源新能源有限公司", 15.5, "2024年2月1日", "已签约", 1.2],
        ["小计", None, 15.5, None, None, 1.2],
    ]
    merges = [(0, 0, 0, 5), (1, 2, 0, 0), (1, 2, 1, 1), (1, 2, 2, 2), (1, 2, 3, 3), (1, 2, 4, 4)]
    return xls(rows, merges)


# 8. Several sheets: two years of projects and an instructions sheet without a header.
def multi_sheet() -> bytes:
    header = ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "项目进度"]
    return xlsx(
        {
            "2023年": [header, ["禄丰茶叶精制项目", "云南茶源有限公司", 5000, "2023-03-01", "已签约"]],
            "2024年": [header, ["禄丰花卉基地项目", "云南花都农业有限公司", 7000, "2024-03-01", "已签约"]],
            "填表说明": [["本表由各乡镇每月5日前报送"], ["金额单位：万元"]],
        }
    )


# 9. A prefecture's 台账: counties by former and prefixed names, one county outside its jurisdiction.
def prefecture_places() -> bytes:
    rows = [
        ["序号", "县（市、区）", "项目名称", "投资方", "协议投资额（亿元）", "签约时间", "项目进度"],
        [1, "禄丰县", "禄丰钢结构建材项目", "云南钢构建材有限公司", 2, "2024-01-10", "已签约"],
        [2, "楚雄州南华县", "南华野生菌加工项目", "云南菌王食品有限公司", 1.5, "2024-01-11", "已签约"],
        [3, "五华区", "五华商务楼宇项目", "云南商务置业有限公司", 3, "2024-01-12", "已签约"],
    ]
    return xlsx({"全州台账": rows})


# 10. Stage words: 部分投产 with its date, 洽谈中, 前期, 已终止 (not importable) and a word nobody uses.
def stage_words() -> bytes:
    rows = [
        ["项目名称", "投资方", "协议投资额（万元）", "签约时间", "开工时间", "投产时间", "项目进度"],
        ["禄丰化肥项目", "云南丰收化肥有限公司", 20000, "2023-01-05", "2023-04-01", "2024-01-20", "部分投产"],
        ["禄丰物流仓储项目", "云南仓储物流有限公司", None, None, None, None, "洽谈中"],
        ["禄丰康养小镇项目", "云南康养置业有限公司", None, None, None, None, "前期"],
        ["禄丰水泥项目", "云南建材水泥有限公司", 30000, "2022-05-01", None, None, "已终止"],
        ["禄丰玻璃项目", "云南玻璃制品有限公司", 10000, "2024-02-01", None, None, "推进顺利"],
    ]
    return xlsx({"台账": rows})


# 11. A cumulative figure that disagrees with the ledger (built from file 1 after it was imported).
def lufeng_changed_funds() -> bytes:
    content = lufeng_merged(fixed=True)
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    sheet = book.active
    sheet["G4"] = 0.6  # 2024年3月 cumulative of the 钛白粉 project: 0.5 亿 was imported
    sheet["H5"] = 4.0  # 2024年6月 cumulative of the 光伏 project: 3.5 亿 was imported
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
