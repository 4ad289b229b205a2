"""Whose personal information did an account see or export between two dates (core.pii_access)."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhaoshang.core.pii_access import pii_access


def day(text: str) -> datetime:
    try:
        return timezone.make_aware(datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time.min))
    except ValueError:
        raise CommandError(f"日期应为 YYYY-MM-DD：{text}") from None


class Command(BaseCommand):
    help = "查询某账户在一段时间内查看或导出了哪些人的个人信息"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="账号")
        parser.add_argument("--from", dest="start", required=True, help="起始日期 YYYY-MM-DD（含）")
        parser.add_argument("--to", dest="end", required=True, help="截止日期 YYYY-MM-DD（含）")

    def handle(self, *args, user, start, end, **options):
        start_at, end_at = day(start), day(end) + timedelta(days=1)
        if end_at <= start_at:
            raise CommandError("截止日期早于起始日期")
        found = pii_access(username=user, start=start_at, end=end_at)
        self.stdout.write(f"账户 {user} 在 {start} 至 {end} 查看或导出个人信息 {len(found)} 人次")
        for a in found:
            self.stdout.write(
                "\t".join(
                    [
                        timezone.localtime(a.at).strftime("%Y-%m-%d %H:%M:%S"),
                        a.action_label,
                        f"{a.subject_type}#{a.subject_id}",
                        a.subject,
                        a.fields,
                        a.reason,
                        a.ip,
                        f"审计记录#{a.row_id}",
                    ]
                )
            )
