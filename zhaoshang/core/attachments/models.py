"""``Attachment``: a document kept for an object of the work (an agreement's scan, a submission's licence, a
ledger entry's evidence). Registered with the core app by ``core/models.py``.

Its owner is a generic reference (content type and id): core knows no domain app. Its scope is its owner's,
read live through the owner's own ``for_user`` (``AttachmentQuerySet._for_user``), so an owner that moves — a
project placed in another county, a ledger entry moved by a merge — takes its attachments along, and there is no
copied path to go stale. Its permissions are the owner's too (``registry.AttachmentOwner.permissions``)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q

from zhaoshang.core.attachments.filetypes import mime_label, size_text
from zhaoshang.core.attachments.registry import CHANGE, OWNERS, VIEW, kind_label
from zhaoshang.core.models import recorded_by
from zhaoshang.core.scope import ScopedQuerySet

OWNER_SCOPE = "owner"  # ``scope_field``: the owner's scope, applied by ``AttachmentQuerySet._for_user``


class AttachmentQuerySet(ScopedQuerySet):
    def _for_user(self, user, action: str):
        """Attachments of the owners the user may see (``view``) or change (any other action), by each owner's
        own ``for_user``: the owner's permission and jurisdiction decide."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        owner_action = VIEW if action in (VIEW, None) else CHANGE
        condition = Q(pk__in=[])
        for owner in OWNERS.values():
            rows = owner.rows(user, owner_action)
            if rows.query.is_empty():
                continue
            owner_type = ContentType.objects.get_for_model(owner.model)
            condition |= Q(owner_type=owner_type, owner_id__in=rows.values("pk"))
        return self.filter(condition)

    def present(self):
        """Not removed (a removal keeps the row, marked)."""
        return self.filter(removed_at__isnull=True)

    def of(self, owner_obj):
        return self.filter(owner_type=ContentType.objects.get_for_model(owner_obj), owner_id=owner_obj.pk)

    def counts(self, model, ids) -> dict[int, int]:
        """How many of these attachments each owner (of ``model``, among ``ids``) has: one query for a table."""
        rows = self.filter(owner_type=ContentType.objects.get_for_model(model), owner_id__in=list(ids))
        return dict(rows.values_list("owner_id").annotate(n=Count("id")).values_list("owner_id", "n"))


class Attachment(models.Model):
    owner_type = models.ForeignKey(ContentType, verbose_name="所属对象类型", on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField("所属对象编号")
    owner = GenericForeignKey("owner_type", "owner_id")
    kind = models.CharField("材料类型", max_length=40)
    name = models.CharField("文件名", max_length=200, help_text="上传时的文件名（已去除控制字符），下载时使用")
    mime_type = models.CharField("文件格式", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField("SHA-256 校验值", max_length=64)
    storage_name = models.CharField("存储名", max_length=100, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = recorded_by("上传人", related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removed_by = recorded_by("删除人", null=True, blank=True, related_name="+")
    removal_reason = models.CharField("删除原因", max_length=200, blank=True)

    scope_field = OWNER_SCOPE
    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["id"]
        default_permissions = ()  # the owner's permissions apply (an attachment is part of its owner)
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]
        # A constraint, not ``unique=True``: that adds a pattern-matching index on PostgreSQL no query uses.
        constraints = [models.UniqueConstraint(fields=["storage_name"], name="attachment_storage_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:attachment_download", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def format_label(self) -> str:
        return mime_label(self.mime_type)

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def removed(self) -> bool:
        return self.removed_at is not None
