"""The objects documents can be attached to. Core knows no domain app: each app registers its owners (an agreement,
a library submission, a ledger entry) with what the attachments of that owner need — its kinds of document, the
permissions, the owner rows a user may see or change, its jurisdiction path, its page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

VIEW, CHANGE = "view", "change"


@dataclass(frozen=True)
class AttachmentOwner:
    code: str  # in addresses: /attachments/<code>/<id>/
    model: type[models.Model]
    label: str  # 投资协议
    kinds: tuple[tuple[str, str], ...]  # (code, 材料类型)
    permissions: dict[str, str]  # VIEW / CHANGE → the owner's permission (403 on pages when missing)
    rows: Callable[[Any, str], models.QuerySet]  # (user, VIEW | CHANGE) → owners in scope holding the permission
    path: Callable[[Any], str]  # the owner's jurisdiction path (the audit rows' node)
    url: Callable[[Any], str]  # the page the attachments are shown on
    describe: Callable[[Any], str] = str  # the owner in words, for the audit trail

    def kind_label(self, code: str) -> str:
        return dict(self.kinds).get(code, "其他材料")


OWNERS: dict[str, AttachmentOwner] = {}
KIND_LABELS: dict[str, str] = {}


def register_attachment_owner(owner: AttachmentOwner) -> None:
    for code, label in owner.kinds:
        if KIND_LABELS.setdefault(code, label) != label:
            raise ValueError(f"attachment kind {code!r} is registered with two labels")
    OWNERS[owner.code] = owner


def owner_by_code(code: str) -> AttachmentOwner | None:
    return OWNERS.get(code)


def owner_of(obj_or_model) -> AttachmentOwner:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for owner in OWNERS.values():
        if owner.model is model:
            return owner
    raise LookupError(f"{model._meta.label} takes no attachments (register_attachment_owner)")


def kind_label(code: str) -> str:
    return KIND_LABELS.get(code, "其他材料")
