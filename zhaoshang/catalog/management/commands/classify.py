from zhaoshang.catalog.management.commands._jsonl import JsonLinesCommand
from zhaoshang.catalog.services import classify_payload


class Command(JsonLinesCommand):
    help = (
        '按重点产业分类。输入每行 {"id", "text"}，输出 {"id", "industries": [{"name", "score", "evidence"}], "gbt"}。'
    )

    def answer(self, obj) -> dict:
        return classify_payload(obj)
