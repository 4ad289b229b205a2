"""How the audit rows of accounts read (``core.changes``): roles by name, how someone signed in, why it failed."""

from zhaoshang.core.changes import register_audit_keys, register_audit_values


def role_names(value, names) -> str:
    from zhaoshang.accounts.roles import ROLES

    codes = value if isinstance(value, list) else [value]
    return "、".join(ROLES[code].name if code in ROLES else "其他角色" for code in codes) or "无"


def register() -> None:
    register_audit_keys({"roles": "角色"}, action="set_roles")
    register_audit_values("roles", role_names, action="set_roles")
    register_audit_keys({"via": "登录方式"}, action="login")
    register_audit_values("via", {"web": "网页登录", "api-token": "接口令牌"}, action="login")
    register_audit_keys({"attempt": "连续失败次数", "reason": "拒绝原因"}, action="login_failed")
    register_audit_values(
        "reason",
        {"locked": "账户已锁定", "demo_password_in_production": "生产环境不能使用演示密码"},
        action="login_failed",
    )
    register_audit_keys({"idle": "闲置超时自动退出"}, action="logout")
    register_audit_keys({"by": "修改途径"}, action="password_change")
    register_audit_values("by", {"admin": "系统管理后台（管理员重置）"}, action="password_change")
