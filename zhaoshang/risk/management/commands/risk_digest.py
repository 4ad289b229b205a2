from datetime import date

from django.core.management.base import BaseCommand, CommandError

from zhaoshang.risk.services import risk_digest


class Command(BaseCommand):
    help = "向各级投资促进局发送风险预警周报（站内消息，并按邮箱发送邮件）"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="周报日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("日期格式应为 YYYY-MM-DD") from error
        self.stdout.write(f"已发送风险预警周报 {risk_digest(today=today)} 条")
