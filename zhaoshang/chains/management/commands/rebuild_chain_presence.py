from django.core.management.base import BaseCommand, CommandError

from zhaoshang.chains.presence import presence_differences, presence_rebuild


class Command(BaseCommand):
    help = (
        "重新计算产业诊断用的节点在地项目表和在省企业表（由挂链和项目数据全量重算）。"
        "批量导入绕过业务服务后、或核对发现不一致时运行；--check 只核对，不修改。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对现有表与全量重算是否一致，不一致时退出码为1")

    def handle(self, *args, check: bool = False, **options):
        if check:
            problems = presence_differences()
            for line in problems[:50]:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"诊断用在地表与全量重算不一致：{len(problems)} 处")
            self.stdout.write("诊断用在地表与全量重算一致")
            return
        rows, investors = presence_rebuild()
        self.stdout.write(f"已重算：节点在地项目 {rows} 行，节点在省企业 {investors} 行")
