from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.core.backup import BackupError, Report, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件到一个文件夹（manifest.json 记录行数和每个文件的 SHA-256，"
        "SHA256SUMS 可用 sha256sum -c 校验）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, help="default VAR_DIR/backups/<time>")

    def handle(self, *args, **options):
        dest = options["dest"] or Path(settings.VAR_DIR) / "backups" / timezone.now().strftime("%Y%m%d-%H%M%S")
        report = Report()
        try:
            manifest = backup_create(dest=dest, report=report)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for label, seconds in report.steps:
            self.stdout.write(f"{seconds:8.2f} s  {label}")
        self.stdout.write(self.style.SUCCESS(f"备份完成：{dest}（{sum(manifest['tables'].values())} 行）"))
