"""Labels of the keys the personal-information and cryptography rows write (``core.changes``)."""

from zhaoshang.core.changes import register_audit_keys, register_audit_values


def personal_field_names(value, names) -> str:
    """``["phone"]`` → ``电话`` (the kinds of personal field, whatever the model)."""
    from zhaoshang.core.pii import PiiKind, personal_fields

    kinds = {f.name: PiiKind.LABELS[f.pii] for f in personal_fields()}
    items = value if isinstance(value, list) else [value]
    return "、".join(kinds.get(str(v), str(v)) for v in items) or "—"


def subjects(value, names) -> str:
    """``{"model": "accounts.User", "ids": [...]}`` → ``用户 12 人``."""
    from django.apps import apps

    if not isinstance(value, dict):
        return "—"
    try:
        label = str(apps.get_model(value.get("model", ""))._meta.verbose_name)
    except (LookupError, ValueError):
        label = "个人"
    return f"{label} {len(value.get('ids') or [])} 人"


def counts(value, names) -> str:
    if not isinstance(value, dict):
        return "—"
    return "；".join(f"{label} {count}" for label, count in value.items()) or "—"


def register() -> None:
    register_audit_keys({"fields": "查看的信息"}, action="view_personal")
    register_audit_values("fields", personal_field_names, action="view_personal")
    register_audit_keys({"fields": "含个人信息的列", "subjects": "涉及的个人"}, action="export")
    register_audit_values("subjects", subjects, action="export")
    register_audit_keys({"purged": "清理数量", "days": "保存期限（天）"}, action="pii_purge")
    register_audit_values("purged", counts, action="pii_purge")
    register_audit_values("days", counts, action="pii_purge")
    register_audit_keys(
        {"active_key": "当前密钥编号", "reencrypted": "重新加密的数值", "reindexed": "重算的检索摘要"},
        action="crypto_rotate",
    )
    register_audit_values("reencrypted", counts, action="crypto_rotate")
