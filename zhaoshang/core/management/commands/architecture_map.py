from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from zhaoshang.core.architecture import architecture_map, readme_with_map


class Command(BaseCommand):
    help = "打印（或以 --write 写入 README.md）由代码生成的应用分层图"

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="替换 README.md 中的分层图")

    def handle(self, *args, write: bool = False, **options):
        if not write:
            self.stdout.write(architecture_map())
            return
        readme = Path(settings.BASE_DIR) / "README.md"
        readme.write_text(readme_with_map(readme.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write("README.md 分层图已更新")
