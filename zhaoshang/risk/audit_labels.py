"""How the audit rows of the risk app read: its actions in words and the keys its services add."""

from zhaoshang.core.changes import labels_of, register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action


def register() -> None:
    from zhaoshang.core.audit_labels import JOB_KINDS
    from zhaoshang.risk.choices import WarningState
    from zhaoshang.risk.tasks import DIGEST_KIND, SCAN_KIND

    JOB_KINDS[SCAN_KIND] = "风险预警扫描"
    JOB_KINDS[DIGEST_KIND] = "风险预警周报"
    Action.LABELS.update(
        {
            "risk_scan": "风险预警扫描",
            "risk_digest": "发送风险预警周报",
            "risk_rule_update": "修改风险规则",
            "warning_confirm": "确认风险预警",
            "warning_dismiss": "排除风险预警",
            "warning_resolve": "解决风险预警",
        }
    )
    register_audit_values("state", labels_of(WarningState.choices), action="warning_confirm")
    for action in ("warning_dismiss", "warning_resolve"):
        register_audit_values("state", labels_of(WarningState.choices), action=action)
    register_audit_keys(
        {"created": "新增预警", "updated": "仍存在的预警", "cleared": "条件已消除", "rules": "按规则", "on": "日期"},
        action="risk_scan",
    )
    register_audit_keys({"bureaus": "收到周报的机构", "messages": "消息条数", "on": "日期"}, action="risk_digest")
