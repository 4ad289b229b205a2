"""The audit trail: one append-only row per change, each chained to the previous row by an HMAC."""

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring  # json.dumps's string escaper (ensure_ascii=False)
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from zhaoshang.core import crypto
from zhaoshang.core.context import current
from zhaoshang.core.models import AuditHead, AuditLog

logger = logging.getLogger(__name__)

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
        if field.attname in SECRET_FIELDS or getattr(field, "blind_index_of", None):
            continue
        value = getattr(obj, field.attname)
        # Personal fields (core.pii.EncryptedCharField) are copied masked: no log holds them in clear.
        data[field.attname] = field.mask(value) if hasattr(field, "pii") else value
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


# --- keys: HMAC-SM3 under a key id per row; rows from before the switch keep HMAC-SHA256 ----------------------------

LEGACY_KEY_ID = ""  # rows and heads written before HMAC-SM3: HMAC-SHA256, the key id not part of the message


def current_key_id() -> str:
    """The key id new rows are signed with: ``sm3-<n>`` names HMAC-SM3 under the audit key of that id."""
    return getattr(settings, "AUDIT_HMAC_KEY_ID", "") or "sm3-1"


def _audit_key(key_id: str) -> bytes:
    """The audit key of ``key_id``: ``AUDIT_HMAC_KEYS`` keeps retired keys by id after a rotation; the current key,
    and every id it does not list, is ``AUDIT_HMAC_KEY`` (kept outside the database, never in the crypto ring)."""
    retired = getattr(settings, "AUDIT_HMAC_KEYS", None) or {}
    return (retired.get(key_id) or settings.AUDIT_HMAC_KEY).encode()


def audit_mac(key_id: str, message: str) -> str:
    """The MAC of a row, the head or a checkpoint, in hex: HMAC-SM3 (``core.crypto``) for ``sm3-*`` key ids,
    HMAC-SHA256 for the legacy id. ValueError for an id nobody issued."""
    if key_id == LEGACY_KEY_ID:
        return hmac.new(_audit_key(key_id), message.encode(), hashlib.sha256).hexdigest()
    if key_id.startswith("sm3-"):
        return crypto.hmac_sm3(_audit_key(key_id), message).hex()
    raise ValueError(f"unknown audit key id {key_id!r}")


def _digest_message(row) -> str:
    """The row's fields as canonical JSON. ``before``/``after`` given as ``JSONText`` are used as they are (the
    same text ``canonical_json`` of their values gives), so a bulk writer serialises each once. The key id is part
    of the message of every row signed since the switch, so a row cannot be re-labelled to the old algorithm."""
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
    key_id = getattr(row, "key_id", LEGACY_KEY_ID)
    if key_id != LEGACY_KEY_ID:
        fields["key_id"] = key_id
    # The text json.dumps(fields, sort_keys=True, ...) gives, with the JSON texts put in as they are.
    return "{" + ",".join(f'"{key}":{_json_value(value)}' for key, value in sorted(fields.items())) + "}"


def row_digest(row: AuditLog) -> str:
    """HMAC of the row's fields under the row's key id (``audit_mac``)."""
    return audit_mac(getattr(row, "key_id", LEGACY_KEY_ID), _digest_message(row))


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
            key_id=current_key_id(),
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
    key_id = current_key_id()
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
                key_id=key_id,
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
    key_id = current_key_id()
    AuditHead.objects.update_or_create(
        pk=1,
        defaults={
            "last_id": last_id,
            "last_hash": last_hash,
            "count": count,
            "key_id": key_id,
            "mac": head_mac(last_id, last_hash, count, key_id=key_id),
        },
    )
    _checkpoint_later(last_id, last_hash, count)


@dataclass(frozen=True)
class AuditProblem:
    row_id: int | None
    message: str


def head_mac(last_id: int, last_hash: str, count: int, *, key_id: str) -> str:
    return audit_mac(key_id, f"{last_id}:{last_hash}:{count}")


def _head_is_signed(head: AuditHead) -> bool:
    try:
        expected = head_mac(head.last_id, head.last_hash, head.count, key_id=head.key_id)
    except ValueError:
        return False
    return hmac.compare_digest(head.mac, expected)


# --- the head outside the database: signed checkpoints appended to a file ----------------------------------------
# Someone who can delete rows can delete the head row too ("共 0 条", exit 0). Each committed append also appends
# the head, signed, to ``AUDIT_CHECKPOINT_PATH`` (an append-only file, fsync'd; give it to the log shipper or make it
# ``chattr +a``), and ``audit_verify`` requires the database to still hold the newest checkpointed row.


