"""The worker supervisor (manage.py run_workers) against the real database queue, with real processes: a worker
killed mid-import leaves nothing half-written and the job is retried; a task past its time limit is killed and
failed; a task left "running" by a crash or a reboot is picked up again; a task lost too often fails with a reason."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from zhaoshang.accounts.models import User
from zhaoshang.core.models import Job
from zhaoshang.core.ops import subprocess_env
from zhaoshang.core.tests.worker_tasks import write_rows
from zhaoshang.core.workers import worker_id_for

pytestmark = pytest.mark.django_db(transaction=True)


def enqueue(tmp_path, **kwargs):
    owner = User.objects.create(username=f"worker_test_{time.monotonic_ns()}")
    job = Job.objects.create(kind="demo", title="演示导入", owner=owner, path="530000")
    backend = DatabaseBackend(alias="default", params={})
    result = backend.enqueue(write_rows, (), {"job_id": job.pk, "marker": str(tmp_path / "marker"), **kwargs})
    return job, result.id


def start_workers(*args):
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_workers", "--processes", "1"]
    command += ["--interval", "0.2", "--retry-delay", "0", "--until-empty", "--max-seconds", "90", *args]
    return subprocess.Popen(command, env=subprocess_env(TASKS_BACKEND="database", DJANGO_ENV="test"))


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def drill_rows():
    return Job.objects.filter(kind="drill-row").count()


def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_job_is_retried(tmp_path):
    job, task_id = enqueue(tmp_path, rows=5)
    supervisor = start_workers("--max-attempts", "2")
    try:
        wait_for(lambda: (tmp_path / "marker").exists())
        row = DBTaskResult.objects.get(pk=task_id)
        assert row.status == "RUNNING" and drill_rows() == 0  # written, not committed
        os.kill(int(row.worker_ids[-1].rsplit(":", 1)[1]), signal.SIGKILL)
        assert supervisor.wait(timeout=90) == 0
    finally:
        supervisor.kill()
    row.refresh_from_db()
    job.refresh_from_db()
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2
    assert (job.status, job.result) == ("succeeded", {"写入": 5})
    assert drill_rows() == 5  # once: the killed attempt's rows were rolled back


def test_a_task_past_its_time_limit_is_killed_and_its_job_fails_with_the_reason(tmp_path):
    job, task_id = enqueue(tmp_path, rows=3, sleep=60)
    supervisor = start_workers("--time-limit", "2")
    try:
        assert supervisor.wait(timeout=90) == 0
    finally:
        supervisor.kill()
    row = DBTaskResult.objects.get(pk=task_id)
    job.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path.endswith("TimeLimitExceeded")
    assert job.status == "failed" and "超过时限 2 秒" in job.message
    assert drill_rows() == 0


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def leave_running(task_id, worker_ids):
    DBTaskResult.objects.filter(pk=task_id).update(status="RUNNING", worker_ids=worker_ids, started_at=timezone.now())
    Job.objects.filter(status="queued").update(status="running", done=3, total=5)


def test_a_task_left_running_by_a_crash_is_picked_up_again_at_start(tmp_path):
    (tmp_path / "marker").write_text("no sleep")
    job, task_id = enqueue(tmp_path, rows=2)
    leave_running(task_id, [worker_id_for(dead_pid())])
    supervisor = start_workers()
    try:
        assert supervisor.wait(timeout=90) == 0
    finally:
        supervisor.kill()
    row = DBTaskResult.objects.get(pk=task_id)
    job.refresh_from_db()
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2
    assert job.status == "succeeded" and drill_rows() == 2


def test_a_task_lost_as_often_as_it_may_run_fails_with_the_reason(tmp_path):
    job, task_id = enqueue(tmp_path, rows=2)
    leave_running(task_id, ["elsewhere:1", worker_id_for(dead_pid())])
    supervisor = start_workers("--max-attempts", "2")
    try:
        assert supervisor.wait(timeout=90) == 0
    finally:
        supervisor.kill()
    row = DBTaskResult.objects.get(pk=task_id)
    job.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path.endswith("WorkerLost")
    assert job.status == "failed" and "已不存在" in job.message and drill_rows() == 0
