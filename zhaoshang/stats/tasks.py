from datetime import date

from django.core.files.base import ContentFile
from django.tasks import task

from zhaoshang.core.audit import audit_record
from zhaoshang.core.jobs import job_run
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
