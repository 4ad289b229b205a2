from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.accounts.models import User
from zhaoshang.catalog.importers import credit_blacklist_import
from zhaoshang.core.uploads import size_text, upload_limits


class Command(BaseCommand):
    help = "从 Excel 导入失信主体名单（全部成功才写入；出错时列出 第N行 字段: 原因）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help=".xlsx 文件，表头：统一社会信用代码、市场主体名称、列入日期、认定部门、失信情形、移出日期"
        )
        parser.add_argument("--actor", required=True, help="执行导入的用户名（写入审计日志）")

    def handle(self, *args, path, actor, **options):
        user = User.objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"用户不存在：{actor}")
        try:
            limit = upload_limits().max_bytes  # the same limits as every import (core.uploads), the size first
            if Path(path).stat().st_size > limit:
                raise CommandError(f"文件过大，不能超过 {size_text(limit)}：{path}")
            content = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from None
        result = credit_blacklist_import(content=content, actor=user, filename=Path(path).name)
        if not result.ok:
            raise CommandError("导入失败，未写入任何记录：\n" + "\n".join(result.errors))
        self.stdout.write(f"失信主体名单：新增 {result.created}，更新 {result.updated}")
