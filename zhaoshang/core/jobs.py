"""Background jobs with progress: a Job row the page polls, and the task that fills it.

A view calls ``job_start`` with a ``django.tasks`` task; the task calls ``job_run(job_id, work)``, where ``work``
receives a ``Progress`` to report through. With the Immediate backend (the default) the task runs when the
request's transaction commits; with a worker backend (Redis + RQ) it runs elsewhere and the page polls.
"""

import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import ROOT_PATH, audit_record
from zhaoshang.core.models import Job, JobStatus

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """Raised by work that ends with errors to show (e.g. an import's row errors); the job is marked failed."""

    def __init__(self, message: str, errors: list[str] | None = None):
        super().__init__(message)
        self.errors = errors or []


class Progress:
    def __init__(self, job: Job):
        self.job = job

    def step(self, done: int, total: int | None = None, message: str = "") -> None:
        # A plain UPDATE, so that a poll from another connection sees it while validation runs.
        fields = {"done": done, "message": message[:300], "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def save_file(self, name: str, content: bytes) -> None:
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)


def job_start(*, actor, kind: str, title: str, task, upload=None, **kwargs) -> Job:
    job = Job.objects.create(kind=kind, title=title, owner=actor, path=actor.scope_path or ROOT_PATH)
    if upload is not None:
        job.input_file.save(upload.name, upload, save=True)
    audit_record(actor=actor, action="job_start", obj=job, after={"kind": kind, **kwargs})
    transaction.on_commit(lambda: task.enqueue(job_id=job.pk, **kwargs))
    return job


def job_run(job_id: int, work: Callable[[Progress], dict]) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    try:
        result = work(Progress(job)) or {}
    except JobFailed as failure:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=str(failure)[:300], errors=failure.errors, finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message="任务出错，未写入任何数据；请联系系统管理员", finished_at=timezone.now()
        )
        return
    job.refresh_from_db(fields=["total"])
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.SUCCEEDED, result=result, done=job.total, message="完成", finished_at=timezone.now()
    )


STALE_MESSAGE = "任务中断：超过 {minutes} 分钟没有进展（服务重启或进程被终止），已判定失败；请重新提交"


def jobs_reap_stale(*, now=None, minutes: int | None = None) -> list[int]:
    """Mark failed, with the reason, the jobs that died mid-run: running without a progress heartbeat for
    ``JOB_STALE_MINUTES`` (a job started before heartbeats existed counts from its creation), or queued for four
    times that since its creation or its last heartbeat (no worker took it, or none took it back after a retry put
    it back in the queue). One audit row per job marked. Returns their ids.

    Run when a job list or page loads and by ``manage.py jobs_reap`` (a periodic job). A job marked here that
    was in fact alive and finishes later is still recorded as finished: its own last write wins."""
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    minutes = settings.JOB_STALE_MINUTES if minutes is None else minutes
    now = now or timezone.now()
    conditions = {
        JobStatus.RUNNING: Q(status=JobStatus.RUNNING, last_sign__lt=now - timedelta(minutes=minutes)),
        JobStatus.QUEUED: Q(status=JobStatus.QUEUED, last_sign__lt=now - timedelta(minutes=4 * minutes)),
    }
    jobs = Job.objects.annotate(last_sign=Coalesce("heartbeat_at", "created_at"))
    stale = jobs.filter(conditions[JobStatus.RUNNING] | conditions[JobStatus.QUEUED])
    message = STALE_MESSAGE.format(minutes=minutes)
    reaped = []
    for job in stale.only("pk", "status", "path", "title", "kind", "done", "total"):
        # Conditional on what was read: a job that reported progress meanwhile is left alone.
        changed = jobs.filter(conditions[job.status], pk=job.pk).update(
            status=JobStatus.FAILED, message=message, finished_at=now
        )
        if changed:
            audit_record(
                actor=None,
                action="job_reaped",
                obj=job,
                path=job.path,
                before={"status": job.status, "done": job.done, "total": job.total},
                after={"status": JobStatus.FAILED, "reason": message},
            )
            reaped.append(job.pk)
    return reaped
