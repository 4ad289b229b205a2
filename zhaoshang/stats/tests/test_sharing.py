"""利益共享 in every figure: a project transferred with a 30/70 agreement credits each side its share of 签约额 and
到位资金 for the agreed years, a region above both counts it once at 100 %, and the cockpit, the ranking, the bulletin
and the progress figures agree to the cent (Decimal equality). Three cases: two counties of one prefecture (禄丰 →
楚雄市), two prefectures (禄丰 → 五华区, 昆明), and into a park (禄丰 → a park of 楚雄市)."""

from datetime import date
from decimal import Decimal as D

import pytest

from zhaoshang.core.formatting import wan_to_yi
from zhaoshang.core.testing import persona
from zhaoshang.dashboard.cockpit import cockpit
from zhaoshang.projects.tests.transfers import chuxiong_city_park, complete, lufeng_project, propose
from zhaoshang.regions.models import Region
from zhaoshang.stats.bulletins import bulletin_build
from zhaoshang.stats.indicators import Period, actual
from zhaoshang.stats.parks import ParkNode, park_money
from zhaoshang.stats.rankings import ranking

pytestmark = pytest.mark.django_db
PERIOD = Period(2026, 6)
SIGNED, FUNDS = D("300000"), D("1300.05")  # 协议投资额; 省外到位资金 of April and May (800 + 500.05)
# 30 % of the funds is 390.015: the sending side is credited 390.02 (half up), the receiving side the rest
SENT = {"agreed_investment": D("90000.00"), "funds_outside_province": D("390.02")}
KEPT = {"agreed_investment": D("210000.00"), "funds_outside_province": D("910.03")}
WHOLE = {"agreed_investment": SIGNED, "funds_outside_province": FUNDS}


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def ranked(indicator: str, parent: str) -> dict[str, D]:
    return {row.region.code: row.progress.actual for row in ranking(indicator, region(parent), PERIOD)}


def bulletin_cells(parent: str, indicator_name: str) -> dict[str, D]:
    """The ranking table of the bulletin for ``indicator_name``: region name (without the mark) → 亿元."""
    bulletin = bulletin_build(node=region(parent), period=PERIOD, issued_on=date(2026, 7, 5))
    table = next(t for t in bulletin.tables if t.title.startswith(indicator_name))
    return {row[1].replace("（含流转分成）", ""): row[2] for row in table.rows}


def headline(code: str) -> dict[str, D]:
    return {row["indicator"]: row["actual"] for row in cockpit(region(code), PERIOD)["headline"]}


def check_everywhere(*, sender: str, receiver: str, common: str, expected_parent_of: dict[str, str]):
    """Each figure of each node, and the surfaces that show it, agree (Decimal equality)."""
    for indicator in ("agreed_investment", "funds_outside_province"):
        for code, figure in ((sender, SENT), (receiver, KEPT), (common, WHOLE), ("530000", WHOLE)):
            assert actual(indicator, region(code), PERIOD) == figure[indicator], (indicator, code)
            assert headline(code)[indicator] == figure[indicator], (indicator, code)
        for code, figure in ((sender, SENT), (receiver, KEPT)):
            parent = expected_parent_of[code]
            if parent == common and region(code).level == 3 and region(common).level == 2:
                assert ranked(indicator, parent)[code] == figure[indicator]
        # The province ranks prefectures: the shares of each prefecture, and a prefecture above both keeps 100 %.
        by_prefecture = ranked(indicator, "530000")
        assert sum(by_prefecture.values()) == WHOLE[indicator]
    # 签约项目数 counts the project once, where it is now.
    assert actual("signed_projects", region(sender), PERIOD) == 0
    assert actual("signed_projects", region(receiver), PERIOD) == 1
    assert actual("signed_projects", region(common), PERIOD) == 1
    assert actual("signed_projects", region("530000"), PERIOD) == 1


def test_two_counties_of_one_prefecture_share_and_the_prefecture_counts_once():
    project = lufeng_project()
    complete(project, "532301")
    check_everywhere(
        sender="532302", receiver="532301", common="532300", expected_parent_of={"532302": "532300", "532301": "532300"}
    )
    assert ranked("agreed_investment", "530000")["532300"] == SIGNED
    cells = bulletin_cells("532300", "协议投资额")
    assert cells["禄丰市"] == wan_to_yi(SENT["agreed_investment"]) and cells["楚雄市"] == wan_to_yi(
        KEPT["agreed_investment"]
    )
    assert bulletin_cells("530000", "协议投资额")["楚雄彝族自治州"] == wan_to_yi(SIGNED)


def test_two_prefectures_share_and_the_province_counts_once():
    project = lufeng_project()
    complete(project, "530102", filer="province_admin")  # 五华区, 昆明
    for indicator in ("agreed_investment", "funds_outside_province"):
        assert actual(indicator, region("532302"), PERIOD) == SENT[indicator]
        assert actual(indicator, region("532300"), PERIOD) == SENT[indicator]  # 楚雄州: 禄丰's share only
        assert actual(indicator, region("530102"), PERIOD) == KEPT[indicator]
        assert actual(indicator, region("530100"), PERIOD) == KEPT[indicator]
        assert actual(indicator, region("530000"), PERIOD) == WHOLE[indicator]
        assert headline("530100")[indicator] == KEPT[indicator]
        by_prefecture = ranked(indicator, "530000")
        assert by_prefecture["532300"] == SENT[indicator] and by_prefecture["530100"] == KEPT[indicator]
        assert ranked(indicator, "532300")["532302"] == SENT[indicator]
        assert ranked(indicator, "530100")["530102"] == KEPT[indicator]
    cells = bulletin_cells("530000", "协议投资额")
    assert cells["楚雄彝族自治州"] == wan_to_yi(SENT["agreed_investment"])
    assert cells["昆明市"] == wan_to_yi(KEPT["agreed_investment"])
    assert actual("signed_projects", region("530000"), PERIOD) == 1
    assert actual("signed_projects", region("532300"), PERIOD) == 0


