from datetime import date

from django.core.files.base import ContentFile
from django.tasks import task

from zhaoshang.core.audit import audit_record
from zhaoshang.core.jobs import JobFailed, job_run
from zhaoshang.regions.models import Region
from zhaoshang.stats.bulletins import bulletin_build, bulletin_docx, bulletin_xlsx
from zhaoshang.stats.indicators import Period
from zhaoshang.stats.models import Bulletin


@task
def generate_bulletin(*, job_id: int, region_id: int, year: int, month: int, issued_on: str, number: str = ""):
    def work(progress):
        node = Region.objects.get(pk=region_id)
        built = bulletin_build(
            node=node,
            period=Period(year, month),
            issued_on=date.fromisoformat(issued_on),
            number=number,
            progress_callback=lambda done, total: progress.step(done, total + 1, "正在计算指标和排名"),
        )
        progress.step(0, None, "正在生成 Word 和 Excel 文件")
        docx, xlsx = bulletin_docx(built), bulletin_xlsx(built)
        stem = f"{node.code}_{year}{month:02d}"
        bulletin = Bulletin(
            region=node, year=year, month=month, title=built.title, number=number, path=node.path, job_id=job_id
        )
        bulletin.created_by_id = progress.job.owner_id
        bulletin.docx.save(f"通报_{stem}.docx", ContentFile(docx), save=False)
        bulletin.xlsx.save(f"通报_{stem}.xlsx", ContentFile(xlsx), save=False)
        bulletin.save()
        audit_record(
            actor=progress.job.owner, action="create", obj=bulletin, after={"title": built.title, "number": number}
        )
        progress.save_file(f"通报_{stem}.docx", docx)
        return {"通报": built.title, "附表": len(built.tables)}

    job_run(job_id, work)


TARGET_IMPORT_KIND = "target_import"


@task
def targets_import_task(*, job_id: int) -> None:
    """Import the job's uploaded targets as its owner: checked against the upload limits and parsed under the
    memory ceiling (``core.uploads``); any row error fails the job and no target is written."""
    from zhaoshang.accounts.models import User
    from zhaoshang.stats.importers import targets_import

    def work(progress):
        job = progress.job
        actor = User.objects.select_related("org_unit").get(pk=job.owner_id)
        with job.input_file.open("rb") as upload:
            content = upload.read()
        progress.step(0, 100, "正在检查并读取文件")
        report = targets_import(content=content, actor=actor)
        if not report.ok:
            raise JobFailed(f"校验未通过：{len(report.errors)} 处错误，未写入任何数据", report.errors)
        return {"新增目标": report.created, "更新目标": report.updated, "未变": report.unchanged}

    job_run(job_id, work)
