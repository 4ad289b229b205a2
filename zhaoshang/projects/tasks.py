"""Background jobs of the projects app."""

from django.tasks import task

from zhaoshang.core.jobs import JobFailed, job_run

IMPORT_KIND = "project_import"


@task
def projects_import_task(*, job_id: int) -> None:
    """Import the job's uploaded workbook as its owner; row errors fail the job and nothing is written."""
    from zhaoshang.accounts.models import User
    from zhaoshang.projects.importers import projects_import
    from zhaoshang.projects.services.admission import projects_suggest_industries

    def work(progress):
        job = progress.job
        actor = User.objects.select_related("org_unit").get(pk=job.owner_id)
        with job.input_file.open("rb") as upload:
            content = upload.read()
        name = job.input_file.name.rsplit("/", 1)[-1]
        progress.step(0, 100, "正在读取文件")
        report = projects_import(
            content=content,
            actor=actor,
            source_name=name,
            progress=lambda percent, message: progress.step(percent, 100, message),
        )
        if not report.ok:
            raise JobFailed(f"校验未通过：{len(report.errors)} 处错误，未写入任何数据", report.errors)
        outcome = report.outcome
        progress.step(95, 100, "正在按项目名称和简介补充产业分类")
        suggested = projects_suggest_industries(actor=actor, project_ids=outcome.created)
        return {
            "补充产业分类（系统建议）": suggested,
            "新增项目": report.created,
            "已导入过（未重复创建）": report.unchanged,
            "新建投资方": outcome.enterprises_created,
            "阶段变更记录": outcome.transitions,
            "投资协议": outcome.agreements,
        }

    job_run(job_id, work)
