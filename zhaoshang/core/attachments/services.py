"""Writes and reads of attachments: ``attachment_add``, ``attachment_open`` (a download), ``attachment_remove``.
Each checks the owner's permission and scope itself, inside its transaction, and writes one audit row about the
attachment at its owner's jurisdiction node (so the owner's office reads it)."""

import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.attachments.filetypes import READ_CHUNK, clean_filename, detect
from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.attachments.registry import CHANGE, VIEW, AttachmentOwner, owner_of
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import OutOfScope

NOTE_MAX = 200


class PrivateStorage(FileSystemStorage):
    """The attachments folder: owner-only permissions, and no public address (``url`` refuses)."""

    def url(self, name):
        raise NotImplementedError("附件没有公开地址，只能通过授权的下载地址获取")


def attachment_storage() -> PrivateStorage:
    return PrivateStorage(
        location=settings.ATTACHMENTS_ROOT, file_permissions_mode=0o600, directory_permissions_mode=0o700
    )


class AttachmentDamaged(Exception):
    """The stored file is missing or no longer has the SHA-256 recorded at upload."""


def _plain_text(value: str, limit: int) -> str:
    text = "".join(ch for ch in (value or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.split())[:limit]


def _ensure_may_change(actor, spec: AttachmentOwner, owner) -> None:
    """Upload and removal need the owner's change permission in the actor's scope: 404 when the owner is not
    visible to the actor at all, 403 when it is visible but not theirs to change."""
    if spec.rows(actor, CHANGE).filter(pk=owner.pk).exists():
        return
    if spec.rows(actor, VIEW).filter(pk=owner.pk).exists():
        raise PermissionDenied(f"您没有为该{spec.label}上传或删除附件的权限")
    raise OutOfScope("不在您的辖区范围内")


def _describe(spec: AttachmentOwner, owner) -> str:
    return f"{spec.label}：{spec.describe(owner)}"


def _sha256(upload) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks(READ_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def attachment_add(*, actor, owner, kind: str, upload, note: str = "") -> Attachment:
    """Keep ``upload`` (a Django ``UploadedFile``) as a document of ``owner``: its type read from its content,
    its size and any zip package's uncompressed size and ratio within the limits, stored under a random name in
    the private folder, the uploader's file name kept (cleaned) for the download."""
    spec = owner_of(owner)
    _ensure_may_change(actor, spec, owner)
    if kind not in dict(spec.kinds):
        raise ValidationError({"kind": ["请选择材料类型"]})
    file_type = detect(upload)
    name = clean_filename(getattr(upload, "name", ""), file_type)
    digest, size = _sha256(upload)
    storage = attachment_storage()
    stored = storage.save(f"{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}", upload)
    try:
        with transaction.atomic():
            _ensure_may_change(actor, spec, owner)  # re-checked with the write
            row = Attachment.objects.create(
                owner_type=ContentType.objects.get_for_model(owner),
                owner_id=owner.pk,
                kind=kind,
                name=name,
                mime_type=file_type.mime,
                size=size,
                sha256=digest,
                storage_name=stored,
                note=_plain_text(note, NOTE_MAX),
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                action=Action.ATTACHMENT_ADD,
                obj=row,
                path=spec.path(owner),
                object_repr=f"{name}（{_describe(spec, owner)}）",
                after={
                    "owner": _describe(spec, owner),
                    "kind": kind,
                    "name": name,
                    "mime_type": file_type.mime,
                    "size": size,
                    "sha256": digest,
                    "note": row.note,
                },
            )
    except BaseException:
        storage.delete(stored)
        raise
    return row


def _owner_and_spec(row: Attachment):
    spec = owner_of(row.owner_type.model_class())
    return spec, spec.model._base_manager.get(pk=row.owner_id)


def attachment_open(*, actor, attachment: Attachment):
    """The stored file of an attachment the actor may see, opened for reading, after one audit row of the
    download. The file is checked against the SHA-256 recorded at upload; a missing or altered file is recorded
    as such and raises ``AttachmentDamaged``."""
    row = Attachment.objects.for_user(actor, VIEW).present().filter(pk=attachment.pk).first()
    if row is None:
        raise OutOfScope("附件不存在")
    spec, owner = _owner_and_spec(row)
    storage = attachment_storage()
    handle, verified = None, False
    try:
        handle = storage.open(row.storage_name, "rb")
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            digest.update(chunk)
        verified = digest.hexdigest() == row.sha256
        handle.seek(0)
    except OSError:
        verified = False
    audit_record(
        actor=actor,
        action=Action.ATTACHMENT_DOWNLOAD,
        obj=row,
        path=spec.path(owner),
        object_repr=f"{row.name}（{_describe(spec, owner)}）",
        after={"name": row.name, "sha256": row.sha256, "verified": verified},
    )
    if not verified:
        if handle is not None:
            handle.close()
        raise AttachmentDamaged(row.name)
    return handle


def attachment_remove(*, actor, attachment: Attachment, reason: str) -> Attachment:
    """Mark an attachment removed (the row and the file stay, for the record), with a reason; by someone who may
    change its owner."""
    reason = _plain_text(reason, 200)
    if not reason:
        raise ValidationError({"reason": ["请填写删除原因"]})
    with transaction.atomic():
        row = Attachment.objects.select_for_update().get(pk=attachment.pk)
        spec, owner = _owner_and_spec(row)
        _ensure_may_change(actor, spec, owner)
        if row.removed:
            raise ValidationError("该附件已删除")
        row.removed_at, row.removed_by, row.removal_reason = timezone.now(), actor, reason
        row.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        audit_record(
            actor=actor,
            action=Action.ATTACHMENT_REMOVE,
            obj=row,
            path=spec.path(owner),
            object_repr=f"{row.name}（{_describe(spec, owner)}）",
            before={"removed_at": None, "removal_reason": ""},
            after={"removed_at": row.removed_at, "removal_reason": reason},
        )
    return row
