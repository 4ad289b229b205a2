class Action:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    EXPORT = "export"
    LABELS = {
        "create": "新增",
        "update": "修改",
        "delete": "删除",
        "login": "登录",
        "logout": "退出",
        "login_failed": "登录失败",
        "lockout": "账户锁定",
        "export": "导出",
        "retire": "撤销",
        "set_roles": "分配角色",
        "unlock": "解锁",
    }
