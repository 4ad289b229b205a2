"""考核评价 (issue 20): a year's scheme as versioned data, the quarter's scores of a node's children from the
indicator engine and the registered sources, publication as a frozen snapshot, and the scoped page, exports, API and
command printing the same numbers."""

import json
from datetime import date
from decimal import Decimal as D
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region
from zhaoshang.stats.assessment.models import AssessmentScheme, SchemeState
from zhaoshang.stats.assessment.selectors import compute_scores, scheme_in_force
from zhaoshang.stats.assessment.services import assessment_publish, scheme_publish, scheme_save
from zhaoshang.stats.demo import DEMO_SCHEME_ITEMS, seed_demo_scheme
from zhaoshang.stats.services import target_set
from zhaoshang.stats.tests.test_indicators import fund, signed_project

pytestmark = pytest.mark.django_db
Q3 = {"year": 2026, "quarter": 3}


@pytest.fixture
def chuxiong_2026(db):
    return seed_chuxiong_2026()


def seed_chuxiong_2026():
    """Two 楚雄 counties with 2026 figures (each project 30亿元 signed, so a 10亿元以上 project) and targets: 楚雄市
    signs and brings money in, 禄丰 signs later; the demo scheme is published for 2026."""
    admin = persona("province_admin")
    a = signed_project("楚雄绿色硅材料一体化项目", "532301", "四川某某硅业有限公司", on=date(2026, 2, 10))
    b = signed_project("禄丰钛材深加工项目", "532302", "昆明某某钛业有限公司", on=date(2026, 8, 10))
    fund(a, date(2026, 3, 1), "60000", outside_province="60000")
    fund(b, date(2026, 9, 1), "20000", outside_province="20000")
    fund(a, date(2026, 10, 1), "99999", outside_province="99999")  # after Q3: not counted
    for code, funds, agreed in (("532301", "40", "40"), ("532302", "20", "60")):
        region = Region.objects.get(code=code)
        target_set(
            actor=admin, year=2026, region=region, indicator="funds_outside_province", value=D(funds), unit="亿元"
        )
        target_set(actor=admin, year=2026, region=region, indicator="agreed_investment", value=D(agreed), unit="亿元")
    assert seed_demo_scheme(year=2026)
    return a, b


def by_code(rows):
    return {row.code: row for row in rows}


def items_of(row):
    return {item.source: item for item in row.items}


def test_the_q3_scores_of_chuxiong_counties_come_from_the_engine_with_a_breakdown(chuxiong_2026):
    chuxiong = Region.objects.get(code="532300")
    rows = by_code(compute_scores(chuxiong, 2026, 3, scheme_in_force(2026)))
    assert len(rows) == 10
    city, lufeng = items_of(rows["532301"]), items_of(rows["532302"])
    # 省外到位资金: 60,000 of the 序时 target 40亿 × 3/4 = 300,000 万元 → 20 %, of 30 points → 6.
    assert city["funds_outside_province"].raw == D("60000.00")
    assert city["funds_outside_province"].target == D("300000.00")
    assert city["funds_outside_province"].completion_pct == D("20.0")
    assert city["funds_outside_province"].points == D("6.00")
    # 签约额: 300,000 of 40亿 × 3/4 = 300,000 → 100 %, the full 25 points; 禄丰 300,000 of 450,000 → 66.7 % → 16.67.
    assert city["agreed_investment"].points == D("25.00")
    assert lufeng["agreed_investment"].points == D("16.67")
    # 10亿元以上项目数 by rank: both have one and share rank 1 (15 points); the eight others share rank 3 of 10:
    # 15 − (15 − 60 % of 15) × 2/9 = 13.67.
    assert city["projects_1b"].rank == lufeng["projects_1b"].rank == 1
    assert city["projects_1b"].points == D("15.00")
    others = items_of(rows["532322"])["projects_1b"]
    assert others.rank == 3 and others.points == D("13.67")
    # Scores add up: 6 + 25 + 15 + 0 + 0 + 0 = 46 for 楚雄市.
    assert rows["532301"].score == sum(i.points for i in rows["532301"].items) == D("46.00")
    assert rows["532301"].rank == 1


def page(client, name, **params):
    client.force_login(persona(name))
    return client.get("/stats/assessment/", params)


