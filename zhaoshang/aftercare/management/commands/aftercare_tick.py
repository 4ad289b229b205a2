"""For the scheduler (cron or a systemd timer, several times a working day): queue the aftercare clock.

python manage.py aftercare_tick            # queue the task for the workers (run_workers)
python manage.py aftercare_tick --now      # run it here and print what it did
"""

from django.core.management.base import BaseCommand

from zhaoshang.aftercare.tasks import aftercare_tick_task


class Command(BaseCommand):
    help = "企业服务时限检查：时限提醒、超时督办、逐级上报、承诺条件与逾期"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="在本进程中立即执行，而不是交给后台任务队列")
        parser.add_argument("--today", default="", help="按指定日期检查（YYYY-MM-DD，用于补跑）")

    def handle(self, *args, **options):
        if options["now"]:
            result = aftercare_tick_task.call(today=options["today"])
            self.stdout.write(f"诉求 {result['tickets']} 件，处理 {result['actions']} 项；承诺 {result['promises']} 项")
        else:
            aftercare_tick_task.enqueue(today=options["today"])
            self.stdout.write("已加入后台任务队列")
