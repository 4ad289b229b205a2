"""Delete personal information kept past its period (settings.PII_RETENTION_DAYS); run daily."""

from django.core.management.base import BaseCommand

from zhaoshang.core.retention import RULES, pii_purge, retention_days


class Command(BaseCommand):
    help = "清理超过保存期限的个人信息（期限见 PII_RETENTION_DAYS），每日运行"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run=False, **options):
        days = {rule.label: retention_days(rule.key) for rule in RULES.values()}
        for label, count in pii_purge(dry_run=dry_run).items():
            verb = "将清理" if dry_run else "已清理"
            self.stdout.write(f"{label}（保存 {days[label]} 天）：{verb} {count}")
