"""The API and the command give the page's figures; the API is scoped like the pages."""

import io
import json

import pytest
from django.core.management import call_command

from zhaoshang.chains.tests.world import YEAR
from zhaoshang.core.testing import client_for


def test_the_chains_list_has_the_current_versions_with_nodes_and_flows(client, chains):
    client_for(client, "lufeng_officer")
    data = client.get("/api/v1/chains/?page_size=50").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert len(rows) == 15
    silicon = next(r for r in rows if r["code"] == "green_silicon")
    assert len(silicon["nodes"]) >= 25 and silicon["flows"] and silicon["status"] == "current"
    assert {"key", "name", "parent", "level", "position", "value_tier", "is_key_link"} <= set(silicon["nodes"][0])


@pytest.mark.parametrize(
    "who, region, status",
    [
        ("lufeng_officer", "532302", 200),
        ("kunming_officer", "532302", 404),
        ("chuxiong_officer", "532302", 200),
        ("lufeng_officer", "530000", 404),
        (None, "532302", 401),
    ],
)
def test_a_diagnosis_outside_the_jurisdiction_is_404(client, world, who, region, status):
    client_for(client, who)
    response = client.get(f"/api/v1/chains/{world.silicon.pk}/diagnosis/?region={region}&year={YEAR}")
    assert response.status_code == status


def command_json(region: str, chain: str = "绿色硅") -> dict:
    out = io.StringIO()
    call_command("diagnose", region=region, chain=chain, year=YEAR, format="json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("who, region", [("lufeng_officer", "532302"), ("chuxiong_officer", "532300")])
def test_the_command_the_api_and_the_page_give_the_same_figures(client, world, who, region):
    client_for(client, who)
    api = client.get(f"/api/v1/chains/{world.silicon.pk}/diagnosis/?region={region}&year={YEAR}").json()
    page_json = client.get(f"/chains/{world.silicon.pk}/diagnosis/?region={region}&year={YEAR}&export=json").json()
    command = command_json(region)
    assert api == page_json == command
    page = client.get(f"/chains/{world.silicon.pk}/diagnosis/?region={region}&year={YEAR}")
    shown = {row["node"].pk: row["r"] for row in page.context["rows"]}
    for item in api["nodes"]:
        r = shown[item["node_id"]]
        assert (r.grade, r.enterprises, str(r.lq) if r.lq is not None else None, str(r.funds_wan)) == (
            item["grade"],
            item["enterprises"],
            item["lq"],
            item["funds_wan"],
        )


def test_the_command_prints_every_node_with_grade_action_and_figures(world):
    payload = command_json("532300", chain="green_silicon")
    glass = next(n for n in payload["nodes"] if n["key"] == "pv_glass")
    assert (glass["grade_label"], glass["action_label"], glass["enterprises"]) == ("空白", "补链", 0)
    assert glass["action_reason"] == "关键环节在本地空白"
    assert payload["chain"]["version"] == 1 and payload["base"] == "全省"
    out = io.StringIO()
    call_command("diagnose", region="532300", chain="绿色硅", year=YEAR, stdout=out)
    assert "光伏玻璃：空白  补链" in out.getvalue()
