"""How the audit rows of the aftercare app read: its actions in words and the keys its services add."""

from zhaoshang.core.changes import labels_of, money, register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action


def register() -> None:
    from zhaoshang.aftercare.choices import EventKind, PromiseState, Rating, TicketState
    from zhaoshang.aftercare.tasks import TICK_KIND
    from zhaoshang.core.audit_labels import JOB_KINDS

    JOB_KINDS[TICK_KIND] = "企业服务时限检查"
    Action.LABELS.update({f"ticket_{kind}": f"诉求·{label}" for kind, label in EventKind.choices})
    Action.LABELS.update(
        {
            "company_register": "企业注册",
            "company_verify": "核验企业账户",
            "company_add_user": "企业新增账号",
            "company_link": "关联企业与项目",
            "promise_create": "登记招商承诺",
            "promise_evaluate": "承诺条件评估",
            "promise_overdue": "承诺逾期",
            "promise_apply": "申请承诺兑现",
            "promise_basis": "登记承诺政策依据",
            "promise_review": "承诺公平竞争审查复核",
            "promise_approve": "核准承诺兑现",
            "promise_pay": "登记承诺支付",
            "promise_payment": "承诺支付分录",
            "promise_honour": "确认承诺兑现",
            "promise_dispute": "承诺争议",
            "promise_resolve": "承诺争议解决",
            "promise_terminate": "依法终止承诺",
        }
    )
    register_audit_values("state", labels_of(TicketState.choices + PromiseState.choices))
    register_audit_values("rating", labels_of(Rating.choices))
    register_audit_keys(
        {
            "user": "登录账号",
            "project": "项目",
            "investor": "企业库记录",
            "total_wan": "累计支付（万元）",
            "promise": "承诺",
            "paid_on": "支付日期",
        }
    )
    register_audit_values("total_wan", money)
