import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from zhaoshang.chains.models import ChainNode, IndustryChain
from zhaoshang.chains.selectors import area_of
from zhaoshang.chains.targeting_selectors import targeting_for


class Command(BaseCommand):
    help = "靶向寻商：按地区和产业链（可指定节点）打印排名前 N 的候选企业、得分和推荐理由（与页面、接口相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="行政区划或园区代码，如 532302")
        parser.add_argument("--chain", required=True, help="产业链名称、简称或编码，如 绿色硅")
        parser.add_argument("--node", default="", help="节点名称或标识，如 多晶硅（含其下级节点）")
        parser.add_argument("--top", type=int, default=20)
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, region, chain, node, top, year, **options):
        from django.utils import timezone

        from zhaoshang.regions.models import Park, Region

        place = Region.objects.filter(code=region).first() or Park.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"找不到地区或园区：{region}")
        found = IndustryChain.objects.current().filter(Q(name=chain) | Q(short_name=chain) | Q(code=chain)).first()
        if found is None:
            raise CommandError(f"找不到产业链：{chain}")
        picked = None
        if node:
            picked = ChainNode.objects.filter(chain=found).filter(Q(name=node) | Q(key=node)).first()
            if picked is None:
                raise CommandError(f"{found.short_name}产业链没有节点：{node}")
        t = targeting_for(chain=found, area=area_of(place), year=year or timezone.localdate().year, node=picked)
        rows = [
            {
                "enterprise": r["enterprise"],
                "credit_code": r["credit_code"],
                "stock_code": r["stock_code"],
                "score": r["score"],
                "reasons": r["reasons"],
            }
            for r in t.payload(max(top, 1))
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for rank, r in enumerate(rows, start=1):
            self.stdout.write(f"{rank:>3}. {r['enterprise']}  {r['score']:.3f}  {'；'.join(r['reasons'])}")
