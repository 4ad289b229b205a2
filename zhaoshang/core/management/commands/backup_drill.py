import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.core.backup import BackupError, backup_drill


class Command(BaseCommand):
    help = "备份与恢复演练：备份数据库和上传文件（含 SHA-256），恢复到新库，校验审计链、逐表行数和文件，报告用时。"

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, help="folder for the backup (default VAR_DIR/backups/drill-<time>)")
        parser.add_argument("--keep", action="store_true", help="keep the restored database and files")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        dest = options["dest"] or Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("drill-%Y%m%d-%H%M%S")
        try:
            report = backup_drill(dest=dest, keep=options["keep"])
        except BackupError as error:
            raise CommandError(f"演练失败：{error}") from error
        if options["json"]:
            steps = [{"step": label, "seconds": round(seconds, 3)} for label, seconds in report.steps]
            self.stdout.write(
                json.dumps({**report.facts, "steps": steps, "seconds": round(report.seconds, 3)}, ensure_ascii=False)
            )
            return
        for label, seconds in report.steps:
            self.stdout.write(f"{seconds:8.2f} s  {label}")
        facts = report.facts
        self.stdout.write(
            self.style.SUCCESS(
                f"演练通过（{facts['vendor']}）：{facts['tables']} 张表 {facts['rows']} 行、"
                f"审计 {facts['audit_rows']} 条、文件 {facts['files']} 个，恢复一致；"
                f"共用时 {report.seconds:.2f} 秒。备份在 {facts['backup']}"
            )
        )
