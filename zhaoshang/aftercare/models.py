"""Enterprise requests (诉求) handled in a closed loop, and incentive promises tracked until lawfully honoured.

Both belong to a jurisdiction (the handling county's node, the project's node) and to an enterprise: bureaus see
them by jurisdiction, an enterprise account only its own (``core.scope.EnterpriseScopedQuerySet``)."""

from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from zhaoshang.aftercare.choices import (
    FINAL_STATES,
    ClockKind,
    CoHandlerRole,
    EventKind,
    PromiseKind,
    PromiseState,
    Rating,
    TicketCategory,
    TicketNature,
    TicketState,
)
from zhaoshang.core.models import AppendOnlyModel, AppendOnlyQuerySet, recorded_by
from zhaoshang.core.scope import REFERENCE, EnterpriseScopedQuerySet, ScopedQuerySet, user_node_path

MONEY = {"max_digits": 14, "decimal_places": 2}


class AppendOnlyEnterpriseQuerySet(AppendOnlyQuerySet, EnterpriseScopedQuerySet):
    """Rows written once (steps, payments), in both scopes."""


class TimeLimit(models.Model):
    """A time limit in working days, kept as data so that a bureau's rules can change without a release."""

    code = models.CharField("代码", max_length=30, unique=True)
    label = models.CharField("时限", max_length=50)
    working_days = models.PositiveSmallIntegerField("工作日", help_text="0 表示当日")

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "办理时限"
        ordering = ["id"]

    def __str__(self):
        return f"{self.label}：{self.working_days}个工作日"


class CompanyLink(models.Model):
    """A bureau's link of a registered enterprise to its record in the enterprise library and to its projects."""

    company = models.ForeignKey("accounts.Company", verbose_name="企业", on_delete=models.PROTECT, related_name="links")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="company_links",
    )
    investor = models.ForeignKey(
        "investors.Enterprise", verbose_name="企业库记录", null=True, blank=True, on_delete=models.PROTECT
    )
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    linked_by = recorded_by("关联人", related_name="+")
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    scope_field = "path"
    enterprise_field = "company"
    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业关联"
        constraints = [
            models.UniqueConstraint(fields=["company", "project"], name="aftercare_link_company_project"),
        ]

    def __str__(self):
        return f"{self.company} → {self.project or self.investor}"


class TicketQuerySet(EnterpriseScopedQuerySet):
    def _for_user(self, user, action: str):
        rows = super()._for_user(user, action)
        org = getattr(user, "org_unit_id", None)
        if not org or user.is_superuser or not user.is_active:
            return rows
        if action and not user.has_perm(f"aftercare.{action}_ticket"):
            return rows
        # A co-handling unit (联办协办) outside the handling county sees the requests it was assigned.
        assigned = TicketUnit.objects.filter(org_unit_id=org).values("ticket_id")
        return self.filter(Q(pk__in=rows.values("pk")) | Q(pk__in=assigned))

    def open(self):
        return self.exclude(state__in=FINAL_STATES)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def solved(self):
        return self.filter(state=TicketState.CLOSED)


