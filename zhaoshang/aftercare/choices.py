from django.db import models


class TicketCategory(models.TextChoices):
    LAND = "land", "要素保障·用地"
    POWER = "power", "要素保障·用电"
    WATER = "water", "要素保障·用水"
    APPROVAL = "approval", "审批手续"
    FINANCE = "finance", "融资"
    LABOUR = "labour", "用工"
    POLICY = "policy", "政策兑现"
    COMPLAINT = "complaint", "投诉"
    OTHER = "other", "其他"


class TicketNature(models.TextChoices):
    """What the answer needs: a consultation is answered in 3 working days, a matter needing coordination in 13."""

    CONSULT = "consult", "咨询类"
    COORDINATION = "coordination", "需协调办理"


class TicketState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    DISPATCHED = "dispatched", "已派单"
    SIGNED = "signed", "已签收"
    RETURNED = "returned", "退单"
    IN_PROGRESS = "in_progress", "办理中"
    ANSWERED = "answered", "已答复"
    VISITED = "visited", "已回访"
    RATED = "rated", "已评价"
    CLOSED = "closed", "办结"
    WITHDRAWN = "withdrawn", "已撤单"


FINAL_STATES = (TicketState.REFUSED, TicketState.CLOSED, TicketState.WITHDRAWN)
# The enterprise may withdraw a request until it has been answered.
WITHDRAWABLE = (
    TicketState.SUBMITTED,
    TicketState.ACCEPTED,
    TicketState.DISPATCHED,
    TicketState.SIGNED,
    TicketState.RETURNED,
    TicketState.IN_PROGRESS,
)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class EventKind(models.TextChoices):
    SUBMIT = "submit", "提交诉求"
    ACCEPT = "accept", "受理"
    REFUSE = "refuse", "不予受理"
    DISPATCH = "dispatch", "派单"
    SIGN = "sign", "签收"
    RETURN = "return", "退单"
    START = "start", "开始办理"
    CO_HANDLER = "co_handler", "增加联办协办单位"
    EXTENSION_REQUEST = "extension_request", "申请延期"
    EXTENSION_APPROVE = "extension_approve", "批准延期"
    EXTENSION_REFUSE = "extension_refuse", "不批准延期"
    ANSWER = "answer", "答复"
    VISIT = "visit", "回访"
    RATE = "rate", "评价"
    REOPEN = "reopen", "重办"
    CLOSE = "close", "办结"
    WITHDRAW = "withdraw", "撤单"
    WITHDRAW_CHECK = "withdraw_check", "撤单核实"
    OFFLINE = "offline", "线下联动"
    SUPERVISE = "supervise", "督办"
    ESCALATE = "escalate", "逐级上报"
    REMIND = "remind", "时限提醒"


class OfflineKind(models.TextChoices):
    VISIT = "visit", "走访"
    MEETING = "meeting", "协调会"
    SITE = "site", "现场办公"


class CoHandlerRole(models.TextChoices):
    JOINT = "joint", "联办"
    ASSIST = "assist", "协办"


class ClockKind(models.TextChoices):
    SIGN = "sign", "签收"
    ANSWER = "answer", "答复"
    VISIT = "visit", "回访"


class PromiseKind(models.TextChoices):
    LAND = "land", "土地"
    INFRASTRUCTURE = "infrastructure", "基础设施配套"
    SUBSIDY = "subsidy", "奖补"
    TALENT = "talent", "人才"
    OTHER = "other", "其他"


class PromiseState(models.TextChoices):
    PROMISED = "promised", "已承诺"
    UNMET = "unmet", "条件未满足"
    MET = "met", "条件已满足"
    APPLIED = "applied", "已申请"
    APPROVED = "approved", "已核准"
    PAID = "paid", "已支付"
    HONOURED = "honoured", "已兑现"
    OVERDUE = "overdue", "逾期"
    DISPUTED = "disputed", "争议"
    TERMINATED = "terminated", "依法终止"


# States whose 条件 the platform re-evaluates from the project (never typed in).
EVALUATED_STATES = (PromiseState.PROMISED, PromiseState.UNMET, PromiseState.MET)
PROMISE_FINAL = (PromiseState.HONOURED, PromiseState.TERMINATED)


class ConditionKind(models.TextChoices):
    STAGE = "stage", "项目达到阶段"
    FUNDS = "funds", "到位资金不低于（万元）"
    DATE = "date", "日期已到"