def page_scores(response) -> dict[str, str]:
    import lxml.html

    document = lxml.html.fromstring(response.content.decode())
    return {
        tr.get("data-code"): tr.xpath("td[@data-score]")[0].text_content().strip()
        for tr in document.xpath("//table[@id='assessment-table']/tbody/tr[@data-code]")
    }


def test_publishing_q3_then_editing_the_scheme_leaves_the_published_scores_unchanged(chuxiong_2026, client):
    chuxiong = Region.objects.get(code="532300")
    preview = page(client, "chuxiong_officer", region="532300", **Q3)
    assert preview.context["result"].state == "preview"
    before = page_scores(preview)
    assert before["532301"] == "46.00" and len(before) == 10

    publication = assessment_publish(actor=persona("chuxiong_officer"), region=chuxiong, **Q3)
    assert publication.scheme_version == 1
    assert AuditLog.objects.filter(action="assessment_publish", object_id=str(publication.pk)).count() == 1
    with pytest.raises(ValidationError):
        assessment_publish(actor=persona("province_admin"), region=chuxiong, **Q3)

    # The province gives 10亿元以上项目 all the weight of 签约额 and publishes the new version.
    items = [dict(item, weight=D(item["weight"])) for item in DEMO_SCHEME_ITEMS]
    items[1]["weight"], items[2]["weight"] = D(5), D(35)
    for item in items:
        item.update({k: D(item[k]) for k in ("unit_points", "cap") if k in item})
    v2 = scheme_save(actor=persona("province_admin"), year=2026, title="2026年度考核方案（修订）", items=items)
    assert v2.version == 2 and v2.state == SchemeState.DRAFT
    assert AssessmentScheme.objects.get(year=2026, version=1).items.get(source="agreed_investment").weight == 25
    scheme_publish(actor=persona("province_admin"), scheme=v2)
    # A late ledger entry for July changes the live figures too.
    fund(chuxiong_2026[0], date(2026, 7, 1), "240000", outside_province="240000")

    live = by_code(compute_scores(chuxiong, 2026, 3, scheme_in_force(2026)))
    assert live["532301"].score != D("46.00")  # the live score did change: the test below can fail
    after = page(client, "chuxiong_officer", region="532300", **Q3)
    assert after.context["result"].state == "published"
    assert after.context["result"].scheme_version == 1
    assert page_scores(after) == before
    breakdown = items_of(by_code(after.context["result"].rows)["532301"])
    assert breakdown["agreed_investment"].weight == D("25.00") and breakdown["funds_outside_province"].raw == D(
        "60000.00"
    )


def test_each_score_shows_its_breakdown_and_drills_down_to_the_projects(chuxiong_2026, client):
    import lxml.html

    response = page(client, "chuxiong_officer", region="532300", **Q3)
    document = lxml.html.fromstring(response.content.decode())
    rows = document.xpath("//table[contains(@class,'assessment-breakdown')][@data-code='532301']/tbody/tr")
    assert [r.get("data-item") for r in rows] == [i["source"] for i in DEMO_SCHEME_ITEMS]
    link = document.xpath("//table[@data-code='532301']//tr[@data-item='agreed_investment']//a/@href")[0]
    drill = client.get(link)
    assert drill.status_code == 200
    assert [p.name for p in drill.context["object_list"]] == ["楚雄绿色硅材料一体化项目"]
    assert client.get(link + "&export=xlsx").status_code == 200
    client.force_login(persona("kunming_officer"))
    assert client.get(link).status_code == 404


@pytest.mark.parametrize(
    "name, region",
    [
        ("lufeng_officer", "532300"),
        ("kunming_officer", "532300"),
        ("kunming_officer", "532302"),
        ("chuxiong_officer", "530100"),
    ],
)
def test_a_region_outside_the_scope_is_404(chuxiong_2026, client, name, region):
    assert page(client, name, region=region, **Q3).status_code == 404
    assert page(client, name, region=region, export="xlsx", **Q3).status_code == 404


def test_lufeng_sees_its_own_score_only(chuxiong_2026, client):
    response = page(client, "lufeng_officer", **Q3)
    assert response.status_code == 200
    assert list(page_scores(response)) == ["532302"]
    assert page(client, "enterprise_user", **Q3).status_code == 403
    client.logout()
    assert client.get("/stats/assessment/").status_code == 302  # to the sign-in page
    assert client.get("/api/v1/assessments/").status_code in {401, 403}