def test_into_a_park_the_park_and_its_county_are_credited_the_receiving_share():
    project = lufeng_project()
    park = chuxiong_city_park()
    complete(project, "532301", park=park)
    check_everywhere(
        sender="532302", receiver="532301", common="532300", expected_parent_of={"532302": "532300", "532301": "532300"}
    )
    parks = {row["code"]: row["value_wan"] for row in cockpit(region("532300"), PERIOD)["parks"]}
    assert parks[park.code] == KEPT["funds_outside_province"]  # the cockpit's breakdown by park
    node = ParkNode(park.path)
    assert actual("agreed_investment", node, PERIOD) == KEPT["agreed_investment"]
    assert actual("funds_outside_province", node, PERIOD) == KEPT["funds_outside_province"]
    money = park_money(park, PERIOD)  # the park's own page: all 到位资金 and its 省外 part, shared alike
    # all 到位资金 is 1,500.05 (1,000 + 500.05): 30 % is 450.015, so the sending side has 450.02 and the park the rest
    assert money["funds_wan"] == D("1050.03") and money["outside_province_wan"] == KEPT["funds_outside_province"]
    assert money["agreed_wan"] == KEPT["agreed_investment"]


def test_outside_the_agreed_years_or_before_completion_nothing_is_shared():
    project = lufeng_project()
    transfer = propose(project, "532301", from_year=2027, years=2)
    assert actual("agreed_investment", region("532302"), PERIOD) == SIGNED  # still 禄丰's: not completed
    from zhaoshang.projects.services.transfer import transfer_accept, transfer_file
    from zhaoshang.projects.tests.transfers import officer_of

    transfer_accept(actor=officer_of("532301"), transfer=transfer)
    transfer_file(actor=persona("chuxiong_officer"), transfer=transfer)
    # 2026 is before the agreement's years: the amounts count where the project is now
    assert actual("agreed_investment", region("532302"), PERIOD) == 0
    assert actual("agreed_investment", region("532301"), PERIOD) == SIGNED


def test_only_the_agreed_measures_are_shared():
    project = lufeng_project()
    complete(project, "532301", shares_signed=False)
    assert actual("agreed_investment", region("532302"), PERIOD) == 0
    assert actual("funds_outside_province", region("532302"), PERIOD) == SENT["funds_outside_province"]


def test_the_cockpit_marks_shared_figures_and_drills_down_to_the_agreement(client):
    project = lufeng_project()
    complete(project, "532301")
    client.force_login(persona("lufeng_officer"))
    page = client.get("/dashboard/", {"year": 2026, "month": 6})
    rows = {row["indicator"]: row for row in page.context["data"]["headline"]}
    assert rows["agreed_investment"]["actual"] == SENT["agreed_investment"] and rows["agreed_investment"]["shared"]
    assert not rows["signed_projects"]["shared"]
    trend = {row["month"]: row["this_year_wan"] for row in page.context["data"]["trend"]}
    assert (trend["4月"], trend["5月"]) == (D("240.00"), D("150.02"))  # 30 % of 800 and of 500.05, month by month
    assert sum(trend.values()) == SENT["funds_outside_province"]
    industries = page.context["data"]["industries"]
    assert sum(row["value_wan"] for row in industries) == SENT["funds_outside_province"]  # the breakdown adds up
    assert "含流转分成" in page.content.decode()
    drill = client.get("/stats/sharing/", {"region": "532302", "indicator": "agreed_investment", "year": 2026})
    assert drill.status_code == 200
    html = drill.content.decode()
    assert project.name in html and "30%" in html
    assert client.get("/stats/sharing/", {"region": "532302", "export": "xlsx"}).status_code == 200
    assert client.get("/stats/sharing/", {"region": "530102"}).status_code == 404  # another prefecture's county
    client.force_login(persona("chuxiong_officer"))
    page = client.get("/dashboard/", {"year": 2026, "month": 6})
    children = {row["code"]: row for row in page.context["data"]["children"]}
    assert children["532302"]["actual_wan"] == SENT["funds_outside_province"] and children["532302"]["shared"]
    assert children["532301"]["actual_wan"] == KEPT["funds_outside_province"]
    rankings = client.get("/stats/rankings/", {"year": 2026, "month": 6, "indicator": "agreed_investment"})
    assert "含流转分成" in rankings.content.decode()


def test_completing_a_transfer_moves_the_cached_figures(client):
    project = lufeng_project()
    client.force_login(persona("lufeng_officer"))
    before = client.get("/dashboard/", {"year": 2026, "month": 6}).context["data"]["headline"]
    assert {r["indicator"]: r["actual"] for r in before}["agreed_investment"] == SIGNED
    complete(project, "532301")
    after = client.get("/dashboard/", {"year": 2026, "month": 6}).context["data"]["headline"]
    assert {r["indicator"]: r["actual"] for r in after}["agreed_investment"] == SENT["agreed_investment"]
