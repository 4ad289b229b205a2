"""API pieces for an owner's attachments: the serializers and the list / upload / download answers an owner's
viewset action calls (``projects/agreement_api.py``). The viewset finds the owner in its scoped queryset first
(404 outside the user's jurisdiction); the service re-checks and writes the audit row."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from zhaoshang.core.attachments.filetypes import ALLOWED_TEXT, size_text
from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.attachments.registry import VIEW, AttachmentOwner, owner_of
from zhaoshang.core.attachments.services import attachment_add
from zhaoshang.core.attachments.views import download_response


class AttachmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="kind_label", read_only=True)
    format_display = serializers.CharField(source="format_label", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="下载地址（需同样的身份认证；每次下载记入审计日志）")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "mime_type",
            "format_display",
            "size",
            "sha256",
            "note",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, row) -> str:
        return self.context["download_url"](row)


_UPLOADS: dict[str, type[serializers.Serializer]] = {}


def upload_serializer(spec: AttachmentOwner) -> type[serializers.Serializer]:
    """The upload body for one kind of owner (its 材料类型 as the choices), one class per owner for the schema."""
    if spec.code in _UPLOADS:
        return _UPLOADS[spec.code]
    fields = {
        "kind": serializers.ChoiceField(choices=list(spec.kinds), help_text="材料类型"),
        "file": serializers.FileField(
            help_text=f"{ALLOWED_TEXT}，不超过 {size_text(settings.ATTACHMENT_MAX_BYTES)}；按文件内容判断类型"
        ),
        "note": serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="说明（选填）"),
    }
    name = "".join(part.title() for part in spec.code.split("_")) + "AttachmentUploadSerializer"
    _UPLOADS[spec.code] = type(name, (serializers.Serializer,), fields)
    return _UPLOADS[spec.code]


def attachments_answer(request, owner, *, download_url) -> Response:
    """GET: the owner's attachments the user may see (removed ones left out). POST: upload one (201)."""
    context = {"request": request, "download_url": download_url}
    if request.method == "POST":
        body = upload_serializer(owner_of(owner))(data=request.data)
        body.is_valid(raise_exception=True)
        row = attachment_add(
            actor=request.user,
            owner=owner,
            kind=body.validated_data["kind"],
            upload=body.validated_data["file"],
            note=body.validated_data.get("note", ""),
        )
        return Response(AttachmentSerializer(row, context=context).data, status=status.HTTP_201_CREATED)
    rows = Attachment.objects.for_user(request.user, VIEW).present().of(owner).select_related("uploaded_by")
    return Response(AttachmentSerializer(rows, many=True, context=context).data)


def attachment_file(request, owner, attachment_id):
    """One attachment of ``owner`` as a file (404 when it is not the owner's, is removed or out of scope)."""
    rows = Attachment.objects.for_user(request.user, VIEW).present().of(owner)
    return download_response(request, get_object_or_404(rows, pk=attachment_id))
