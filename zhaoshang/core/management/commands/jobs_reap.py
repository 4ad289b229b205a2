from django.core.management.base import BaseCommand

from zhaoshang.core.jobs import jobs_reap_stale


class Command(BaseCommand):
    help = "把中断的后台任务（超过 JOB_STALE_MINUTES 分钟没有进展）标记为失败并写明原因。可作为定时任务运行。"

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=None, help="无进展多少分钟判定中断（默认取设置）")

    def handle(self, *args, minutes=None, **options):
        reaped = jobs_reap_stale(minutes=minutes)
        self.stdout.write(f"标记中断任务 {len(reaped)} 个" + (f"：{', '.join(map(str, reaped))}" if reaped else ""))
