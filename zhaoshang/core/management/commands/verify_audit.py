from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.audit import audit_verify, checkpoint_initialise, checkpoint_latest, checkpoint_path
from zhaoshang.core.models import AuditLog


class Command(BaseCommand):
    help = (
        "校验审计日志的哈希链，并与库外的检查点文件核对，报告第一条被篡改、被删除的记录"
        "（有篡改或删除时以非零状态退出）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--init-checkpoint",
            action="store_true",
            help="检查点文件尚无记录时（首次启用），校验通过后把当前链头写入检查点文件",
        )

    def handle(self, *args, **options):
        if options["init_checkpoint"]:
            problem = checkpoint_initialise()
            if problem is not None:
                raise CommandError(problem.message)
            self.stdout.write(self.style.SUCCESS(f"已写入首个审计检查点：{checkpoint_path()}"))
            return
        problem = audit_verify()
        if problem is not None:
            raise CommandError(problem.message)
        checkpoint, _ = checkpoint_latest()
        against = f"，与检查点文件一致（至 #{checkpoint['last_id']}）" if checkpoint else ""
        self.stdout.write(
            self.style.SUCCESS(f"审计日志完整：共 {AuditLog.objects.count()} 条，哈希链校验通过{against}")
        )
