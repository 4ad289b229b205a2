from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from zhaoshang.accounts.choices import CompanyStatus, OrgKind
from zhaoshang.core.models import recorded_by
from zhaoshang.core.pii import BlindIndexField, EncryptedCharField, PiiKind
from zhaoshang.core.scope import EnterpriseScopedQuerySet, ScopedQuerySet


class OrgUnit(models.Model):
    """A bureau, park committee or department. Its node (``path``) is the jurisdiction its users work in."""

    code = models.CharField("机构编码", max_length=40, unique=True)
    name = models.CharField("机构名称", max_length=100)
    kind = models.CharField("机构类型", max_length=30, choices=OrgKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="所属辖区", on_delete=models.PROTECT)
    park = models.ForeignKey("regions.Park", verbose_name="园区", null=True, blank=True, on_delete=models.PROTECT)
    key_industry = models.ForeignKey(
        "catalog.KeyIndustry", verbose_name="牵头产业", null=True, blank=True, on_delete=models.PROTECT
    )
    path = models.CharField("辖区路径", max_length=120, db_index=True)

    scope_field = "path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["path", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The node follows the park (a committee) or the region; it is never typed in.
        self.path = self.park.path if self.park_id else self.region.path
        super().save(*args, **kwargs)


class Company(models.Model):
    """An enterprise that registered on the platform (企业账户主体): its accounts act for it once the bureau of the
    county where it invests (or the province) has verified it. Its node (``path``) is that county's, so the bureau
    sees its registration; its own users see it through the enterprise scope (``enterprise_field``)."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = EncryptedCharField("联系电话", max_length=20, pii=PiiKind.PHONE)
    region = models.ForeignKey(
        "regions.Region", verbose_name="投资所在地", on_delete=models.PROTECT, help_text="负责核验的县市区（或省级）"
    )
    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)
    status = models.CharField("核验状态", max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.PENDING)
    decided_by = recorded_by("核验人", null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("核验时间", null=True, blank=True)
    decision_note = models.CharField("核验意见", max_length=300, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    scope_field = "path"
    enterprise_field = "pk"
    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "企业账户"
        ordering = ["-id"]
        permissions = [("verify_company", "核验企业账户"), ("export_company", "导出企业账户")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = self.region.path  # the verifying bureau's node, never typed in
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.status == CompanyStatus.VERIFIED


class UserManager(AuthUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A platform account. Staff belong to one org unit and so to one jurisdiction node; enterprise users to none."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    # Personal information: SM4-encrypted, masked in the audit trail, found by its blind index (core.pii).
    phone = EncryptedCharField("手机号", max_length=20, blank=True, pii=PiiKind.PHONE)
    phone_index = BlindIndexField(source="phone")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT)
    # An enterprise account acts for one enterprise, and only once the enterprise is verified (enterprise_scope_id).
    company = models.ForeignKey(
        Company, verbose_name="所属企业", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Account controls (issue 13, 等保 level 3): see docs/decisions.md "Accounts: second factor, password age…".
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码设置时间", default=timezone.now)
    # Part of the session hash: raising it ends every session of the account (lockout, disabling, resets).
    session_version = models.PositiveIntegerField("会话版本", default=0, editable=False)
    reenabled_at = models.DateTimeField("重新启用时间", null=True, blank=True, editable=False)
    totp_secret = models.CharField("动态口令密钥（SM4 加密）", max_length=200, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField("绑定动态口令时间", null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField("最近使用的动态口令时间步", null=True, blank=True, editable=False)

    scope_field = "org_unit__path"
    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]
        permissions = [
            ("assign_roles_user", "分配角色"),
            ("unlock_user", "解锁账户"),
            ("export_user", "导出用户"),
            ("reset_password_user", "重置他人密码与动态口令"),
            ("move_user", "调整用户所属机构（含扩大范围）"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def scope_path(self) -> str | None:
        return self.org_unit.path if self.org_unit_id else None

    @property
    def enterprise_scope_id(self) -> int | None:
        """The enterprise this account may act for: never for staff (an org unit), never before verification."""
        if self.org_unit_id or self.is_staff or self.is_superuser or not self.company_id:
            return None
        return self.company_id if self.company.is_verified else None

    @property
    def role_codes(self) -> set[str]:
        from zhaoshang.accounts.roles import ROLE_BY_NAME

        return {ROLE_BY_NAME[g.name].code for g in self.groups.all() if g.name in ROLE_BY_NAME}

    @property
    def role_names(self) -> str:
        return "、".join(sorted(g.name for g in self.groups.all()))

    @property
    def status_label(self) -> str:
        if not self.is_active:
            return "停用"
        return "已锁定" if self.is_locked() else "正常"

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    @property
    def is_internal(self) -> bool:
        """Bureau staff and administrators (an org unit, or the admin site); enterprise accounts are not."""
        return bool(self.org_unit_id or self.is_staff or self.is_superuser)

    @property
    def is_separated_admin(self) -> bool:
        """Holds one of the system, security and audit administrator roles (三员), or is a superuser."""
        from zhaoshang.accounts.roles import SEPARATED_ADMIN_ROLES

        return self.is_superuser or bool(self.role_codes & SEPARATED_ADMIN_ROLES)

    @property
    def mfa_enrolled(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)

    def password_expired(self, now=None) -> bool:
        days = settings.PASSWORD_MAX_AGE_DAYS
        return bool(days) and self.password_changed_at <= (now or timezone.now()) - timedelta(days=days)

    def password_change_required(self, now=None) -> bool:
        """An initial or reset password (one-time), or one older than PASSWORD_MAX_AGE_DAYS."""
        return self.must_change_password or self.password_expired(now)

    def set_password(self, raw_password):
        self._replaced_password = self.password
        super().set_password(raw_password)

    def save(self, *args, **kwargs):
        """A new password (``set_password``) also: keeps the old hash for the reuse check, and deletes the
        account's API tokens (the session hash changes with the password, which ends its other sessions)."""
        changed = self._password is not None  # Django's mark of set_password (not of a re-hash at login)
        if changed:
            self.password_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "password_changed_at"}
        super().save(*args, **kwargs)
        if changed:
            from rest_framework.authtoken.models import Token

            replaced = getattr(self, "_replaced_password", "")
            if replaced and replaced != self.password:
                PasswordHistory.objects.create(user=self, password=replaced)
            Token.objects.filter(user=self).delete()

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password field, plus session_version: a lock or a disabling ends every session.
        key_salt = "zhaoshang.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_version}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class PasswordHistory(models.Model):
    """A password hash the account used before (compared by ``PasswordHistoryValidator``; never shown)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=200)
    created_at = models.DateTimeField("停用时间", auto_now_add=True)

    scope_field = "user__org_unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class RecoveryCode(models.Model):
    """A one-time recovery code of the second factor, kept as a keyed SM3 digest (``accounts.mfa``)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="recovery_codes")
    key_id = models.CharField("密钥编号", max_length=32)
    digest = models.CharField("摘要", max_length=64)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    scope_field = "user__org_unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "恢复码"
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id}:{'已用' if self.used_at else '未用'}"


