from django.conf import settings
from django.core.management.base import BaseCommand

from zhaoshang.accounts.services import accounts_disable_inactive


class Command(BaseCommand):
    help = "停用超过 ACCOUNT_INACTIVE_DAYS 天未使用的账户，并结束其全部会话和 API 令牌。可作为定时任务每天运行。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="闲置多少天停用（默认取设置 ACCOUNT_INACTIVE_DAYS）")

    def handle(self, *args, days=None, **options):
        days = settings.ACCOUNT_INACTIVE_DAYS if days is None else days
        disabled = accounts_disable_inactive(days=days)
        names = f"：{'、'.join(disabled)}" if disabled else ""
        self.stdout.write(f"停用闲置超过 {days} 天的账户 {len(disabled)} 个{names}")
