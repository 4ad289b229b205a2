"""项目匹配: hard filters with their reasons (a full park is filtered out, land short, intensity under the park's
standard, excluded node, 环评 class), every factor with value and percentile, scope of the page and API, and the
recommend command giving what the API gives."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.matching import WEIGHTS, needs_of, park_matches, percentiles
from zhaoshang.chains.tests.world import YEAR
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import client_for, persona
from zhaoshang.regions.models import Park

PROFILE = {
    "land_available_mu": Decimal(500),
    "standard_land_mu": Decimal(100),
    "standard_factory_m2": Decimal(20000),
    "power_price_yuan_kwh": Decimal("0.35"),
    "green_power_share": Decimal(90),
    "rail_km": Decimal(5),
    "port_km": Decimal(300),
    "output_per_mu_wan": Decimal(400),
    "tax_per_mu_wan": Decimal(20),
    "as_of": date(YEAR, 10, 1),
    "source": "园区管委会填报",
}


@pytest.fixture
def parks(world):
    admin = persona("province_admin")
    services.park_profile_save(actor=admin, park=Park.objects.get(code="S539053"), **PROFILE)  # 禄丰
    services.park_profile_save(
        actor=admin,
        park=Park.objects.get(code="S537004"),  # 楚雄: full
        **(PROFILE | {"land_available_mu": Decimal(0), "standard_land_mu": Decimal(0), "standard_factory_m2": 0}),
    )
    services.park_profile_save(
        actor=admin,
        park=Park.objects.get(code="G531200"),  # 曲靖: dearer power, farther
        **(PROFILE | {"power_price_yuan_kwh": Decimal("0.50"), "rail_km": Decimal(40), "land_available_mu": 250}),
    )
    return world


def lead(world, **fields):
    from zhaoshang.projects.services import project_create
    from zhaoshang.regions.models import Region

    return project_create(
        actor=persona("lufeng_officer"),
        name="禄丰光伏压延玻璃项目",
        investor_name=world.enterprises["flat"].name,
        county=Region.objects.get(code="532302"),
        on=date(YEAR, 11, 1),
        description="年产光伏压延玻璃",
        confirm_not_duplicate=True,  # set-up: the same lead entered again for a second match, knowingly
        **({"land_mu": Decimal(200), "agreed_investment_wan": Decimal(100000)} | fields),
    )


def test_a_full_park_is_filtered_out_with_its_reason_and_the_others_ranked_with_every_factor(parks):
    result = park_matches(needs=needs_of(lead(parks)))
    names = [m.name for m in result.matches]
    assert names[:2] == ["云南禄丰工业园区", "曲靖经济技术开发区"]
    assert "云南楚雄经济开发区" not in names
    chuxiong = next(f for f in result.filtered if f.code == "S537004")
    assert chuxiong.reasons == ["用地已满：可供工业用地0亩，也无可租售标准厂房"]
    for match in result.matches:
        assert [f.code for f in match.factors] == list(WEIGHTS)
        assert all(f.shown and 0 <= f.percentile <= 100 for f in match.factors)
    # parks without a profile are filtered out too, saying why
    assert any(f.reasons == ["园区未填报承载条件（可供用地等），无法核对"] for f in result.filtered)


def test_chain_fit_counts_local_firms_on_the_same_or_adjacent_nodes(parks):
    """禄丰 park holds the 工业硅 project of the world; 工业硅 supplies the chain's silicon nodes."""
    from zhaoshang.chains.models import ChainNode

    needs = needs_of(lead(parks))
    needs.node_ids = [ChainNode.objects.get(chain=parks.silicon, key="metal_si_smelt").pk]
    needs.node_keys, needs.node_names = ["metal_si_smelt"], ["工业硅"]
    result = park_matches(needs=needs)
    lufeng = next(m for m in result.matches if m.code == "S539053")
    assert lufeng.factors[0].value == 1 and lufeng.factors[0].shown == "同链相关环节本地企业1家"


