import json

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.regions.models import Region
from zhaoshang.stats.assessment.selectors import assessment_for


class Command(BaseCommand):
    help = (
        "打印某辖区各下级（州市或县市区）某年某季度的考核得分、名次和分项（已发布的为发布时的快照，未发布的为预览）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--region", required=True, help="6位区划代码：省或州市打印其下级，县市区打印其本身")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, year, quarter, region, format, **options):
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise CommandError(f"没有区划代码 {region}")
        result = assessment_for(node, year, quarter)
        if format == "text":
            self.stdout.write(
                f"{node.name}{year}年第{quarter}季度考核评价（{result.state}，方案第{result.scheme_version}版）"
            )
            for row in result.rows:
                parts = "，".join(f"{item.name}{item.points}" for item in row.items)
                self.stdout.write(f"{row.rank}\t{row.name}\t{row.score}\t{parts}")
            return
        payload = {
            "region": node.code,
            "year": year,
            "quarter": quarter,
            "state": result.state,
            "scheme_version": result.scheme_version,
            "children": [
                {
                    "region": row.code,
                    "region_name": row.name,
                    "score": str(row.score),
                    "rank": row.rank,
                    "last_year_score": None if row.last_year is None else str(row.last_year),
                    "breakdown": [item.as_json() for item in row.items],
                }
                for row in result.rows
            ],
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