class Ticket(models.Model):
    """诉求: an enterprise's request, from submission to 办结. Every step is a ``TicketEvent``."""

    number = models.CharField("诉求编号", max_length=20, unique=True, editable=False)
    company = models.ForeignKey("accounts.Company", verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name="涉及项目", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField("诉求类别", max_length=20, choices=TicketCategory.choices)
    nature = models.CharField(
        "办理性质", max_length=20, choices=TicketNature.choices, default=TicketNature.COORDINATION
    )
    urgent = models.BooleanField("紧急", default=False)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("诉求内容", max_length=4000)
    region = models.ForeignKey("regions.Region", verbose_name="办理地", on_delete=models.PROTECT, related_name="+")
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    handler = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField("状态", max_length=20, choices=TicketState.choices, default=TicketState.SUBMITTED)
    # The running clock: which step is timed, from when, until when (working days, core of 时限).
    clock = models.CharField("计时环节", max_length=10, choices=ClockKind.choices, blank=True)
    clock_start = models.DateField("计时起点", null=True, blank=True)
    due_on = models.DateField("办理时限", null=True, blank=True, db_index=True)
    reminded = models.JSONField("已发提醒", default=list, blank=True, editable=False)
    escalation_level = models.PositiveSmallIntegerField("上报层级", default=0, editable=False)
    escalated_to = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="已上报至", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supervised_count = models.PositiveSmallIntegerField("督办次数", default=0, editable=False)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0, editable=False)
    extension_days = models.PositiveSmallIntegerField("申请延期（工作日）", default=0, editable=False)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    answer = models.TextField("答复内容", blank=True, max_length=4000)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    signed_on_time = models.BooleanField("按时签收", null=True, editable=False)
    answered_on_time = models.BooleanField("按时答复", null=True, editable=False)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, editable=False)
    withdraw_checked = models.BooleanField("撤单已核实", default=False, editable=False)
    created_by = recorded_by("提交人", related_name="+")

    scope_field = "path"
    enterprise_field = "company"
    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业诉求"
        ordering = ["-id"]
        permissions = [("supervise_ticket", "督办企业诉求"), ("export_ticket", "导出企业诉求")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("aftercare:ticket_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES


class TicketEvent(AppendOnlyModel):
    """One dated step of a request, with who did it and why: the request's history, never changed."""

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("环节", max_length=20, choices=EventKind.choices)
    from_state = models.CharField("原状态", max_length=20, choices=TicketState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=TicketState.choices, blank=True)
    actor = recorded_by("办理人", null=True, blank=True, related_name="+")
    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    note = models.CharField("说明", max_length=1000, blank=True)

    scope_field = "ticket__path"
    enterprise_field = "ticket__company"
    objects = AppendOnlyEnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "诉求办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.ticket.number} {self.get_kind_display()}"


class TicketUnit(models.Model):
    """A co-handling unit (联办 / 协办) of a request: another bureau or a department."""

    ticket = models.ForeignKey(Ticket, verbose_name="诉求", on_delete=models.PROTECT, related_name="units")
    org_unit = models.ForeignKey("accounts.OrgUnit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("方式", max_length=10, choices=CoHandlerRole.choices)
    added_by = recorded_by("指派人", related_name="+")
    added_at = models.DateTimeField("指派时间", auto_now_add=True)

    scope_field = "ticket__path"
    enterprise_field = "ticket__company"
    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "联办协办单位"
        constraints = [models.UniqueConstraint(fields=["ticket", "org_unit"], name="aftercare_ticket_unit_once")]

    def __str__(self):
        return f"{self.org_unit}（{self.get_role_display()}）"


class NotificationQuerySet(ScopedQuerySet):
    def _for_user(self, user, action: str):
        # A notification is its recipient's alone, whoever else may see the request it is about.
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message (时限提醒, 督办, 上报, a new step of one's request); also sent by e-mail."""

    recipient = models.ForeignKey(
        "accounts.User", verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(Ticket, verbose_name="诉求", null=True, blank=True, on_delete=models.CASCADE)
    promise = models.ForeignKey("Promise", verbose_name="承诺", null=True, blank=True, on_delete=models.CASCADE)
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)

    scope_field = "recipient__org_unit__path"  # applied as "the recipient only" (NotificationQuerySet)
    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "消息提醒"
        ordering = ["-id"]
        default_permissions = ()

    def __str__(self):
        return self.text

    @property
    def url(self) -> str:
        if self.ticket_id:
            return reverse("aftercare:ticket_detail", args=[self.ticket_id])
        if self.promise_id:
            return reverse("aftercare:promise_detail", args=[self.promise_id])
        return ""


class PromiseQuerySet(EnterpriseScopedQuerySet):
    def open(self):
        return self.exclude(state__in=[PromiseState.HONOURED, PromiseState.TERMINATED])

    def due_by(self, day):
        return self.open().filter(due_on__lte=day)


class Promise(models.Model):
    """招商承诺: one incentive clause of an agreement, tracked until it is lawfully honoured. Its state up to
    条件已满足 is evaluated from the project (``aftercare.conditions``), never typed in."""

    clause = models.OneToOneField(
        "projects.IncentiveClause", verbose_name="优惠条款", on_delete=models.PROTECT, related_name="promise"
    )
    project = models.ForeignKey("projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("承诺类型", max_length=20, choices=PromiseKind.choices)
    content = models.CharField("承诺内容", max_length=300)
    amount_wan = models.DecimalField("金额（万元）", null=True, blank=True, **MONEY)
    conditions = models.JSONField("兑现条件", default=list, blank=True)
    legal_basis = models.CharField("政策依据", max_length=500, blank=True)
    responsible = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("兑现期限", null=True, blank=True)
    state = models.CharField("状态", max_length=12, choices=PromiseState.choices, default=PromiseState.PROMISED)
    state_before = models.CharField("逾期或争议前状态", max_length=12, blank=True, editable=False)
    # 《公平竞争审查条例》: a clause of a kind it bars without a legal basis is flagged at entry; it is approved for
    # payment only after a legal basis is recorded and a second person has reviewed it.
    flagged = models.BooleanField("公平竞争审查标记", default=False, editable=False)
    flag_reasons = models.JSONField("标记原因", default=list, blank=True, editable=False)
    basis_recorded_by = recorded_by("依据登记人", null=True, blank=True, related_name="+")
    basis_recorded_at = models.DateTimeField("依据登记时间", null=True, blank=True, editable=False)
    reviewed_by = recorded_by("复核人", null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True, editable=False)
    review_note = models.CharField("复核意见", max_length=300, blank=True, editable=False)
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    created_by = recorded_by("录入人", related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    scope_field = "path"
    enterprise_field = "project__company_links__company"
    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "招商承诺"
        ordering = ["-id"]
        permissions = [
            ("approve_promise", "核准承诺兑现"),
            ("pay_promise", "登记承诺支付"),
            ("review_promise", "公平竞争审查复核"),
            ("apply_promise", "申请承诺兑现"),
            ("export_promise", "导出招商承诺"),
        ]

    def __str__(self):
        return f"{self.project.name}：{self.content}"

    def get_absolute_url(self):
        return reverse("aftercare:promise_detail", args=[self.pk])

    @property
    def paid_wan(self):
        return self.payments.aggregate(total=Sum("amount_wan"))["total"] or 0

    @property
    def lawfulness_cleared(self) -> bool:
        """Not flagged, or flagged with a legal basis recorded and reviewed by a second person."""
        if not self.flagged:
            return True
        return bool(self.legal_basis and self.basis_recorded_by_id and self.reviewed_by_id)


class PromisePayment(AppendOnlyModel):
    """One payment towards a promise (万元), appended; a mistake is corrected by a new, negative entry."""

    append_only_hint = "；如有错误请登记冲正分录"

    promise = models.ForeignKey(Promise, verbose_name="承诺", on_delete=models.PROTECT, related_name="payments")
    amount_wan = models.DecimalField("支付金额（万元）", **MONEY)
    paid_on = models.DateField("支付日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = recorded_by("登记人", related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope_field = "promise__path"
    enterprise_field = "promise__project__company_links__company"
    objects = AppendOnlyEnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "承诺支付分录"
        ordering = ["paid_on", "id"]

    def __str__(self):
        return f"{self.promise_id}：{self.amount_wan}万元"


class PromiseEvent(AppendOnlyModel):
    """One dated step of a promise (状态变化、依据登记、复核、争议), with who and why."""

    promise = models.ForeignKey(Promise, verbose_name="承诺", on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField("原状态", max_length=12, choices=PromiseState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=PromiseState.choices, blank=True)
    action = models.CharField("环节", max_length=30)
    actor = recorded_by("办理人", null=True, blank=True, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=500, blank=True)

    scope_field = "promise__path"
    enterprise_field = "promise__project__company_links__company"
    objects = AppendOnlyEnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "承诺办理记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.promise_id} {self.action}"


def user_is_bureau(user) -> bool:
    return bool(user.is_superuser or user_node_path(user))
