"""Task workers for the database queue (django-tasks-db), with what the queue itself lacks: time limits, retries of
work interrupted by a lost worker, and recovery after a crash or a restart.

``manage.py run_workers`` is a supervisor: it starts ``--processes`` child processes, each running
django-tasks-db's worker loop under the id ``<host>:<pid>`` (claimed tasks record it), and every second it

- restarts a child that exited, and puts the task that child was running back in the queue (``TASKS_RETRY_DELAY``
  seconds later, doubling) until the task has been started ``TASKS_MAX_ATTEMPTS`` times, then marks it failed;
- kills a child whose task has run longer than ``TASKS_TIME_LIMIT`` and marks that task failed (a task that ran out
  of time would run out again);
- at start and every 30 s, finds tasks left "running" by workers that no longer exist: on this host a process id that
  is gone (a crash or a reboot), elsewhere a task older than the time limit plus a grace period (its machine died),
  and retries or fails them the same way.

The Job row the page polls follows: back to 排队中 with the reason when retried, 失败 with the reason when given up.
Retrying is safe because a task's writes are atomic (an import writes all or nothing) or idempotent.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

from zhaoshang.core.health import WORKERS_KEY

logger = logging.getLogger(__name__)

ORPHAN_GRACE = timedelta(minutes=2)
SWEEP_SECONDS = 30
HEARTBEAT_SECONDS = 10


class TimeLimitExceeded(Exception):
    """Recorded as the exception of a task killed for running past its time limit."""


class WorkerLost(Exception):
    """Recorded as the exception of a task whose worker died more often than the task may be retried."""


def host_label() -> str:
    return socket.gethostname()[:40]


def worker_id_for(pid: int) -> str:
    return f"{host_label()}:{pid}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _job_id(row) -> int | None:
    kwargs = (row.args_kwargs or {}).get("kwargs") or {}
    job_id = kwargs.get("job_id")
    return job_id if isinstance(job_id, int) else None


def task_requeue_or_fail(*, row, lost: bool, reason: str, max_attempts: int, retry_delay: int) -> str:
    """Put a task whose run ended abnormally back in the queue, or mark it failed. Returns "retried", "failed" or
    "" when another supervisor got there first (the update is conditional on the row being unchanged)."""
    from django_tasks_db.models import DBTaskResult

    from zhaoshang.core.models import Job, JobStatus

    now = timezone.now()
    attempts = len(row.worker_ids or [])
    unchanged = DBTaskResult.objects.filter(pk=row.pk, status="RUNNING", started_at=row.started_at)
    job = Job.objects.filter(pk=_job_id(row)).exclude(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED])
    if lost and attempts < max_attempts:
        delay = retry_delay * 2 ** max(0, attempts - 1)
        if not unchanged.update(status="READY", run_after=now + timedelta(seconds=delay)):
            return ""
        job.update(status=JobStatus.QUEUED, message=f"{reason}，{delay} 秒后重新运行（第 {attempts + 1} 次）"[:300])
        logger.warning("task %s %s: retry %d in %ds", row.pk, reason, attempts + 1, delay)
        return "retried"
    error = (WorkerLost if lost else TimeLimitExceeded)(reason)
    if not unchanged.update(
        status="FAILED",
        finished_at=now,
        exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
        traceback=f"{type(error).__qualname__}: {reason}（已运行 {attempts} 次）",
        return_value=None,
    ):
        return ""
    job.update(status=JobStatus.FAILED, message=f"{reason}，任务已停止"[:300], finished_at=now)
    logger.error("task %s failed: %s", row.pk, reason)
    return "failed"


@dataclass
class Child:
    process: subprocess.Popen
    worker_id: str = field(init=False)

    def __post_init__(self):
        self.worker_id = worker_id_for(self.process.pid)


class Supervisor:
    def __init__(
        self,
        *,
        processes: int,
        queues: str = "default",
        time_limit: int | None = None,
        max_attempts: int | None = None,
        retry_delay: int | None = None,
        interval: float = 1.0,
        max_tasks_per_child: int = 200,
        until_empty: bool = False,
        max_seconds: float | None = None,
        shutdown_grace: float = 30.0,
    ):
        self.processes = processes
        self.queues = queues
        self.time_limit = time_limit if time_limit is not None else settings.TASKS_TIME_LIMIT
        self.max_attempts = max_attempts if max_attempts is not None else settings.TASKS_MAX_ATTEMPTS
        self.retry_delay = retry_delay if retry_delay is not None else settings.TASKS_RETRY_DELAY
        self.interval = interval
        self.max_tasks_per_child = max_tasks_per_child
        self.until_empty = until_empty
        self.max_seconds = max_seconds
        self.shutdown_grace = shutdown_grace
        self.children: list[Child] = []
        self.running = True
        self.host = host_label()
        self.label = f"{self.host}:{os.getpid()}"

    # --- children ---------------------------------------------------------------------------------------------
    def spawn(self) -> Child:
        manage = Path(settings.BASE_DIR) / "manage.py"
        command = [sys.executable, str(manage), "run_workers", "--child", "--queue-name", self.queues]
        command += ["--interval", str(self.interval), "--max-tasks-per-child", str(self.max_tasks_per_child)]
        child = Child(subprocess.Popen(command, env=os.environ.copy()))
        logger.info("worker %s started", child.worker_id)
        return child

    def stop(self, signum=None, frame=None) -> None:
        self.running = False

    # --- the loop ---------------------------------------------------------------------------------------------
    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        started = time.monotonic()
        self.sweep_orphans()
        self.children = [self.spawn() for _ in range(self.processes)]
        last_sweep = last_beat = 0.0
        try:
            while self.running:
                close_old_connections()
                now = time.monotonic()
                if now - last_beat >= HEARTBEAT_SECONDS:
                    self.heartbeat()
                    last_beat = now
                self.check_children()
                self.enforce_time_limits()
                if now - last_sweep >= SWEEP_SECONDS:
                    self.sweep_orphans()
                    self.reap_stale_jobs()
                    last_sweep = now
                if self.until_empty and not self.pending():
                    break
                if self.max_seconds is not None and now - started > self.max_seconds:
                    logger.error("run_workers: --max-seconds reached with tasks still pending")
                    break
                time.sleep(self.interval)
        finally:
            self.shutdown()

    def pending(self) -> bool:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()

    def heartbeat(self) -> None:
        try:
            beats = cache.get(WORKERS_KEY) or {}
            beats = {key: beat for key, beat in beats.items() if time.time() - beat < 300}
            beats[self.label] = time.time()
            cache.set(WORKERS_KEY, beats, 600)
        except Exception:  # the cache being down must not stop the workers
            logger.warning("run_workers: heartbeat not written", exc_info=True)

    def running_rows(self):
        from django_tasks_db.models import DBTaskResult

        return list(DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "args_kwargs"))

    def check_children(self) -> None:
        for index, child in enumerate(self.children):
            code = child.process.poll()
            if code is None:
                continue
            for row in self.running_rows():
                if row.worker_ids and row.worker_ids[-1] == child.worker_id:
                    self.requeue_or_fail(row, lost=True, reason=f"后台进程 {child.worker_id} 在运行中退出（{code}）")
            if self.running:
                self.children[index] = self.spawn()

    def enforce_time_limits(self) -> None:
        deadline = timezone.now() - timedelta(seconds=self.time_limit)
        ours = {child.worker_id: child for child in self.children}
        for row in self.running_rows():
            child = ours.get(row.worker_ids[-1] if row.worker_ids else "")
            if child is None or row.started_at is None or row.started_at >= deadline:
                continue
            child.process.kill()
            child.process.wait()
            self.requeue_or_fail(row, lost=False, reason=f"任务运行超过时限 {self.time_limit} 秒，已终止")
            self.children[self.children.index(child)] = self.spawn()

    def sweep_orphans(self) -> None:
        """Tasks marked running by workers that are gone: crashed processes on this host, dead machines elsewhere."""
        ours = {child.worker_id for child in self.children}
        too_old = timezone.now() - timedelta(seconds=self.time_limit) - ORPHAN_GRACE
        for row in self.running_rows():
            last = row.worker_ids[-1] if row.worker_ids else ""
            host, _, pid = last.rpartition(":")
            if last in ours:
                continue
            if host == self.host and pid.isdigit() and not pid_alive(int(pid)):
                self.requeue_or_fail(row, lost=True, reason=f"后台进程 {last} 已不存在（崩溃或重启）")
            elif row.started_at is not None and row.started_at < too_old:
                self.requeue_or_fail(row, lost=True, reason=f"后台进程 {last} 超时未结束（所在机器可能已停止）")

    def reap_stale_jobs(self) -> None:
        """Jobs whose task is gone altogether (e.g. started under the immediate backend by a process that died) are
        the job reaper's (core.jobs.jobs_reap_stale, issue 13) — run it here too."""
        from zhaoshang.core import jobs

        reap = getattr(jobs, "jobs_reap_stale", None)
        if reap is not None:
            try:
                reap()
            except Exception:
                logger.exception("jobs_reap failed")

    def requeue_or_fail(self, row, *, lost: bool, reason: str) -> str:
        return task_requeue_or_fail(
            row=row, lost=lost, reason=reason, max_attempts=self.max_attempts, retry_delay=self.retry_delay
        )

    def shutdown(self) -> None:
        """Ask children to finish their current task (SIGTERM), wait, then kill and requeue what is left."""
        for child in self.children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.shutdown_grace
        for child in self.children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        close_old_connections()
        ours = {child.worker_id for child in self.children}
        for row in self.running_rows():
            if row.worker_ids and row.worker_ids[-1] in ours:
                self.requeue_or_fail(row, lost=True, reason="后台进程停止时任务未完成")


def run_child(*, queues: str, interval: float, max_tasks: int | None) -> None:
    """One worker process: django-tasks-db's loop under the id ``<host>:<pid>``."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=queues.split(","),
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id_for(os.getpid()),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
