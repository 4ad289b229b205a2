"""A job whose process died mid-run does not stay "running 60 %" forever (issue 13 item 9): without a progress
heartbeat for JOB_STALE_MINUTES it is marked failed with the reason, when a job page loads and by
``manage.py jobs_reap``."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhaoshang.core.jobs import Progress, job_run, jobs_reap_stale
from zhaoshang.core.models import AuditLog, Job, JobStatus
from zhaoshang.core.testing import persona

pytestmark = pytest.mark.django_db


def killed_job(minutes_ago: int, *, status=JobStatus.RUNNING) -> Job:
    """A job that reported 60 % and then lost its process (a deploy, an out-of-memory kill)."""
    job = Job.objects.create(
        kind="demo", title="导入项目", owner=persona("lufeng_officer"), path="530000/532300/532302", status=status
    )
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Job.objects.filter(pk=job.pk).update(done=60, total=100, heartbeat_at=at, created_at=at)
    return job


def test_the_job_list_marks_a_job_killed_mid_run_as_failed_with_the_reason(as_persona):
    job = killed_job(16)
    page = as_persona("lufeng_officer").get("/jobs/")
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "任务中断" in job.message and "15 分钟" in job.message
    row = AuditLog.objects.filter(action="job_reaped").latest("id")
    assert row.object_id == str(job.pk) and row.before["status"] == "running"


def test_the_job_page_polled_by_the_browser_stops_at_the_failure(as_persona):
    job = killed_job(30)
    html = as_persona("lufeng_officer").get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="failed"' in html and "任务中断" in html and "hx-trigger" not in html


def test_a_job_that_reports_progress_is_left_running(as_persona):
    job = killed_job(16)
    Progress(job).step(61, 100, "继续")  # the heartbeat moves with every step
    as_persona("lufeng_officer").get("/jobs/")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.heartbeat_at > timezone.now() - timedelta(minutes=1)


def test_the_stale_limit_is_a_setting(settings):
    settings.JOB_STALE_MINUTES = 60
    job = killed_job(30)
    assert jobs_reap_stale() == []
    settings.JOB_STALE_MINUTES = 20
    assert jobs_reap_stale() == [job.pk]


def test_a_job_no_worker_ever_took_is_failed_after_four_times_the_limit():
    waiting = killed_job(30, status=JobStatus.QUEUED)
    forgotten = killed_job(61, status=JobStatus.QUEUED)
    assert jobs_reap_stale() == [forgotten.pk]
    waiting.refresh_from_db()
    assert waiting.status == JobStatus.QUEUED


def test_the_command_reaps_and_says_how_many():
    job = killed_job(16)
    out = io.StringIO()
    call_command("jobs_reap", stdout=out)
    assert "1 个" in out.getvalue() and str(job.pk) in out.getvalue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    out = io.StringIO()
    call_command("jobs_reap", stdout=out)
    assert "0 个" in out.getvalue()


def test_a_running_job_starts_its_heartbeat():
    job = Job.objects.create(kind="demo", title="x", owner=persona("lufeng_officer"), path="530000")
    seen = {}

    def work(progress):
        seen["heartbeat"] = Job.objects.get(pk=job.pk).heartbeat_at
        return {}

    job_run(job.pk, work)
    assert seen["heartbeat"] is not None
