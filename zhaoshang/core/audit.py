"""The audit trail: one append-only row per change, each chained to the previous row by an HMAC."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring  # json.dumps's string escaper (ensure_ascii=False)
from types import SimpleNamespace

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from zhaoshang.core.context import current
from zhaoshang.core.models import AuditHead, AuditLog

ROOT_PATH = "530000"
# Any constant works; it keeps the chain's lock apart from other advisory locks on the same PostgreSQL.
AUDIT_LOCK_KEY = 53_0000_0001


# Never copied into the audit trail: the audit administrator reads and exports it.
SECRET_FIELDS = {"password", "key"}


def to_json(value):
    """Plain JSON values, exactly as they will read back from the database (Decimals and dates as strings)."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model) -> dict:
    """The concrete field values of a row, for the before/after columns."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.attname in SECRET_FIELDS:
            continue
        data[field.attname] = getattr(obj, field.attname)
    return to_json(data)


class JSONText(str):
    """JSON already serialised canonically (``canonical_json``): hashed and stored as it is, not dumped again."""


_django_default = DjangoJSONEncoder().default


@lru_cache(maxsize=256)
def _encode_datetime(value: datetime) -> str:
    return _django_default(value)  # a bulk write stamps all its rows with the same few datetimes


def _encode_django_types(value):
    """Decimals, dates and datetimes as ``to_json`` writes them (the common ones first: an import encodes many)."""
    if isinstance(value, Decimal):
        return str(value)
    if type(value) is date:
        return value.isoformat()
    if type(value) is datetime:
        return _encode_datetime(value)
    return _django_default(value)


def canonical_json(value) -> JSONText:
    """Sorted, compact JSON; Decimals, dates and datetimes are written as ``to_json`` writes them."""
    return JSONText(
        json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_encode_django_types)
    )


def _json_value(value) -> str:
    """One value as ``canonical_json`` writes it, with the common scalars encoded directly (a bulk import hashes
    tens of thousands of rows)."""
    if isinstance(value, JSONText):
        return value
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__repr__(value)
    return canonical_json(value)


def row_digest(row: AuditLog) -> str:
    """HMAC of the row's fields as canonical JSON. ``before``/``after`` given as ``JSONText`` are used as they are
    (the same text ``canonical_json`` of their values gives), so a bulk writer serialises each once."""
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
    # The text json.dumps(fields, sort_keys=True, ...) gives, with the JSON texts put in as they are.
    message = "{" + ",".join(f'"{key}":{_json_value(value)}' for key, value in sorted(fields.items())) + "}"
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def audit_history(user, obj: models.Model, *, limit: int) -> list[AuditLog]:
    """The newest changes of ``obj`` that the user's scope shows (refused attempts are not changes: they are in
    the audit trail only), each with ``detail`` (an import's file and row) and ``changes``: the changed fields in
    words, as ``core.changes`` reads them (``more`` counts those left out)."""
    from zhaoshang.core.changes import audit_changes, panel_rows
    from zhaoshang.core.choices import Action

    rows = list(AuditLog.objects.for_user(user, action=None).about(obj).exclude(action__in=Action.REFUSALS)[:limit])
    for row, changes in zip(rows, audit_changes(rows), strict=True):
        row.detail = row.detail_about(obj)
        row.changes, row.more = panel_rows(changes, action=row.action)
    return rows


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
            prev_hash=_last_hash(),
        )
        row.hash = row_digest(row)
        row.save()
        _advance_head(row.pk, row.hash, added=1)
    return row


def audit_record_many(*, actor, entries: list[tuple], path: str, at: datetime | None = None) -> int:
    """Append many rows at once (an import), chained exactly as ``audit_record`` chains them, in one bulk insert.
    Each entry is (action, object type, object id, object repr, path or None, before, after); before and after
    are dicts as ``snapshot`` gives them (Decimals and dates are encoded here). ``at`` stamps the rows with the
    time of the rows they describe (``AuditLog.objects.about`` matches an import by it); taken when the import
    began, it can be earlier than a row another writer chained meanwhile, so ids, not times, give the order."""
    from zhaoshang.core.bulk import insert_rows, reserve_ids

    if not entries:
        return 0
    context = current.get()
    actor_name = actor.get_username() if actor is not None else ""
    with transaction.atomic():
        _lock_chain()
        previous, now, rows = _last_hash(), at or timezone.now(), []
        for pk, (action, object_type, object_id, object_repr, row_path, before, after) in zip(
            reserve_ids(AuditLog, len(entries)), entries, strict=True
        ):
            row = SimpleNamespace(
                id=pk,
                created_at=now,
                actor_id=actor.pk if actor is not None else None,
                actor_name=actor_name,
                action=action,
                object_type=object_type,
                object_id=str(object_id) if object_id is not None else "",
                object_repr=(object_repr or "")[:300],
                before=None if before is None else canonical_json(before),
                after=None if after is None else canonical_json(after),
                ip=context.ip,
                request_id=context.request_id,
                path=row_path or path,
                prev_hash=previous,
            )
            row.hash = previous = row_digest(row)
            rows.append(vars(row))
        insert_rows(AuditLog, rows)
        _advance_head(rows[-1]["id"], rows[-1]["hash"], added=len(rows))
    return len(rows)


def _last_hash() -> str:
    return AuditLog.objects.order_by("-id").values_list("hash", flat=True).first() or ""


def _advance_head(last_id: int, last_hash: str, *, added: int) -> None:
    head = AuditHead.objects.filter(pk=1).first()
    count = (head.count if head else AuditLog.objects.count() - added) + added
    AuditHead.objects.update_or_create(
        pk=1,
        defaults={
            "last_id": last_id,
            "last_hash": last_hash,
            "count": count,
            "mac": head_mac(last_id, last_hash, count),
        },
    )


@dataclass(frozen=True)
class AuditProblem:
    row_id: int | None
    message: str


def head_mac(last_id: int, last_hash: str, count: int) -> str:
    message = f"{last_id}:{last_hash}:{count}"
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def audit_verify() -> AuditProblem | None:
    """The first place where the chain does not hold — a row edited, inserted or deleted, or the newest rows cut
    off — or None when it is intact."""
    previous, last, count = "", None, 0
    for row in AuditLog.objects.order_by("id").iterator(chunk_size=2000):
        if row.prev_hash != previous or row.hash != row_digest(row):
            return AuditProblem(
                row.pk, f"审计记录 #{row.pk} 被篡改或链断裂（{row.actor_name} {row.action} {row.object_repr}）"
            )
        previous, last, count = row.hash, row, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return AuditProblem(None, "审计链检查点缺失") if count else None
    if not hmac.compare_digest(head.mac, head_mac(head.last_id, head.last_hash, head.count)):
        return AuditProblem(None, "审计链检查点被篡改")
    if last is None or (head.last_id, head.last_hash, head.count) != (last.pk, last.hash, count):
        found = f"#{last.pk}（共 {count} 条）" if last else "没有记录"
        return AuditProblem(
            head.last_id, f"审计日志尾部被删除：检查点为 #{head.last_id}（共 {head.count} 条），表中为 {found}"
        )
    return None
