from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.accounts.models import User
from zhaoshang.investors.demo import seed_demo_activities


class Command(BaseCommand):
    help = "为各州市、县市区投资促进局生成演示招商活动。仅开发与测试模式；已有演示活动时不再生成。"

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产模式下生成")
        actor = User.objects.filter(username="province_admin").first()
        if actor is None:
            raise CommandError("请先运行 create_demo_accounts")
        self.stdout.write(f"演示招商活动：新增 {seed_demo_activities(actor=actor)} 条")
