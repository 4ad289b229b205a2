"""Tasks for the worker tests (test_workers.py), importable by the worker processes those tests start."""

import time
from pathlib import Path

from django.db import transaction
from django.tasks import task

from zhaoshang.core.jobs import job_run
from zhaoshang.core.models import Job


@task
def write_rows(*, job_id: int, rows: int, marker: str, sleep: float = 60.0):
    """Writes ``rows`` Job rows of kind "drill-row" in one transaction. While ``marker`` does not exist, it creates
    it once the rows are written and then sleeps inside the transaction (where the test kills it); later, it commits."""

    def work(progress):
        progress.step(1, rows + 1, "开始写入")
        first_run = not Path(marker).exists()
        with transaction.atomic():
            job = Job.objects.get(pk=job_id)
            for number in range(rows):
                Job.objects.create(kind="drill-row", title=f"第{number + 1}行", owner_id=job.owner_id, path=job.path)
            if first_run:
                Path(marker).write_text("in transaction")
                time.sleep(sleep)
        return {"写入": rows}

    job_run(job_id, work)
