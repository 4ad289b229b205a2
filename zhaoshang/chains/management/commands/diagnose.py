import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from zhaoshang.chains.models import IndustryChain
from zhaoshang.chains.selectors import area_of, diagnosis_for, diagnosis_payload


class Command(BaseCommand):
    help = "产业链诊断：打印某地区某产业链每个节点的等级、建议动作和各项数字（与页面、接口相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="行政区划代码或园区编码，如 532300")
        parser.add_argument("--chain", required=True, help="产业链名称、简称或编码，如 绿色硅")
        parser.add_argument("--year", type=int, default=None, help="年度，默认今年")
        parser.add_argument(
            "--chain-version", dest="chain_version", type=int, default=None, help="版本号，默认现行版本"
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, region: str, chain: str, year: int | None, chain_version: int | None, **options):
        from zhaoshang.regions.models import Park, Region

        place = Region.objects.filter(code=region).first() or Park.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"找不到地区或园区：{region}")
        rows = IndustryChain.objects.filter(Q(name=chain) | Q(short_name=chain) | Q(code=chain))
        found = rows.filter(version=chain_version).first() if chain_version else rows.current().first()
        if found is None:
            raise CommandError(f"找不到产业链：{chain}" + (f" 第{chain_version}版" if chain_version else ""))
        year = year or timezone.localdate().year
        diagnosis = diagnosis_for(chain=found, area=area_of(place), year=year)
        payload = diagnosis_payload(diagnosis)
        if options["format"] == "json":
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{payload['region']['name']} · {payload['chain']['name']}（第{payload['chain']['version']}版）· {year}年"
            f"  本地企业 {payload['region_enterprises']} 家，基准（{payload['base']}）{payload['base_enterprises']} 家"
        )
        for node in payload["nodes"]:
            indent = "  " * (node["level"] - 1)
            self.stdout.write(
                f"{indent}{node['name']}：{node['grade_label']}  {node['action_label']}  企业{node['enterprises']} "
                f"区位熵{node['lq'] or '—'} HHI{node['hhi'] or '—'} CR4{node['cr4'] or '—'} 链主{node['leaders']} "
                f"签约{node['signed_wan']}万元 到位{node['funds_wan']}万元 ｜ {node['grade_reason']}"
            )
