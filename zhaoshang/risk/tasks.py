"""Background work of the risk app: the scan (daily) and the digest (weekly), on the task queue."""

from django.tasks import task

SCAN_KIND = "risk_scan"
DIGEST_KIND = "risk_digest"


@task
def risk_scan_task(*, today: str = "") -> dict:
    from datetime import date

    from zhaoshang.risk.services import risk_scan

    result = risk_scan(today=date.fromisoformat(today) if today else None)
    return {"created": result.created, "updated": result.updated, "cleared": result.cleared}


@task
def risk_digest_task(*, today: str = "") -> dict:
    from datetime import date

    from zhaoshang.risk.services import risk_digest

    return {"messages": risk_digest(today=date.fromisoformat(today) if today else None)}
