from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.utils import timezone

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.core.scope import ScopedQuerySet


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


class UserManager(AuthUserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    """A platform account. Staff belong to one org unit and so to one jurisdiction node; enterprise users to none."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT)
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    scope_field = "org_unit__path"
    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]
        permissions = [("assign_roles_user", "分配角色"), ("unlock_user", "解锁账户"), ("export_user", "导出用户")]

    def __str__(self):
        return self.full_name or self.username

    @property
    def scope_path(self) -> str | None:
        return self.org_unit.path if self.org_unit_id else None

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
