"""The audit trail: one append-only row per change, each chained to the previous row by an HMAC."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from zhaoshang.core.context import current
from zhaoshang.core.models import AuditLog

ROOT_PATH = "530000"
# Any constant works; it keeps the chain's lock apart from other advisory locks on the same PostgreSQL.
AUDIT_LOCK_KEY = 53_0000_0001


def to_json(value):
    """Plain JSON values, exactly as they will read back from the database (Decimals and dates as strings)."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model) -> dict:
    """The concrete field values of a row, for the before/after columns."""
    data = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = getattr(obj, field.attname)
    return to_json(data)


def row_digest(row: AuditLog) -> str:
    fields = {
        "created_at": row.created_at.astimezone(UTC).isoformat(),
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "before": row.before,
        "after": row.after,
        "ip": row.ip,
        "request_id": row.request_id,
        "path": row.path,
        "prev_hash": row.prev_hash,
    }
    message = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _lock_chain() -> None:
    # SQLite serialises writers already (IMMEDIATE transactions); PostgreSQL needs a lock so that two writers
    # never chain to the same previous row.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    path: str | None = None,
    object_type: str = "",
    object_repr: str = "",
    actor_name: str = "",
) -> AuditLog:
    """Append one audit row. ``path`` defaults to the object's node, then the actor's, then the province."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    context = current.get()
    if path is None:
        path = getattr(obj, "path", None) or getattr(actor, "scope_path", None) or ROOT_PATH
    with transaction.atomic():
        _lock_chain()
        previous = AuditLog.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        row = AuditLog(
            created_at=timezone.now(),
            actor=actor,
            actor_name=actor_name or (actor.get_username() if actor else ""),
            action=action,
            object_type=object_type or (obj._meta.label if obj is not None else ""),
            object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
            object_repr=(object_repr or (str(obj) if obj is not None else ""))[:300],
            before=to_json(before),
            after=to_json(after),
            ip=context.ip,
            request_id=context.request_id,
            path=path,
            prev_hash=previous,
        )
        row.hash = row_digest(row)
        row.save()
    return row


def audit_verify() -> AuditLog | None:
    """The first row whose chain does not hold (edited, inserted or a predecessor deleted), or None."""
    previous = ""
    for row in AuditLog.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != previous or row.hash != row_digest(row):
            return row
        previous = row.hash
    return None
