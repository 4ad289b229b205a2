"""How the audit rows of the projects app read (``core.changes``): the keys its services write besides the fields
of the row's model, the codes among its values, and the shape of the agreement and merge rows."""

from zhaoshang.core.audit_labels import JOB_KINDS
from zhaoshang.core.changes import (
    count_of,
    labels_of,
    money,
    reference,
    register_audit_keys,
    register_audit_model,
    register_audit_section,
    register_audit_shape,
    register_audit_values,
)

LIBRARY_ACTIONS = ("library_submit", "library_review", "library_approve", "library_return")


def rule_names(value, names) -> str:
    from zhaoshang.catalog.labels import admission_rule_labels

    return admission_rule_labels(value) or "—"


def reasons(value, names) -> str:
    return "；".join(str(reason).rstrip("。；") for reason in value) + "。" if value else "—"


def agreement_shape(before, after):
    """An agreement row holds the project before and the new agreement after: what changed on the project is its
    协议投资额 (the agreement's amount); the agreement itself is new."""
    if not isinstance(before, dict) or not isinstance(after, dict) or "signed_on" not in after:
        return before, after
    return (
        {"agreed_investment_wan": before.get("agreed_investment_wan")},
        {"agreed_investment_wan": after.get("amount_wan"), "agreement": after},
    )


def register() -> None:
    from zhaoshang.projects.models import AdmissionVerdict
    from zhaoshang.projects.models.library import LibraryLevel, LibraryStatus
    from zhaoshang.projects.tasks import IMPORT_KIND, TAIZHANG_KIND

    JOB_KINDS[IMPORT_KIND] = "项目导入"
    JOB_KINDS[TAIZHANG_KIND] = "台账导入"
    # 准入: the project's own fields and the decision rows, and a refused 不招 save
    for key in ("admission_rules", "rules"):
        register_audit_values(key, rule_names)
    for key in ("admission_reasons", "reasons"):
        register_audit_values(key, reasons)
    register_audit_values("verdict", labels_of(AdmissionVerdict.choices))
    register_audit_keys(
        {
            "verdict": "准入结论",
            "rules": "触发的准入规则",
            "reasons": "准入检查说明",
            "overridden": "决定放行",
        }
    )
    register_audit_keys({"reason": "决定理由"}, action="admission_override")
    for action in ("admission_override", "admission_review"):
        register_audit_keys({"decision": "准入决定编号"}, action=action)
    # 审核到位资金更正: the decision row, recorded on the correction it decides
    for action in ("fund_approve", "fund_reject"):
        register_audit_model(action, "projects.CorrectionApproval")
    # 招大引强项目库 steps (recorded on the project)
    for action in LIBRARY_ACTIONS:
        register_audit_keys(
            {
                "library_status": "入库状态",
                "step": "当前环节",
                "level": "办理层级",
                "reason": "理由",
                "amount_wan": "申报时协议投资额（万元）",
                "on": "日期",
            },
            action=action,
        )
        register_audit_values("library_status", labels_of(LibraryStatus.choices), action=action)
        register_audit_values("step", labels_of(LibraryLevel.choices), action=action)
        register_audit_values("level", labels_of(LibraryLevel.choices), action=action)
        register_audit_values("amount_wan", money, action=action)
    # 录入协议: the project's amount, then the new agreement and its incentive clauses
    register_audit_keys({"suggested": "按名称和简介补充的产业分类"}, action="suggest_industries")
    register_audit_values("suggested", lambda value, names: "；".join(value) or "—", action="suggest_industries")
    register_audit_shape("agreement", agreement_shape)
    register_audit_section("agreement", "协议", model="projects.Agreement", action="agreement")
    register_audit_section("clauses", "优惠条款", model="projects.IncentiveClause")
    # 合并重复项目: both records before and after, and what moved to the survivor
    register_audit_section("duplicate", "重复项目", model="projects.Project", action="merge")
    register_audit_section("survivor", "保留项目", model="projects.Project", action="merge")
    register_audit_section("moved", "转入保留项目", action="merge")
    register_audit_keys({"transitions": "阶段记录", "funding_entries": "到位资金分录"})
    register_audit_values("transitions", count_of("条"))
    register_audit_values("funding_entries", count_of("条"))
    # Imports of projects (one row per jurisdiction node)
    register_audit_keys(
        {"already_imported": "此前已导入（跳过）", "enterprises_created": "新建投资方", "agreements": "协议"},
        action="import",
    )
    register_audit_values("agreements", count_of("份"), action="import")
    register_audit_keys(
        {
            "funding_entries": "到位资金分录",
            "funding_total_wan": "到位资金合计（万元）",
            "source": "来源",
            "sha256": "文件指纹",
            "skipped_rows": "跳过的非项目行",
            "mappings": "列映射",
        },
        action="import",
    )
    # 项目流转 (issue 20): each step on the transfer; the proposal holds the transfer and its sharing agreement
    from zhaoshang.core.choices import Action
    from zhaoshang.projects.models import TransferStatus

    Action.LABELS.update(
        {
            "transfer_propose": "提出项目流转",
            "transfer_accept": "项目流转接收方确认",
            "transfer_file": "项目流转上级备案（完成）",
            "transfer_return": "项目流转退回",
        }
    )
    register_audit_section("transfer", "项目流转", model="projects.Transfer", action="transfer_propose")
    register_audit_section("sharing", "利益共享协议", model="projects.SharingAgreement", action="transfer_propose")
    for action in ("transfer_accept", "transfer_file", "transfer_return"):
        register_audit_values("status", labels_of(TransferStatus.choices), action=action)
        register_audit_keys(
            {"status": "状态", "project_path": "项目所在区划路径", "completed_on": "完成日期", "reason": "退回原因"},
            action=action,
        )
    # 集体决策 / 合法性审查 records (recorded on the project)
    Action.LABELS["decision_record"] = "录入集体决策或合法性审查记录"
    register_audit_model("decision_record", "projects.DecisionRecord")
    register_audit_keys({"participants": "参会单位"}, action="decision_record")
    register_audit_values("participants", lambda value, names: "、".join(value) or "—", action="decision_record")
    # An activity's link to a project
    register_audit_keys({"project": "项目"})
    register_audit_values("project", reference("projects.Project"))
