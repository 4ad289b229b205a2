from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "投资云南演示内容：全省、楚雄、禄丰的投资指南，三个园区和禄丰、楚雄的招商项目（已审核发布）"

    def handle(self, *args, **options):
        from zhaoshang.accounts.models import User
        from zhaoshang.portal.demo import seed_demo_portal

        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产模式下生成")
        if not User.objects.filter(username="lufeng_officer").exists():
            raise CommandError("请先运行 load_reference_data 和 create_demo_accounts")
        counts = seed_demo_portal()
        self.stdout.write("投资云南演示内容：" + "，".join(f"{k} {v}" for k, v in counts.items()))
