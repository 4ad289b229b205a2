"""How the audit rows of accounts read (``core.changes``): roles by name, how someone signed in, why it failed."""

from zhaoshang.core.changes import labels_of, reference, register_audit_keys, register_audit_values


def role_names(value, names) -> str:
    from zhaoshang.accounts.roles import ROLES

    codes = value if isinstance(value, list) else [value]
    return "、".join(ROLES[code].name if code in ROLES else "其他角色" for code in codes) or "无"


def register() -> None:
    from zhaoshang.accounts.models import AccountChangeKind

    register_audit_keys({"roles": "角色"}, action="set_roles")
    register_audit_values("roles", role_names, action="set_roles")
    register_audit_keys({"via": "登录方式"}, action="login")
    register_audit_values("via", {"web": "网页登录", "api-token": "接口令牌"}, action="login")
    register_audit_keys({"attempt": "连续失败次数", "reason": "拒绝原因"}, action="login_failed")
    register_audit_keys({"idle": "闲置超时自动退出"}, action="logout")
    register_audit_keys({"by": "修改途径"}, action="password_change")
    register_audit_values("by", {"admin": "系统管理后台（管理员重置）"}, action="password_change")
    # Account controls (issue 13).
    register_audit_keys({"second_factor": "第二因素"}, action="login")
    register_audit_values("second_factor", {"totp": "动态口令", "recovery": "恢复码"}, action="login")
    register_audit_keys({"factor": "失败环节"}, action="login_failed")
    register_audit_values("factor", {"totp": "动态口令"}, action="login_failed")
    register_audit_values(
        "reason",
        {
            "locked": "账户已锁定",
            "demo_password_in_production": "生产环境不能使用演示密码",
            "inactive": "账户已停用",
        },
        action="login_failed",
    )
    register_audit_keys({"sessions_ended": "已结束全部会话和令牌"}, action="lockout")
    register_audit_keys({"recovery_codes": "恢复码个数"}, action="mfa_enrol")
    shared = {
        "sessions_ended": "已结束全部会话和令牌",
        "approved_by": "复核人",
        "must_change_password": "下次登录须修改密码",
    }
    for action in ("password_reset", "mfa_reset", "account_move", "set_roles", "unlock"):
        register_audit_keys(shared, action=action)
    register_audit_keys({"org_unit": "所属机构", "path": "辖区", "widens": "扩大数据范围"}, action="account_move")
    register_audit_values("org_unit", reference("accounts.OrgUnit"), action="account_move")
    register_audit_keys({"last_used": "最后使用", "days": "闲置天数上限"}, action="account_disable")
    kinds = {"kind": "事项", "request": "申请编号", "roles": "角色", "org_unit": "所属机构"}
    for action in ("account_change_request", "account_change_approve", "account_change_reject"):
        register_audit_keys(kinds, action=action)
        register_audit_values("kind", labels_of(AccountChangeKind.choices), action=action)
    register_audit_values("roles", role_names, action="account_change_request")
    register_audit_values("org_unit", reference("accounts.OrgUnit"), action="account_change_request")