def test_land_short_intensity_under_standard_excluded_node_and_eia_class_filter_out(parks):
    project = lead(parks)
    # a lead's needs typed on the panel: 100 万元/亩 < the standard of 150
    result = park_matches(needs=needs_of(project, land_mu=Decimal(300), investment_wan=Decimal(30000)))
    reasons = {f.code: "；".join(f.reasons) for f in result.filtered}
    assert "可供工业用地250亩，少于项目需求300亩" in reasons["G531200"]
    assert "投资强度100.0万元/亩，低于园区标准150万元/亩" in reasons["S539053"]
    profile = Park.objects.get(code="S539053").profile
    profile.eia_classes, profile.excluded_nodes = "报告表,登记表", needs_of(project).node_keys[0]
    profile.save()
    result = park_matches(needs=needs_of(lead(parks), eia_class="报告书"))
    reasons = {f.code: "；".join(f.reasons) for f in result.filtered}
    assert "园区不予承接该环节" in reasons["S539053"] and "不含报告书" in reasons["S539053"]


def test_percentiles_are_mid_rank_and_missing_values_score_zero():
    assert percentiles([1, 2, 3, None]) == [pytest.approx(100 / 6), 50.0, pytest.approx(500 / 6), 0.0]
    assert percentiles([0, 0]) == [50.0, 50.0]


def test_a_park_profile_is_edited_by_its_bureau_and_the_province_only(parks):
    park = Park.objects.get(code="S539053")
    services.park_profile_save(actor=persona("lufeng_officer"), park=park, **(PROFILE | {"land_available_mu": 450}))
    assert park.profile.land_available_mu == 450
    with pytest.raises(OutOfScope):
        services.park_profile_save(actor=persona("kunming_officer"), park=park, **PROFILE)
    with pytest.raises(Exception, match="来源"):
        services.park_profile_save(actor=persona("lufeng_officer"), park=park, **(PROFILE | {"source": " "}))


def test_park_matches_page_and_api_are_scoped_to_the_project(client, parks):
    project = lead(parks)
    lufeng = client_for(client, "lufeng_officer")
    data = lufeng.get(f"/api/v1/projects/{project.pk}/park-matches/").json()
    assert data["parks"][0]["park"] == "云南禄丰工业园区"
    assert {f["factor"] for f in data["parks"][0]["factors"]} == set(WEIGHTS)
    assert any(f["code"] == "S537004" for f in data["filtered_out"])
    page = lufeng.get(f"/projects/{project.pk}/").content.decode()
    # the project page carries the closed panel only: the parks are matched when it is opened (its own URL)
    panel_url = f"/chains/projects/{project.pk}/park-panel/"
    assert 'id="park-matching"' in page and panel_url in page and "用地已满" not in page
    body = lufeng.get(panel_url).content.decode()
    assert 'id="park-panel-table"' in body and "云南禄丰工业园区" in body and "用地已满" in body
    kunming = client_for(client, "kunming_officer")
    assert kunming.get(f"/api/v1/projects/{project.pk}/park-matches/").status_code == 404
    assert kunming.get(f"/chains/projects/{project.pk}/park-matches/").status_code == 404
    assert kunming.get(panel_url).status_code == 404
    assert client_for(client, "enterprise_user").get(panel_url).status_code in (403, 404)


def test_the_command_prints_what_the_api_gives(client, world):
    out = io.StringIO()
    call_command(
        "recommend",
        "--region",
        "532302",
        "--chain",
        "绿色硅",
        "--top",
        "5",
        "--year",
        str(YEAR),
        "--format",
        "json",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    api = client_for(client, "lufeng_officer").get(f"/api/v1/targeting/?region=532302&chain=绿色硅&top=5&year={YEAR}")
    rows = api.json()["candidates"]
    assert [list(r) for r in printed][0] == ["enterprise", "credit_code", "stock_code", "score", "reasons"]
    assert [(r["enterprise"], r["score"], r["reasons"]) for r in printed] == [
        (r["enterprise"], r["score"], r["reasons"]) for r in rows
    ]
    assert len(printed) == 5


def test_the_targeting_and_matching_exports_keep_numbers_as_numbers(client, parks):
    from zhaoshang.dashboard.tests.test_exports import _content, assert_typed

    project = lead(parks)
    officer = client_for(client, "lufeng_officer")
    silicon = parks.silicon.pk
    for path in (
        f"/chains/projects/{project.pk}/park-matches/?export=xlsx",
        f"/chains/targeting/?region=532302&chain={silicon}&year={YEAR}&export=xlsx",
        "/chains/targeting/report/?export=xlsx",
        "/chains/signals/?export=xlsx",
        "/chains/targeting/outcomes/?region=532302&export=xlsx",
    ):
        response = officer.get(path)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd"), path
        assert_typed(_content(response), path)