def checkpoint_path() -> Path:
    configured = getattr(settings, "AUDIT_CHECKPOINT_PATH", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit" / "checkpoints.log"


def _checkpoint_message(entry: dict) -> str:
    return f"audit-checkpoint|{entry['at']}|{entry['last_id']}|{entry['last_hash']}|{entry['count']}"


def checkpoint_append(*, last_id: int, last_hash: str, count: int) -> None:
    """Append one signed line (JSON) and fsync it before returning."""
    key_id = current_key_id()
    entry = {"at": timezone.now().astimezone(UTC).isoformat(), "last_id": last_id, "last_hash": last_hash}
    entry |= {"count": count, "key_id": key_id}
    entry["mac"] = audit_mac(key_id, _checkpoint_message(entry))
    line = (json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n").encode()
    path = checkpoint_path()
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:  # the new file's directory entry is durable too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


_last_checkpointed: tuple[int, int] | None = None  # (last id, count) this process wrote last


def _checkpoint_committed_head() -> None:
    """After a commit: append the head as committed (this transaction's rows, or a later one's). Never for a
    transaction that rolled back, so the file never names rows that do not exist."""
    global _last_checkpointed
    head = AuditHead.objects.using(connection.alias).filter(pk=1).first()  # the primary, never a replica
    if head is None or not _head_is_signed(head):
        logger.error("审计链检查点未写入：库中的链头缺失或签名不符")
        return
    if _last_checkpointed == (head.last_id, head.count):
        return
    checkpoint_append(last_id=head.last_id, last_hash=head.last_hash, count=head.count)
    _last_checkpointed = (head.last_id, head.count)


def _checkpoint_later(last_id: int, last_hash: str, count: int) -> None:
    """One checkpoint per transaction, after it commits (``on_commit``; a failure to write is logged, the business
    write has committed by then). ``AUDIT_CHECKPOINT_AT_COMMIT = False`` writes it at once, inside the transaction
    and under the chain lock: for tests, whose transactions roll back instead of committing."""
    if not getattr(settings, "AUDIT_CHECKPOINT_AT_COMMIT", True):
        checkpoint_append(last_id=last_id, last_hash=last_hash, count=count)
        return
    if not any(func is _checkpoint_committed_head for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_checkpoint_committed_head, robust=True)


def checkpoint_latest() -> tuple[dict | None, AuditProblem | None]:
    """The checkpoint with the highest count (lines can land out of order between processes), or a problem when a
    line is not one this platform signed. A last line without its newline (a crash mid-write) is ignored."""
    path = checkpoint_path()
    if not path.exists():
        return None, None
    best = None
    raw = path.read_bytes()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        lines.pop()  # unterminated: never fsync'd as a whole line
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
            good = hmac.compare_digest(entry["mac"], audit_mac(entry["key_id"], _checkpoint_message(entry)))
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            return None, AuditProblem(None, f"审计检查点文件第{number}行被篡改或损坏（{path}）")
        if best is None or entry["count"] >= best["count"]:
            best = entry
    return best, None


def checkpoint_initialise() -> AuditProblem | None:
    """First checkpoint of a trail written before checkpoints existed: the verified head of the database. Refused
    when the file has checkpoints already (replacing them would hide a deletion)."""
    checkpoint, problem = checkpoint_latest()
    if problem is not None:
        return problem
    if checkpoint is not None:
        return AuditProblem(None, f"检查点文件已有记录（{checkpoint_path()}），不能重新初始化")
    problem = audit_verify(require_checkpoint=False)
    if problem is not None:
        return problem
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None:
        checkpoint_append(last_id=head.last_id, last_hash=head.last_hash, count=head.count)
    return None


def audit_verify(*, require_checkpoint: bool = True) -> AuditProblem | None:
    """The first place where the chain does not hold — a row edited, inserted, deleted or re-labelled to the old
    algorithm, the newest rows cut off, the table emptied (with its head or not) — or None when it is intact."""
    checkpoint, problem = checkpoint_latest()
    if problem is not None:
        return problem
    previous, last, count, signed_sm3, matched = "", None, 0, False, False
    for row in AuditLog.objects.order_by("id").iterator(chunk_size=2000):
        legacy = row.key_id == LEGACY_KEY_ID
        try:
            digest = row_digest(row)
        except ValueError:
            digest = ""
        if row.prev_hash != previous or not hmac.compare_digest(row.hash, digest) or (legacy and signed_sm3):
            return AuditProblem(
                row.pk, f"审计记录 #{row.pk} 被篡改或链断裂（{row.actor_name} {row.action} {row.object_repr}）"
            )
        previous, last, count, signed_sm3 = row.hash, row, count + 1, signed_sm3 or not legacy
        if checkpoint is not None and row.pk == checkpoint["last_id"]:
            if row.hash != checkpoint["last_hash"] or count != checkpoint["count"]:
                return AuditProblem(
                    row.pk, f"审计记录 #{row.pk} 与检查点文件不符（检查点为共 {checkpoint['count']} 条）"
                )
            matched = True
    if checkpoint is not None and not matched:
        found = f"只到 #{last.pk}（共 {count} 条）" if last else "没有审计记录"
        return AuditProblem(
            checkpoint["last_id"],
            f"审计日志尾部被删除或被清空：检查点文件记录至 #{checkpoint['last_id']}（共 {checkpoint['count']} 条，"
            f"{checkpoint['at'][:19]}），库中{found}",
        )
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return AuditProblem(None, "审计链检查点缺失") if count else None
    if not _head_is_signed(head):
        return AuditProblem(None, "审计链检查点被篡改")
    if last is None or (head.last_id, head.last_hash, head.count) != (last.pk, last.hash, count):
        found = f"#{last.pk}（共 {count} 条）" if last else "没有记录"
        return AuditProblem(
            head.last_id, f"审计日志尾部被删除：检查点为 #{head.last_id}（共 {head.count} 条），表中为 {found}"
        )
    if checkpoint is None and count and require_checkpoint:
        return AuditProblem(
            None,
            f"审计检查点文件缺失或为空（{checkpoint_path()}）：无法确认审计日志未被整体删除。"
            "首次启用检查点时请运行 manage.py verify_audit --init-checkpoint",
        )
    return None