def test_the_exports_hold_the_page_numbers(chuxiong_2026, client):
    from docx import Document
    from openpyxl import load_workbook

    xlsx = page(client, "chuxiong_officer", region="532300", export="xlsx", **Q3)
    book = load_workbook(BytesIO(xlsx.content))
    scores = {row[2]: row[3] for row in book["得分"].iter_rows(min_row=2, values_only=True)}
    assert scores["532301"] == D("46.00") or scores["532301"] == 46
    assert isinstance(scores["532301"], (int, float, D))
    docx = page(client, "chuxiong_officer", region="532300", export="docx", **Q3)
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "楚雄彝族自治州2026年第3季度招商引资考核评价结果" in text
    assert AuditLog.objects.filter(action="export", object_repr__startswith="考核评价").count() == 2


def test_the_scheme_form_checks_the_weights_and_keeps_what_was_typed(chuxiong_2026, client):
    client.force_login(persona("province_admin"))
    form = client.get("/stats/assessment/schemes/2026/edit/")
    assert form.status_code == 200
    from zhaoshang.core.testing import browser_form_values

    values = browser_form_values(form.content.decode())
    values["title"] = ["改过的方案名称"]
    values["items-0-weight"] = ["31"]  # 101 in all
    rejected = client.post("/stats/assessment/schemes/2026/edit/", values)
    assert rejected.status_code == 200
    assert "基本指标权重合计应为100分，现为101分" in rejected.content.decode()
    assert 'value="改过的方案名称"' in rejected.content.decode()
    assert AssessmentScheme.objects.filter(year=2026).count() == 1
    values["items-0-weight"] = ["30"]
    saved = client.post("/stats/assessment/schemes/2026/edit/", values)
    assert saved.status_code == 302
    assert AssessmentScheme.objects.filter(year=2026).count() == 2
    client.force_login(persona("chuxiong_officer"))
    assert client.get("/stats/assessment/schemes/2026/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        scheme_save(actor=persona("chuxiong_officer"), year=2026, title="x", items=[])


def test_the_command_and_the_api_print_the_page_numbers(chuxiong_2026, client):
    page_rows = by_code(page(client, "chuxiong_officer", region="532300", **Q3).context["result"].rows)
    out = StringIO()
    call_command("assess", year=2026, quarter=3, region="532300", format="json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["state"] == "preview" and len(printed["children"]) == 10
    for child in printed["children"]:
        row = page_rows[child["region"]]
        assert D(child["score"]) == row.score and child["rank"] == row.rank
        assert [(i["source"], D(i["points"])) for i in child["breakdown"]] == [(i.source, i.points) for i in row.items]

    api = client.get("/api/v1/assessments/", {"region": "532300", **Q3})
    assert api.status_code == 200
    assert {r["region"]: D(r["score"]) for r in api.json()} == {code: row.score for code, row in page_rows.items()}
    assert api.json()[0]["breakdown"][0]["source"] == "funds_outside_province"

    publication = assessment_publish(actor=persona("province_admin"), region=Region.objects.get(code="532300"), **Q3)
    out = StringIO()
    call_command("assess", year=2026, quarter=3, region="532300", stdout=out)
    assert json.loads(out.getvalue())["state"] == "published"
    client.force_login(persona("lufeng_officer"))
    own = client.get("/api/v1/assessments/", Q3)
    assert [r["region"] for r in own.json()] == ["532302"]
    assert client.get("/api/v1/assessments/", {"region": "532300", **Q3}).status_code == 404
    lufeng_score = publication.scores.get(region__code="532302")
    assert client.get(f"/api/v1/assessments/{lufeng_score.pk}/").status_code == 200
    other = publication.scores.get(region__code="532301")
    assert client.get(f"/api/v1/assessments/{other.pk}/").status_code == 404
    client.force_login(persona("kunming_officer"))
    assert client.get("/api/v1/assessments/", {"region": "532302", **Q3}).status_code == 404


def test_thresholds_per_unit_and_the_bonus_caps():
    from zhaoshang.stats.assessment.scoring import (
        ItemScore,
        competition_ranks,
        rank_points,
        score_items,
        threshold_points,
    )

    table = [["1", "4"], ["3", "7"], ["6", "10"]]
    assert [threshold_points(D(v), table) for v in (0, 1, 5, 6, 40)] == [D(0), D(4), D(7), D(10), D(10)]
    assert threshold_points(None, table) == 0
    assert competition_ranks({"a": D(5), "b": D(5), "c": D(1), "d": None}) == {"a": 1, "b": 1, "c": 3, "d": 4}
    assert rank_points(1, 10, D(15), D(60)) == D(15) and rank_points(10, 10, D(15), D(60)) == D(9)

    def item(kind, points):
        return ItemScore("x", "x", kind, "per_unit", D(0), "个", D(1), None, None, None, None, D(points))

    items = [item("base", "80"), item("bonus", "6"), item("bonus", "6"), item("penalty", "3")]
    assert score_items(items, bonus_cap=D(10), penalty_cap=D(10)) == D("87.00")  # 80 + min(12, 10) − 3


def test_an_item_over_its_cap_gives_the_cap_and_a_draft_scores_nothing(chuxiong_2026):
    chuxiong = Region.objects.get(code="532300")
    # Both projects 500强 in 楚雄市 would give 2 × 2 = 4 points; a cap of 1 binds.
    from zhaoshang.projects.models import Project

    b = Project.objects.get(name="禄丰钛材深加工项目")
    Project.objects.filter(pk=chuxiong_2026[0].pk).update(is_global500=True)
    Project.objects.filter(pk=b.pk).update(
        is_global500=True, path=chuxiong_2026[0].path, county=chuxiong_2026[0].county
    )
    scheme = scheme_in_force(2026)
    item = scheme.items.get(source="projects_500")
    item.cap = D(1)
    item.save()
    rows = by_code(compute_scores(chuxiong, 2026, 3, scheme))
    top500 = items_of(rows["532301"])["projects_500"]
    assert top500.raw == 2 and top500.points == D("1.00")
    items = [dict(i, weight=D(i["weight"])) for i in DEMO_SCHEME_ITEMS]
    for i in items:
        i.update({k: D(i[k]) for k in ("unit_points", "cap") if k in i})
    scheme_save(actor=persona("province_admin"), year=2027, title="2027年度方案", items=items)
    assert scheme_in_force(2027) is None
    with pytest.raises(ValidationError):
        assessment_publish(actor=persona("province_admin"), region=chuxiong, year=2027, quarter=1)


def test_the_demo_seed_publishes_a_scheme_once(db):
    out = StringIO()
    call_command("seed_demo_targets", stdout=out)
    year = AssessmentScheme.objects.get().year
    assert "演示考核方案" in out.getvalue() and scheme_in_force(year).items.count() == len(DEMO_SCHEME_ITEMS)
    call_command("seed_demo_targets", stdout=StringIO())
    assert AssessmentScheme.objects.count() == 1


def test_a_source_registered_later_scores_in_a_new_version(chuxiong_2026, monkeypatch):
    """A source joins as a function of (region path, start, end) registered in the sources, then an item in the
    year's scheme. Here a stand-in for 风险预警处置 counts 2 for 禄丰 and 0 elsewhere (restored afterwards)."""
    from zhaoshang.stats.assessment.sources import SOURCES, Source, per_child

    def resolved(path, start, end):
        assert (start, end) == (date(2026, 1, 1), date(2026, 9, 30))
        return 2 if path.endswith("/532302") else 0

    monkeypatch.setitem(
        SOURCES, "warnings_resolved", Source("warnings_resolved", "风险预警处置", "件", per_child(resolved))
    )
    demo = [i for i in DEMO_SCHEME_ITEMS if i["source"] != "warnings_resolved"]
    items = [dict(i, weight=D(i["weight"])) for i in demo]
    for i in items:
        i.update({k: D(i[k]) for k in ("unit_points", "cap") if k in i})
    items[3]["weight"] = D(5)  # 外出招商 gives 5 of its 10 points to the new item
    items.append(
        {
            "source": "warnings_resolved",
            "name": "风险预警处置",
            "kind": "base",
            "method": "threshold",
            "weight": D(5),
            "thresholds": [["1", "3"], ["2", "5"]],
        }
    )
    scheme_publish(actor=None, scheme=scheme_save(actor=None, year=2026, title="2026（含风险预警）", items=items))
    rows = by_code(compute_scores(Region.objects.get(code="532300"), 2026, 3, scheme_in_force(2026)))
    assert items_of(rows["532302"])["warnings_resolved"].points == D("5.00")
    assert items_of(rows["532301"])["warnings_resolved"].points == D("0.00")
