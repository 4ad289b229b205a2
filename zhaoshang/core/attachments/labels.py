"""How the audit rows of attachments read (``core.changes``): the keys their services write besides the fields,
and their codes (材料类型, 文件格式) and sizes in words."""

from zhaoshang.core.attachments.filetypes import mime_label, size_text
from zhaoshang.core.attachments.registry import kind_label
from zhaoshang.core.changes import register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action

ACTIONS = (Action.ATTACHMENT_ADD, Action.ATTACHMENT_DOWNLOAD, Action.ATTACHMENT_REMOVE)
VERIFIED = {True: "与上传时一致", False: "与上传时不一致（文件缺失或被改动）"}


def register() -> None:
    for action in ACTIONS:
        register_audit_keys({"owner": "所属", "verified": "文件校验"}, action=action)
        register_audit_values("kind", lambda value, names: kind_label(value) if value else "—", action=action)
        register_audit_values("mime_type", lambda value, names: mime_label(value) if value else "—", action=action)
        register_audit_values("size", lambda value, names: size_text(int(value)) if value else "—", action=action)
        register_audit_values("verified", VERIFIED, action=action)
