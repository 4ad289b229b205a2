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


TAIZHANG_KIND = "taizhang_import"


@task
def taizhang_commit_task(*, job_id: int, import_id: int) -> None:
    """Commit an uploaded 台账 with its confirmed mapping as the job's owner: all or nothing."""
    from zhaoshang.accounts.models import User
    from zhaoshang.projects.models import TaizhangImport, TaizhangStatus
    from zhaoshang.projects.services.admission import projects_suggest_industries
    from zhaoshang.projects.taizhang.commit import TaizhangImportError, taizhang_commit, taizhang_import_mark

    def work(progress):
        job = progress.job
        actor = User.objects.select_related("org_unit").get(pk=job.owner_id)
        item = TaizhangImport.objects.get(pk=import_id, created_by=actor)
        with item.file.open("rb") as upload:
            content = upload.read()
        try:
            summary = taizhang_commit(
                actor=actor,
                content=content,
                source_name=item.filename,
                mappings=item.mappings or None,
                confirmed=item.confirmed or None,
                progress=lambda percent, message: progress.step(percent, 100, message),
            )
        except TaizhangImportError as error:
            taizhang_import_mark(actor=actor, item=item, status=TaizhangStatus.PREVIEWED)
            raise JobFailed(f"校验未通过：{len(error.messages)} 处问题，未写入任何数据", error.messages) from None
        progress.step(95, 100, "正在按项目名称和简介补充产业分类")
        suggested = projects_suggest_industries(actor=actor, project_ids=summary["created"])
        taizhang_import_mark(actor=actor, item=item, status=TaizhangStatus.COMMITTED)
        return {
            "新增项目": len(summary["created"]),
            "已有项目（未重复创建）": summary["existing"],
            "新建投资方": summary["enterprises_created"],
            "新增到位资金分录": summary["funding_entries"],
            "新增到位资金（万元）": str(summary["funding_total_wan"]),
            "跳过的非项目行": summary["skipped_rows"],
            "补充产业分类（系统建议）": suggested,
        }

    job_run(job_id, work)
