from openpyxl import Workbook

from zhaoshang.core.excel import book_bytes, count, money, write_table


def _figure(value, unit: str):
    """A figure whose unit is given in the row (万元 or a count): typed with the matching number format."""
    if value is None:
        return None
    return money(value) if unit == "万元" else count(value)


def cockpit_workbook(data: dict) -> bytes:
    """Every chart of the cockpit as a sheet of its numbers (万元 to the cent, typed cells)."""
    book = Workbook()
    sheets = [
        (
            "主要指标",
            [
                "指标",
                "单位",
                "目标",
                "完成",
                "上年同期",
                "增长（%）",
                "完成全年目标进度（%）",
                "时序进度（%）",
                "超/滞后（百分点）",
                "表述",
            ],
            [
                [
                    h["indicator_name"],
                    h["unit"],
                    _figure(h["target"], h["unit"]),
                    _figure(h["actual"], h["unit"]),
                    _figure(h["actual_last_year"], h["unit"]),
                    h["growth_pct"],
                    h["completion_pct"],
                    h["elapsed_pct"],
                    h["ahead_points"],
                    h["sentence"],
                ]
                for h in data["headline"]
            ],
        ),
        (
            "月度趋势",
            ["月份", "本年省外到位资金（万元）", "上年同期（万元）"],
            [[r["month"], r["this_year_wan"], r["last_year_wan"]] for r in data["trend"]],
        ),
        ("重点产业占比", ["产业", "省外到位资金（万元）"], [[r["name"], r["value_wan"]] for r in data["industries"]]),
        ("资金来源地", ["来源地", "到位资金（万元）"], [[r["name"], r["value_wan"]] for r in data["sources"]]),
        (
            "10亿元以上项目",
            ["项目", "投资方", "县市区", "产业", "协议投资额（万元）", "阶段", "签约日期"],
            [
                [p["name"], p["investor"], p["county"], p["industry"], p["agreed_wan"], p["stage"], p["signed_on"]]
                for p in data["big_projects"]
            ],
        ),
        (
            "园区",
            ["园区", "省外到位资金（万元）", "到位资金（万元）"],
            [[r["name"], r["value_wan"], r["total_wan"]] for r in data["parks"]],
        ),
        (
            "政策目标",
            ["指标", "产业", "期间", "单位", "目标", "完成", "完成（%）"],
            [
                [
                    t["indicator"],
                    t["industry"],
                    t["span"],
                    t["unit"],
                    _figure(t["target"], t["unit"]),
                    _figure(t["actual"], t["unit"]),
                    t["completion_pct"],
                ]
                for t in data["policy_targets"]
            ],
        ),
        (
            "下级排名",
            ["排名", "地区", "省外到位资金（万元）", "完成全年目标进度（%）", "超/滞后（百分点）"],
            [[c["rank"], c["name"], c["actual_wan"], c["completion_pct"], c["ahead_points"]] for c in data["children"]],
        ),
    ]
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        write_table(sheet, headers=headers, rows=rows)
        sheet.freeze_panes = "A2"
    return book_bytes(book)
