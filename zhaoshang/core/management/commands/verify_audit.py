from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.audit import audit_verify
from zhaoshang.core.models import AuditLog


class Command(BaseCommand):
    help = "校验审计日志的哈希链，报告第一条被篡改的记录（有篡改时以非零状态退出）。"

    def handle(self, *args, **options):
        tampered = audit_verify()
        if tampered is not None:
            raise CommandError(
                f"审计记录 #{tampered.pk} 被篡改或链断裂（{tampered.created_at:%Y-%m-%d %H:%M:%S} "
                f"{tampered.actor_name} {tampered.action} {tampered.object_repr}）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {AuditLog.objects.count()} 条，哈希链校验通过"))
