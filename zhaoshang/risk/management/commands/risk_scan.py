"""For the scheduler (daily; ``--queue`` hands it to the workers): the risk scan over all projects."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.risk.services import risk_scan


class Command(BaseCommand):
    help = "按启用的风险规则扫描全部项目，新增、更新预警并标记条件已消除的预警（可重复运行，不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="交给后台任务队列执行（调度器使用），而不是在本进程中执行"
        )
        parser.add_argument("--date", default="", help="扫描日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--rule", action="append", default=[], help="只运行指定规则代码，可多次给出")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("日期格式应为 YYYY-MM-DD") from error
        if options["queue"]:
            from zhaoshang.risk.tasks import risk_scan_task

            risk_scan_task.enqueue(today=today.isoformat() if today else "")
            self.stdout.write("已加入后台任务队列")
            return
        result = risk_scan(today=today, codes=options["rule"] or None)
        for code, counts in result.rules.items():
            self.stdout.write(
                f"{code}: 发现{counts['found']} 新增{counts['created']} "
                f"更新{counts['updated']} 条件已消除{counts['cleared']}"
            )
        self.stdout.write(f"合计：新增{result.created}，更新{result.updated}，条件已消除{result.cleared}")
