from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.core.workers import Supervisor, run_child


class Command(BaseCommand):
    help = "启动后台任务进程（数据库任务队列）：超时终止、进程中断后重试、崩溃或重启后恢复。"

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=int(getattr(settings, "TASKS_WORKERS", 2)))
        parser.add_argument("--queue-name", default="default", help="queues, comma-separated")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an idle worker")
        parser.add_argument("--time-limit", type=int, default=None, help="seconds (default TASKS_TIME_LIMIT)")
        parser.add_argument("--max-attempts", type=int, default=None, help="default TASKS_MAX_ATTEMPTS")
        parser.add_argument("--retry-delay", type=int, default=None, help="seconds (default TASKS_RETRY_DELAY)")
        parser.add_argument("--max-tasks-per-child", type=int, default=200, help="a child is replaced after N tasks")
        parser.add_argument("--until-empty", action="store_true", help="stop when no task is waiting or running")
        parser.add_argument("--max-seconds", type=float, default=None, help="stop after this long in any case")
        parser.add_argument("--child", action="store_true", help="(internal) run one worker process")

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db"):
            raise CommandError(f"TASKS_BACKEND 不是数据库任务队列（当前为 {backend}）：请设置 TASKS_BACKEND=database")
        if options["child"]:
            run_child(
                queues=options["queue_name"], interval=options["interval"], max_tasks=options["max_tasks_per_child"]
            )
            return
        Supervisor(
            processes=options["processes"],
            queues=options["queue_name"],
            time_limit=options["time_limit"],
            max_attempts=options["max_attempts"],
            retry_delay=options["retry_delay"],
            interval=options["interval"],
            max_tasks_per_child=options["max_tasks_per_child"],
            until_empty=options["until_empty"],
            max_seconds=options["max_seconds"],
        ).run()