class AccountChangeKind(models.TextChoices):
    PASSWORD_RESET = "password_reset", "重置密码"
    MFA_RESET = "mfa_reset", "重置动态口令"
    MOVE = "move", "调整所属机构"
    SET_ROLES = "set_roles", "分配角色"
    UNLOCK = "unlock", "解锁账户"


class AccountChangeStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    APPROVED = "approved", "已复核执行"
    REJECTED = "rejected", "已驳回"


class AccountChangeRequest(models.Model):
    """A change to an account of the three administrators (三员), waiting for a second administrator.

    No administrator acts on another administrator's account alone: the change is filed by one and carried out
    when another of the three (neither the one who filed it nor its subject) approves it. A password reset keeps
    only the new password's hash."""

    kind = models.CharField("事项", max_length=20, choices=AccountChangeKind.choices)
    user = models.ForeignKey(User, verbose_name="账户", on_delete=models.PROTECT, related_name="change_requests")
    payload = models.JSONField("内容", default=dict, blank=True)
    requested_by = recorded_by("申请人", related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=AccountChangeStatus.choices, default=AccountChangeStatus.PENDING
    )
    decided_by = recorded_by("复核人", null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)

    scope_field = "user__org_unit__path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "三员账户变更复核"
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("approve_accountchangerequest", "复核三员账户变更")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.user.username}（{self.get_status_display()}）"
