from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.audit import audit_verify
from zhaoshang.core.models import AuditLog


class Command(BaseCommand):
    help = "校验审计日志的哈希链，报告第一条被篡改的记录（有篡改时以非零状态退出）。"

    def handle(self, *args, **options):
        problem = audit_verify()
        if problem is not None:
            raise CommandError(problem.message)
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {AuditLog.objects.count()} 条，哈希链校验通过"))
