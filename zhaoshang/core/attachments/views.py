"""Pages of attachments: an owner's attachments (list and upload), the download, the removal.

An attachment has no permission of its own: the owner's permission opens these pages (403 without it), and the
rows come from ``Attachment.objects.for_user`` / the owner's scoped rows (404 outside the user's jurisdiction).
The panel on an owner's page is the template tag ``{% attachments_panel owner %}``; its form posts here, and an
HTMX request gets the panel back (with the new row, or the form's errors and what was typed)."""

import re
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from zhaoshang.core.attachments.filetypes import ACCEPT, size_text
from zhaoshang.core.attachments.forms import AttachmentForm, AttachmentRemoveForm
from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.attachments.registry import CHANGE, VIEW, owner_by_code, owner_of
from zhaoshang.core.attachments.services import AttachmentDamaged, attachment_add, attachment_open, attachment_remove
from zhaoshang.core.scope import ScopeMiss, note_scope_miss
from zhaoshang.core.views import ScopedViewMixin

PANEL_TEMPLATE = "core/attachments/_panel.html"


def content_disposition(name: str) -> str:
    """``attachment`` with the name twice: an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    stem, dot, extension = name.rpartition(".")
    stem, extension = (stem, dot + extension) if dot else (name, "")
    fallback = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9._-]", "_", stem)).strip("_.") or "attachment"
    fallback += re.sub(r"[^A-Za-z0-9.]", "", extension)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(request, row: Attachment):
    """The file of an attachment the user may see (the page's and the API's download), after its audit row: a
    download, never shown inline, not sniffed, not cached; 409 when the stored file fails its SHA-256 check."""
    try:
        handle = attachment_open(actor=request.user, attachment=row)
    except AttachmentDamaged:
        return render(request, "core/attachments/damaged.html", {"attachment": row}, status=409)
    response = FileResponse(handle, content_type=row.mime_type)
    response["Content-Disposition"] = content_disposition(row.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def panel_context(user, owner, *, form=None, uploaded=None) -> dict:
    """What the panel of ``owner``'s attachments shows to ``user`` (nothing when the user may not see them)."""
    spec = owner_of(owner)
    if not user.has_perm(spec.permissions[VIEW]):
        return {"show": False}
    rows = list(Attachment.objects.for_user(user, VIEW).of(owner).select_related("uploaded_by", "removed_by"))
    can_change = user.has_perm(spec.permissions[CHANGE]) and spec.rows(user, CHANGE).filter(pk=owner.pk).exists()
    if can_change and form is None:
        form = AttachmentForm(spec=spec, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    return {
        "show": True,
        "spec": spec,
        "owner": owner,
        "present": [row for row in rows if not row.removed],
        "removed": [row for row in rows if row.removed],
        "can_change": can_change,
        "form": form,
        "uploaded": uploaded,
        "accept": ACCEPT,
        "limit_text": size_text(settings.ATTACHMENT_MAX_BYTES),
        "upload_url": reverse("core:attachment_owner", args=[spec.code, owner.pk]),
        "panel_id": f"attachments-{spec.code}-{owner.pk}",
    }


class AttachmentAccessMixin(ScopedViewMixin):
    """Signed in; the owner's permission replaces ``ScopedViewMixin``'s model permission (attachments have none of
    their own), and every lookup is scoped (``load``)."""

    model = Attachment

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(**kwargs)
        return super(ScopedViewMixin, self).dispatch(request, *args, **kwargs)


class AttachmentOwnerView(AttachmentAccessMixin, View):
    """GET: the attachments of one owner (a page of their own, also where a failed upload without HTMX lands).
    POST: upload one through ``attachment_add``; back to the owner's page, or the panel for HTMX."""

    template_name = "core/attachments/page.html"

    def load(self, *, owner: str, owner_id: int) -> None:
        self.spec = owner_by_code(owner)
        if self.spec is None:
            raise Http404("没有这类附件")
        action = CHANGE if self.request.method == "POST" else VIEW
        if not self.request.user.has_perm(self.spec.permissions[action]):
            raise PermissionDenied("您没有此功能的权限")
        self.owner = self.spec.rows(self.request.user, VIEW).filter(pk=owner_id).first()
        if self.owner is None:
            note_scope_miss(ScopeMiss(self.spec.model, {"pk": owner_id}))
            raise Http404("对象不存在")

    def render_panel(self, *, form=None, uploaded=None):
        context = panel_context(self.request.user, self.owner, form=form, uploaded=uploaded)
        if self.request.htmx:
            return render(self.request, PANEL_TEMPLATE, context)
        context.update(owner_url=self.spec.url(self.owner), owner_text=self.spec.describe(self.owner))
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self.render_panel()

    def post(self, request, *args, **kwargs):
        form = AttachmentForm(request.POST, request.FILES, spec=self.spec, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = attachment_add(
                    actor=request.user, owner=self.owner, kind=data["kind"], upload=data["file"], note=data["note"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if request.htmx:
                    return self.render_panel(uploaded=row)
                messages.success(request, f"已上传附件：{row.name}（{row.kind_label}，{row.size_text}）")
                return HttpResponseRedirect(self.spec.url(self.owner))
        return self.render_panel(form=form)


class AttachmentDownloadView(AttachmentAccessMixin, View):
    """The file, to a user who may see its owner; audited, checked against its SHA-256, never shown inline."""

    def load(self, *, pk: int) -> None:
        self.attachment = get_object_or_404(Attachment.objects.for_user(self.request.user, VIEW).present(), pk=pk)

    def get(self, request, *args, **kwargs):
        return download_response(request, self.attachment)


class AttachmentRemoveView(AttachmentAccessMixin, View):
    """Remove an attachment (kept as a removed record) with a reason; by someone who may change its owner."""

    template_name = "core/attachments/remove.html"

    def load(self, *, pk: int) -> None:
        user = self.request.user
        self.attachment = get_object_or_404(Attachment.objects.for_user(user, VIEW).present(), pk=pk)
        self.spec = owner_of(self.attachment.owner_type.model_class())
        if not Attachment.objects.for_user(user, CHANGE).filter(pk=pk).exists():
            raise PermissionDenied(f"您没有删除该{self.spec.label}附件的权限")
        self.owner = self.spec.model._base_manager.get(pk=self.attachment.owner_id)

    def render_form(self, form):
        context = {
            "form": form,
            "attachment": self.attachment,
            "spec": self.spec,
            "owner_url": self.spec.url(self.owner),
            "owner_text": self.spec.describe(self.owner),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        return self.render_form(AttachmentRemoveForm())

    def post(self, request, *args, **kwargs):
        form = AttachmentRemoveForm(request.POST)
        if form.is_valid():
            try:
                attachment_remove(actor=request.user, attachment=self.attachment, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"已删除附件：{self.attachment.name}（记录保留）")
                return HttpResponseRedirect(self.spec.url(self.owner))
        return self.render_form(form)
