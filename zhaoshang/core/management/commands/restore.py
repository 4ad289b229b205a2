from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.backup import (
    BackupError,
    restore_database,
    restore_files,
    restored_counts,
    verify_audit_in,
    verify_checksums,
)


class Command(BaseCommand):
    help = (
        "从 backup 的文件夹恢复到一个空的数据库（PostgreSQL 空库或不存在的 SQLite 文件）和文件夹，"
        "并核对行数、审计链和文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--database-url", required=True, help="an empty database: postgres://… or sqlite:////path")
        parser.add_argument("--files-dir", type=Path, required=True, help="where media/ and attachments/ go")

    def handle(self, *args, source, database_url, files_dir, **options):
        try:
            manifest = verify_checksums(source)
            restore_database(source=source, manifest=manifest, target_url=database_url)
            counts = restored_counts(manifest=manifest, target_url=database_url)
            if counts != manifest["tables"]:
                raise BackupError("恢复后行数与备份不符")
            audit = verify_audit_in(database_url, checkpoints=source / "audit_checkpoints.log")
            files = restore_files(source=source, manifest=manifest, target=files_dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{sum(counts.values())} 行，{files} 个文件；{audit}"))
