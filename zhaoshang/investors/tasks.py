"""Background jobs of the investors app."""

from django.tasks import task

from zhaoshang.core.jobs import JobFailed, job_run

ENTERPRISE_IMPORT_KIND = "enterprise_list_import"


@task
def enterprise_list_import_task(*, job_id: int) -> None:
    """Import the job's uploaded enterprise list (中国500强 …) as its owner: the file is checked against the upload
    limits and parsed under the memory ceiling (``core.uploads``); row errors fail the job and nothing is written."""
    from zhaoshang.accounts.models import User
    from zhaoshang.investors.importers import import_enterprise_list

    def work(progress):
        job = progress.job
        actor = User.objects.select_related("org_unit").get(pk=job.owner_id)
        with job.input_file.open("rb") as upload:
            content = upload.read()
        progress.step(0, 100, "正在检查并读取文件")
        report = import_enterprise_list(actor=actor, content=content)
        if not report.ok:
            raise JobFailed(f"校验未通过：{len(report.errors)} 处错误，未写入任何数据", report.errors)
        return {"新增企业": report.created, "更新企业": report.updated}

    job_run(job_id, work)
