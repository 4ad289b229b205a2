from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.stats.demo import seed_demo_scheme, seed_demo_targets


class Command(BaseCommand):
    help = "为全省、各州市、县市区生成演示目标（近三年）和本年度演示考核方案。仅开发与测试模式；可重复运行，不会重复。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产模式下生成")
        year = timezone.localdate().year
        created = seed_demo_targets(years=[year - 2, year - 1, year], seed=seed)
        self.stdout.write(f"演示目标：新增 {created} 条")
        if seed_demo_scheme(year=year):
            self.stdout.write(f"演示考核方案：{year}年")
