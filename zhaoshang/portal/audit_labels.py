"""How the audit rows of the portal read: its actions are added to the core's labels."""

from zhaoshang.core.changes import labels_of, register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action
from zhaoshang.portal.choices import AuditAction, PublicationStatus


def register() -> None:
    Action.LABELS.update(AuditAction.LABELS)
    register_audit_keys(
        {
            "translations": "外文内容",
            "reference": "咨询编号",
            "reply_by": "答复期限",
            "lead_id": "生成的线索",
            "publishing_org": "发布单位",
        }
    )
    for action in (AuditAction.MARK, AuditAction.APPROVE, AuditAction.RETURN, AuditAction.WITHDRAW):
        register_audit_values("status", labels_of(PublicationStatus.choices), action=action)
