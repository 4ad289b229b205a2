"""Retention of personal information (PIPL art. 19, 47): each kind is kept for a period set in
``settings.PII_RETENTION_DAYS`` and then deleted by ``manage.py pii_purge`` (run daily), one audit row per run.

Apps register their rules (``register_purge_rule``); core knows no domain app. The audit trail is not purged here:
it is kept at least ``AUDIT_RETENTION_DAYS`` (网络安全法 art. 21: logs ≥ 6 months) and is append-only and chained,
and it holds personal fields only masked; its login addresses are security records of the accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PurgeRule:
    key: str  # the key of settings.PII_RETENTION_DAYS
    label: str  # what is deleted, in words
    purge: Callable[[datetime, bool], int]  # (cutoff, dry_run) → how many


RULES: dict[str, PurgeRule] = {}


def register_purge_rule(key: str, label: str, purge: Callable[[datetime, bool], int]) -> None:
    RULES[key] = PurgeRule(key, label, purge)


def retention_days(key: str) -> int:
    return int(settings.PII_RETENTION_DAYS[key])


def pii_purge(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete what each rule keeps past its period; {rule label: count}. One audit row (actor ``system``)."""
    from zhaoshang.core.audit import audit_record

    now = now or timezone.now()
    counts = {}
    with transaction.atomic():
        for rule in RULES.values():
            counts[rule.label] = rule.purge(now - timedelta(days=retention_days(rule.key)), dry_run)
        if not dry_run:
            audit_record(
                actor=None,
                actor_name="system",
                action="pii_purge",
                object_repr="个人信息到期清理",
                after={"purged": counts, "days": {r.label: retention_days(r.key) for r in RULES.values()}},
            )
    return counts


# ---- core's own rules --------------------------------------------------------------------------------------------


def purge_job_files(cutoff: datetime, dry_run: bool) -> int:
    """Uploaded import files and generated result files of finished jobs: they may hold contacts and phones."""
    from zhaoshang.core.models import Job

    jobs = Job.objects.filter(created_at__lt=cutoff).exclude(input_file="", result_file="")
    count = 0
    for job in jobs.iterator():
        for field in ("input_file", "result_file"):
            stored = getattr(job, field)
            if stored:
                count += 1
                if not dry_run:
                    stored.delete(save=False)
        if not dry_run:
            Job.objects.filter(pk=job.pk).update(input_file="", result_file="")
    return count


def purge_expired_sessions(cutoff: datetime, dry_run: bool) -> int:
    """Sessions past their expiry (they name the account; Django's ``clearsessions``)."""
    from django.contrib.sessions.models import Session

    expired = Session.objects.filter(expire_date__lt=timezone.now())
    count = expired.count()
    if not dry_run:
        expired.delete()
    return count


def register_core_rules() -> None:
    register_purge_rule("job_files", "后台任务的上传与结果文件", purge_job_files)
    register_purge_rule("sessions", "过期会话", purge_expired_sessions)
