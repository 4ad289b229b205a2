import pytest
from django.tasks import task

from zhaoshang.core.jobs import JobFailed, job_run, job_start
from zhaoshang.core.models import Job
from zhaoshang.core.testing import persona


@task
def count_to(*, job_id: int, n: int, fail: bool = False):
    def work(progress):
        for i in range(1, n + 1):
            progress.step(i, n, f"第{i}步")
        if fail:
            raise JobFailed("校验未通过", ["第3行 协议投资额: 必须为数字"])
        progress.save_file("结果.txt", f"数到{n}".encode())
        return {"步数": n}

    job_run(job_id, work)


@task
def crash(*, job_id: int):
    job_run(job_id, lambda progress: 1 / 0)


@pytest.mark.django_db
def test_a_job_runs_reports_progress_and_keeps_its_result(as_persona, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=persona("lufeng_officer"), kind="demo", title="演示任务", task=count_to, n=5)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.result) == ("succeeded", 5, 5, 100, {"步数": 5})
    client = as_persona("lufeng_officer")
    page = client.get(f"/jobs/{job.pk}/")
    assert 'data-status="succeeded"' in page.content.decode() and "hx-trigger" not in page.content.decode()
    download = client.get(f"/jobs/{job.pk}/result/")
    assert b"".join(download.streaming_content) == "数到5".encode()


@pytest.mark.django_db
def test_a_job_that_fails_shows_its_errors_and_an_unexpected_error_says_nothing_was_written(
    as_persona, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        failed = job_start(
            actor=persona("lufeng_officer"), kind="demo", title="失败任务", task=count_to, n=3, fail=True
        )
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.errors == ["第3行 协议投资额: 必须为数字"]
    html = as_persona("lufeng_officer").get(f"/jobs/{failed.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<div id="job-progress"') and "第3行 协议投资额" in html
    with django_capture_on_commit_callbacks(execute=True):
        crashed = job_start(actor=persona("lufeng_officer"), kind="demo", title="出错任务", task=crash)
    crashed.refresh_from_db()
    assert crashed.status == "failed" and "未写入任何数据" in crashed.message


@pytest.mark.django_db
def test_a_running_job_page_keeps_polling(as_persona):
    job = Job.objects.create(kind="demo", title="进行中", owner=persona("lufeng_officer"), path="530000/532300/532302")
    Job.objects.filter(pk=job.pk).update(status="running", done=2, total=8)
    html = as_persona("lufeng_officer").get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "25%" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["chuxiong_officer", "province_admin", "kunming_officer"])
def test_only_the_owner_sees_a_job(as_persona, name):
    job = job_start(actor=persona("lufeng_officer"), kind="demo", title="演示任务", task=count_to, n=1)
    assert as_persona(name).get(f"/jobs/{job.pk}/").status_code == 404
    assert as_persona(name).get(f"/jobs/{job.pk}/result/").status_code == 404
