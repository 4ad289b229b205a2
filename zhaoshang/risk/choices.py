from django.db import models


class WarningState(models.TextChoices):
    OPEN = "open", "待处理"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已排除"
    RESOLVED = "resolved", "已解决"


# Warnings that still count in a project's risk score and that a re-scan keeps up to date.
LIVE_STATES = (WarningState.OPEN, WarningState.CONFIRMED)
CLOSED_STATES = (WarningState.DISMISSED, WarningState.RESOLVED)


class RuleCode(models.TextChoices):
    NO_FUNDS = "no_funds", "签约后长期无资金到位"
    NOT_STARTED = "not_started", "签约后长期未开工"
    MILESTONE = "milestone", "进度晚于协议约定节点"
    PROMISE_OVERDUE = "promise_overdue", "招商承诺逾期"
    CREDIT = "credit", "投资方失信或注销"
    TICKET_OVERDUE = "ticket_overdue", "企业诉求超时限"
    LAND_IDLE = "land_idle", "交地后土地闲置"
    COLLECTIVE_MISSING = "collective_missing", "慎招项目未经集体决策"
    LAWFULNESS_UNREVIEWED = "lawfulness_unreviewed", "承诺条款合法性未审查"
