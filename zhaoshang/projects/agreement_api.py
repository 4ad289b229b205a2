"""/api/v1/agreements/: investment agreements of the user's jurisdiction — list, retrieve, and record one through
``agreement_create``, the service of the page's 录入投资协议 form. Agreements are never changed or deleted (an
upgrade, 升格, is a new agreement naming the one it replaces).

An agreement is part of its project: reading needs ``projects.view_project`` and recording
``projects.change_project``, as on the project's page, and the rows are those of ``Project.objects.for_user``.
Its documents (协议文本, 协议扫描件) are at ``/api/v1/agreements/{id}/attachments/`` (list, upload) and
``…/attachments/{attachment_id}/`` (download), with the same permissions: uploading changes the project."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import parsers, permissions, serializers
from rest_framework.decorators import action

from zhaoshang.core.api import ScopedModelViewSet
from zhaoshang.core.attachments.api import AttachmentSerializer, attachment_file, attachments_answer, upload_serializer
from zhaoshang.core.scope import permission_name
from zhaoshang.projects import services
from zhaoshang.projects.attachments import AGREEMENT
from zhaoshang.projects.models import Agreement, IncentiveClause, Project

SIGNING_HELP = (
    "录入投资协议（与页面“录入投资协议”同一服务）。签约分两步：项目在“在谈”阶段时先录入协议，再调用 "
    'POST /api/v1/projects/{id}/transition/ 提交 {"to": "signed", "on": 签约日期}（协议签约日期不晚于该日期）。'
    "已有现行协议的项目只接受升格（upgrades 填原协议编号，只计入增加的投资额）。协议录入后不能修改或删除。"
)


class ProjectPermission(permissions.BasePermission):
    """The project's permission for the action (view to read, change to record an agreement)."""

    message = "您没有此功能的权限"

    def has_permission(self, request, view):
        return request.user.has_perm(permission_name(Project, view.scope_action))


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncentiveClause
        fields = ["id", "content", "amount_wan", "conditions", "due_on"]
        read_only_fields = ["id"]


class AgreementSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), help_text="项目编号")
    project_name = serializers.CharField(source="project.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    upgrades = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.none(),
        required=False,
        allow_null=True,
        help_text="升格自（原协议编号）；首份协议留空",
    )
    clauses = ClauseSerializer(many=True, required=False, help_text="优惠条款（招商承诺）")
    created_by = serializers.CharField(source="created_by.username", read_only=True, default="")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "kind_display",
            "signed_on",
            "amount_wan",
            "counted_amount_wan",
            "term_years",
            "note",
            "upgrades",
            "clauses",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["counted_amount_wan", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            projects = Project.objects.for_user(request.user, "change")
            self.fields["project"].queryset = projects
            self.fields["upgrades"].queryset = Agreement.objects.filter(project__in=projects)


@extend_schema_view(
    list=extend_schema(description="本辖区项目的投资协议。"),
    retrieve=extend_schema(description="一份投资协议及其优惠条款；辖区外的协议不存在（404）。"),
    create=extend_schema(description=SIGNING_HELP),
)
class AgreementViewSet(ScopedModelViewSet):
    queryset_model = Agreement
    serializer_class = AgreementSerializer
    permission_classes = [permissions.IsAuthenticated, ProjectPermission]
    action_scopes = {"create": "change"}  # recording an agreement changes its project, as on the page
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["project", "kind"]
    ordering_fields = ["id", "signed_on"]

    def get_queryset(self):
        projects = Project.objects.for_user(self.request.user, self.scope_action)
        return (
            Agreement.objects.filter(project__in=projects)
            .select_related("project", "created_by")
            .prefetch_related("clauses")
            .order_by("project__path", "-id")  # grouped by place, like the project list
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.agreement_create(
            actor=self.request.user,
            project=data["project"],
            kind=data.get("kind") or Agreement._meta.get_field("kind").default,
            signed_on=data["signed_on"],
            amount_wan=data["amount_wan"],
            term_years=data.get("term_years"),
            note=data.get("note", ""),
            upgrades=data.get("upgrades"),
            clauses=data.get("clauses", []),
        )

    def initial(self, request, *args, **kwargs):
        if self.action == "attachments" and request.method == "POST":  # uploading changes the project
            self.action_scopes = {**self.action_scopes, "attachments": "change"}
        super().initial(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"],
        description="协议的附件（协议文本、协议扫描件等；已删除的不列出）。",
        responses=AttachmentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        description="上传协议附件（multipart/form-data）：按文件内容判断类型（PDF、OFD、JPG、PNG、.docx、.xlsx），"
        "超过大小上限、类型不符、疑似压缩炸弹的文件返回 400 和中文原因。需要 projects.change_project。",
        request={"multipart/form-data": upload_serializer(AGREEMENT)},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def attachments(self, request, pk=None):
        agreement = self.get_object()
        return attachments_answer(request, agreement, download_url=lambda row: self._download_url(agreement, row))

    @extend_schema(
        description="下载协议的一个附件（作为附件下载，每次下载记入审计日志）。",
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="附件编号")],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容")},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        url_name="attachment-file",
        filter_backends=[],
    )
    def attachment_download(self, request, pk=None, attachment_id=None):
        return attachment_file(request, self.get_object(), attachment_id)

    def _download_url(self, agreement, row) -> str:
        return reverse("agreement-attachment-file", args=[agreement.pk, row.pk])
