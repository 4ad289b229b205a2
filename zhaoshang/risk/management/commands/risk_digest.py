"""For the scheduler (weekly, e.g. Monday 08:00; ``--queue`` hands it to the workers): the risk digest."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.risk.services import risk_digest


class Command(BaseCommand):
    help = "向各级投资促进局发送风险预警周报（站内消息，并按邮箱发送邮件）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="交给后台任务队列执行（调度器使用），而不是在本进程中执行"
        )
        parser.add_argument("--date", default="", help="周报日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("日期格式应为 YYYY-MM-DD") from error
        if options["queue"]:
            from zhaoshang.risk.tasks import risk_digest_task

            risk_digest_task.enqueue(today=today.isoformat() if today else "")
            self.stdout.write("已加入后台任务队列")
            return
        self.stdout.write(f"已发送风险预警周报 {risk_digest(today=today)} 条")
