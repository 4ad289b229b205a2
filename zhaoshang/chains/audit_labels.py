"""How the audit rows of the chains app read: its actions are added to the core's labels, and the keys its services
write besides the fields of the row's model are named for ``core.changes``."""

from zhaoshang.chains.choices import AuditAction, Decision
from zhaoshang.core.changes import count_of, labels_of, register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action


def register() -> None:
    Action.LABELS.update(AuditAction.LABELS)
    register_audit_keys(
        {
            "chain_codes": "产业链",
            "node_count": "节点数",
            "flow_count": "供给关系数",
            "retired_version": "停用的版本",
            "copied_links": "沿用的挂链",
            "enterprise_links": "企业挂链",
            "project_links": "项目挂链",
            "kept_decisions": "保留的人工结论",
            "removed_links": "移除的自动挂链",
            "link_ids": "挂链编号",
            "change": "修订内容",
        }
    )
    register_audit_values("decision", labels_of(Decision.choices), action=AuditAction.DECIDE)
    for key in ("copied_links", "kept_decisions", "removed_links"):
        register_audit_values(key, count_of("条"))
