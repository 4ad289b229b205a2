from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "创建演示账号（仅开发与测试模式）。可重复运行。"

    def handle(self, *args, **options):
        try:
            created = create_demo_accounts()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"演示账号: 新建 {len(created)} 个，共 {len(DEMO_ACCOUNTS)} 个，密码 {DEMO_PASSWORD}")
