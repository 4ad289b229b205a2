import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.regions.models import Region
from zhaoshang.stats.choices import INDICATORS
from zhaoshang.stats.indicators import Period, progress_report


class Command(BaseCommand):
    help = "打印某辖区某年1至M月某指标的序时进度（目标、实际、同比、完成进度、时序进度、超/滞后百分点和通报语句）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="6位区划代码，如 532300")
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)
        parser.add_argument("--indicator", help="指标代码，见 --list-indicators")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--list-indicators", action="store_true", help="列出指标代码")

    def handle(self, *args, **options):
        if options["list_indicators"]:
            for code, spec in INDICATORS.items():
                self.stdout.write(f"{code}\t{spec.name}")
            return
        missing = [name for name in ("region", "year", "month", "indicator") if options[name] in (None, "")]
        if missing:
            raise CommandError("缺少参数：" + "、".join(f"--{name}" for name in missing))
        if options["indicator"] not in INDICATORS:
            raise CommandError(f"未知指标：{options['indicator']}（用 --list-indicators 查看）")
        if not 1 <= options["month"] <= 12:
            raise CommandError("--month 应为 1—12")
        node = Region.objects.filter(code=options["region"]).first()
        if node is None:
            raise CommandError(f"没有区划代码 {options['region']}")
        report = progress_report(options["indicator"], node, Period(options["year"], options["month"]))
        if options["format"] == "text":
            self.stdout.write(report["sentence"])
            return
        self.stdout.write(json.dumps(as_json(report), ensure_ascii=False))


PERCENT_FIELDS = {"growth_target_pct", "growth_pct", "completion_pct", "elapsed_pct", "ahead_points"}


def as_json(report: dict) -> dict:
    """Percentages (one decimal, as printed) as JSON numbers; counts as integers; amounts as exact decimal strings
    in 万元 (never through float)."""
    result = {}
    for key, value in report.items():
        if isinstance(value, Decimal):
            if key in PERCENT_FIELDS:
                value = float(value)
            elif report["unit"] == "个":
                value = int(value)
            else:
                value = f"{value.quantize(Decimal('0.01')):f}"
        result[key] = value
    return result
