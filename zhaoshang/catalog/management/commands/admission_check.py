from zhaoshang.catalog.management.commands._jsonl import JsonLinesCommand
from zhaoshang.catalog.services import admission_payload, admission_payload_batch


class Command(JsonLinesCommand):
    help = (
        '准入校验。输入每行 {"id", "name", "description", "total_investment_wan", "land_mu", '
        '"expected_annual_tax_wan", 可选 "thresholds", "investor_credit"}，输出 {"id", "verdict", "rules", "reasons"}。'
    )

    def answer(self, obj) -> dict:
        return admission_payload(obj)

    def batch(self, objects):
        return admission_payload_batch(objects)
