"""/api/v1/agreements/: investment agreements of the user's jurisdiction — list, retrieve, and record one through
``agreement_create``, the service of the page's 录入投资协议 form. Agreements are never changed or deleted (an
upgrade, 升格, is a new agreement naming the one it replaces).

An agreement is part of its project: reading needs ``projects.view_project`` and recording
``projects.change_project``, as on the project's page, and the rows are those of ``Project.objects.for_user``."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers

from zhaoshang.core.api import ScopedModelViewSet
from zhaoshang.core.scope import permission_name
from zhaoshang.projects import services
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
            .order_by("-id")
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
