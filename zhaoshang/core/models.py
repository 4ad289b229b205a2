from django.conf import settings
from django.db import models

from zhaoshang.core.choices import Action
from zhaoshang.core.scope import REFERENCE, ScopedManager, ScopedQuerySet


def recorded_by(verbose_name: str, **options) -> models.ForeignKey:
    """The user who did something (created, changed, approved a row). The ORM refuses to delete a user referenced
    here (PROTECT; accounts are deactivated, not deleted), but the database keeps no constraint or index for it:
    imports write these columns on every row, each constraint is checked row by row at commit, and nothing looks
    rows up by who wrote them (docs/decisions.md)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        db_constraint=False,
        db_index=False,
        **options,
    )


def not_null_indexes(prefix: str, fields: list[str]) -> list[models.Index]:
    """Partial indexes of the rows where each field is set: a lookup by value uses them, and the many rows that
    leave the field empty cost nothing to insert (imports write thousands at a time)."""
    return [
        models.Index(fields=[name], condition=models.Q(**{f"{name}__isnull": False}), name=f"{prefix}_{name}_nn")
        for name in fields
    ]


class TimeStampedModel(models.Model):
    """Who created and last changed a row, and when."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = recorded_by("创建人", null=True, blank=True, related_name="+")
    updated_by = recorded_by("更新人", null=True, blank=True, related_name="+")

    class Meta:
        abstract = True


class JurisdictionModel(TimeStampedModel):
    """A row owned by a node of the jurisdiction tree; ``path`` is that node's materialized path."""

    path = models.CharField("辖区路径", max_length=120, db_index=True, editable=False)

    scope_field = "path"
    objects = ScopedManager()

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(ScopedQuerySet):
    """The rows of an append-only table are not updated or deleted in bulk either."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能追加，不能删除")


class AppendOnlyModel(models.Model):
    """A row that is written once: a change is a new row (a reversing entry, a new step, a new standard)."""

    append_only_hint = ""  # what to do instead, added to the message

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改{self.append_only_hint}")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能删除{self.append_only_hint}")


class AuditLogQuerySet(AppendOnlyQuerySet):
    def search(self, *, q: str):
        """Rows whose object is named by ``q``: its name, its id, or its kind in words (项目, 园区…)."""
        from django.apps import apps

        kinds = [m._meta.label for m in apps.get_models() if q and q in str(m._meta.verbose_name)]
        return self.filter(
            models.Q(object_repr__icontains=q)
            | models.Q(object_type__icontains=q)
            | models.Q(object_type__in=kinds)
            | models.Q(object_id=q)
        )

    def about(self, obj: models.Model):
        """The rows about one object: its own, and the import that created it. An import writes one row per
        jurisdiction node it filled, listing the objects it created there by id (``after["objects"]``), stamped
        with the same time as the objects themselves, so the time narrows the search to that import."""
        pk = str(obj.pk)
        created_by_import = models.Q(
            action=Action.IMPORT,
            created_at=obj.created_at,
            **{f"after__objects__{obj._meta.model_name}__has_key": pk},
        )
        return self.filter(models.Q(object_type=obj._meta.label, object_id=pk) | created_by_import)


class AuditLog(AppendOnlyModel):
    """One append-only row per change, login and export, chained to the previous row by an HMAC."""

    created_at = models.DateTimeField("时间", db_index=True)
    actor = recorded_by("操作人", null=True, blank=True)
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    path = models.CharField("辖区路径", max_length=120, db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The MAC's algorithm and key: "sm3-<n>" (HMAC-SM3), "" for rows written before the switch (HMAC-SHA256).
    key_id = models.CharField("密钥标识", max_length=32, blank=True, default="")

    scope_field = "path"
    objects = models.Manager.from_queryset(AuditLogQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("export_auditlog", "导出审计日志")]
        # Plain indexes and a constraint rather than ``db_index``/``unique`` on the fields: those add a second,
        # pattern-matching index on PostgreSQL that no query here uses, and every import writes each index.
        indexes = [
            models.Index(fields=["action"], name="auditlog_action_idx"),
            models.Index(fields=["object_type", "object_id"], name="auditlog_object_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="auditlog_hash_unique")]

    def __str__(self):
        return f"#{self.pk} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return Action.LABELS.get(self.action, self.action)

    @property
    def object_type_label(self) -> str:
        """The kind of object in words (``projects.Project`` → 项目)."""
        from zhaoshang.core.changes import model_label_name

        return model_label_name(self.object_type)

    @property
    def is_refusal(self) -> bool:
        return self.action in Action.REFUSALS

    def detail_about(self, obj: models.Model) -> str:
        """What the row says about ``obj``: the change itself, or for an import the file and row it came from."""
        if self.action == Action.IMPORT and self.object_id == "" and isinstance(self.after, dict):
            number = self.after.get("objects", {}).get(obj._meta.model_name, {}).get(str(obj.pk))
            if number is not None:
                return f"由文件“{self.after.get('file') or '未命名'}”第{number}行导入创建"
        return ""  # the change itself is shown field by field (``core.changes``)


class AuditHead(models.Model):
    """The chain's last row and length, signed with the audit key: deleting the newest rows (or all of them)
    cannot go unnoticed, because the head would no longer match and cannot be re-signed without the key."""

    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField()
    mac = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32, blank=True, default="")  # as on AuditLog: "" is HMAC-SHA256

    scope_field = REFERENCE
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计链检查点"
        default_permissions = ()

    def __str__(self):
        return f"#{self.last_id} ({self.count})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """Long work (imports, bulletins, recomputations) run as a background task, with its progress for the page
    to poll. Only its owner sees it; ``path`` is the owner's node, so the one scope applies as well."""

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT)
    path = models.CharField("辖区路径", max_length=120, db_index=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_file = models.FileField("上传文件", upload_to="jobs/input/%Y/%m/", blank=True)
    result_file = models.FileField("结果文件", upload_to="jobs/result/%Y/%m/", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Set when the job starts and at every progress step: a running job without one for JOB_STALE_MINUTES died.
    heartbeat_at = models.DateTimeField("最近进展时间", null=True, blank=True)

    scope_field = "path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-id"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.title}（{self.get_status_display()}）"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}


# Attachments live in their own module; importing the model here registers it with the core app.
from zhaoshang.core.attachments.models import Attachment  # noqa: E402, F401
