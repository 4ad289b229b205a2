import json

import pytest
from django.core.management import CommandError, call_command

from zhaoshang.catalog.services import admission_payload, classify_payload


def run(command, tmp_path, lines):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command(command, jsonl=str(path), stdout=Sink())
    return [json.loads(line) for line in "".join(out).splitlines() if line.strip()]


@pytest.mark.django_db
def test_classify_prints_one_answer_per_line_best_first(tmp_path):
    answers = run(
        "classify",
        tmp_path,
        [
            json.dumps({"id": "a", "text": "年产10GW N型TOPCon电池片"}),
            json.dumps({"id": 2, "text": "商品房住宅小区开发"}),
        ],
    )
    assert [a["id"] for a in answers] == ["a", 2]
    assert answers[0]["industries"][0]["name"] == "绿色硅"
    assert "topcon" in answers[0]["industries"][0]["evidence"]
    assert answers[0]["gbt"][0] == "3825"
    assert answers[1]["industries"][0]["name"] == "房地产"


@pytest.mark.django_db
def test_admission_check_rejects_cement_and_passes_topcon(tmp_path):
    cement = {"id": 1, "name": "新建日产4000吨水泥熟料生产线", "description": "", "total_investment_wan": 120000}
    cement.update(land_mu=500, expected_annual_tax_wan=6000)
    topcon = {"id": 2, "name": "年产10GW N型TOPCon电池片", "description": "", "total_investment_wan": 600000.5}
    topcon.update(land_mu=800, expected_annual_tax_wan=30000, investor_credit="ok")
    answers = run("admission_check", tmp_path, [json.dumps(cement), json.dumps(topcon)])
    assert answers[0]["verdict"] == "reject" and answers[0]["rules"] == ["overcapacity"]
    assert answers[1]["verdict"] == "pass" and answers[1]["rules"] == []
    assert set(answers[0]) >= {"id", "verdict", "rules", "reasons"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("command", "lines", "message"),
    [
        ("classify", ['{"id": 1, "text": "茶叶"}', "{not json"], "第2行"),
        ("classify", ['{"id": 1, "text": "茶叶"}', "", '{"id": 3}'], "第3行 text: 缺少此字段"),
        ("classify", ['["a"]'], "第1行 对象: 必须是 JSON 对象"),
        ("admission_check", ['{"id": 1, "name": "x", "land_mu": "很多"}'], "第1行 land_mu: 必须为数字"),
        ("admission_check", ['{"id": 1, "name": "x", "investor_credit": "bad"}'], "第1行 investor_credit"),
        (
            "admission_check",
            ['{"id": 1, "name": "x", "total_investment_wan": -5}'],
            "第1行 total_investment_wan: 必须为非负数",
        ),
    ],
)
def test_malformed_input_stops_with_the_line_number(tmp_path, command, lines, message):
    with pytest.raises(CommandError, match=message):
        run(command, tmp_path, lines)


@pytest.mark.django_db
def test_missing_input_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("classify", jsonl=str(tmp_path / "none.jsonl"))


@pytest.mark.django_db
def test_commands_answer_exactly_as_the_services(tmp_path):
    obj = {"id": 7, "name": "滇池湖滨别墅酒店", "description": "在滇池一级保护区湖滨建设别墅", "land_mu": 10}
    assert run("admission_check", tmp_path, [json.dumps(obj, ensure_ascii=False)]) == [admission_payload(obj)]
    obj = {"id": 8, "text": "磷酸铁锂正极材料"}
    assert run("classify", tmp_path, [json.dumps(obj, ensure_ascii=False)]) == [classify_payload(obj)]
