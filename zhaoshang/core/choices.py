class Action:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    EXPORT = "export"
    IMPORT = "import"
    SUGGEST_INDUSTRIES = "suggest_industries"
    ATTACHMENT_ADD = "attachment_add"
    ATTACHMENT_DOWNLOAD = "attachment_download"
    ATTACHMENT_REMOVE = "attachment_remove"
    # Refused attempts (issue 11): outside the user's scope (404), without the permission (403), a 不招 save.
    REFUSED_SCOPE = "refused_scope"
    REFUSED_PERMISSION = "refused_permission"
    REFUSED_ADMISSION = "refused_admission"
    REFUSALS = (REFUSED_SCOPE, REFUSED_PERMISSION, REFUSED_ADMISSION)
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
        "import": "导入",
        "suggest_industries": "补充产业分类",
        "job_start": "启动后台任务",
        "password_change": "修改密码",
        "admission_override": "准入放行",
        "admission_review": "慎招待研判",
        "load_reference_data": "载入参考数据",
        "transition": "阶段变更",
        "agreement": "录入协议",
        "change_investor": "换业主",
        "merge": "合并重复项目",
        "fund_entry": "录入到位资金",
        "fund_correct": "冲销更正",
        "fund_approve": "审核通过更正",
        "fund_reject": "退回更正",
        "month_lock": "锁定月份",
        "month_unlock": "解除月份锁定",
        "seed_demo": "生成演示数据",
        "set_tag": "设置企业标签",
        "set_follow_up": "设置专人盯",
        "reveal_contact": "查看联系人完整信息",
        "activity_link": "活动关联项目",
        "activity_lead": "由活动生成线索",
        "load_enterprises": "载入企业名单",
        "library_submit": "招大引强入库申报",
        "library_review": "招大引强州市审核通过",
        "library_approve": "招大引强省级审定入库",
        "library_return": "招大引强入库退回",
        "library_threshold": "设置招大引强入库门槛",
        "refused_scope": "拒绝：访问辖区外对象",
        "refused_permission": "拒绝：无此功能权限",
        "refused_admission": "拒绝：不招项目保存",
        # Personal information and commercial cryptography (issue 13): core.pii, core.crypto
        "view_personal": "查看个人信息",
        "pii_purge": "清理到期个人信息",
        "crypto_rotate": "轮换数据加密密钥",
        "password_reset": "重置他人密码",
        "mfa_enrol": "绑定动态口令",
        "mfa_reset": "重置动态口令",
        "account_move": "调整所属机构",
        "account_disable": "停用长期未用账户",
        "account_change_request": "提交三员账户变更（待复核）",
        "account_change_approve": "复核通过三员账户变更",
        "account_change_reject": "驳回三员账户变更",
        "job_reaped": "标记中断任务",
        "attachment_add": "上传附件",
        "attachment_download": "下载附件",
        "attachment_remove": "删除附件",
    }
    # Kinds of row the audit administrator searches by (the 类别 filter of the audit trail).
    KINDS = {
        "refusal": ("全部拒绝记录", REFUSALS),
        "account": (
            "登录与账户",
            (
                LOGIN,
                LOGOUT,
                LOGIN_FAILED,
                LOCKOUT,
                "password_change",
                "set_roles",
                "unlock",
                "password_reset",
                "mfa_enrol",
                "mfa_reset",
                "account_move",
                "account_disable",
                "account_change_request",
                "account_change_approve",
                "account_change_reject",
            ),
        ),
        "export": ("导出与查看敏感信息", (EXPORT, "reveal_contact", "view_personal", ATTACHMENT_DOWNLOAD)),
    }
