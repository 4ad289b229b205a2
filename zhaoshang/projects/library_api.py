"""``/api/v1/projects/{id}/library/``: the 招大引强项目库 status and history of a project (GET) and its next step
(POST ``{"action": "submit" | "review" | "approve" | "return", "reason": ""}``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from zhaoshang.core.api import ScopedModelViewSet
from zhaoshang.projects import services
from zhaoshang.projects.models import (
    LibraryAction,
    LibraryEntry,
    LibraryLevel,
    LibraryStatus,
    LibraryStep,
    Project,
    library_threshold_wan,
)
from zhaoshang.projects.services.library import allowed_actions, may_act, submission_problem

ACTIONS_HELP = (
    "submit=县级申报（县市区、园区；协议投资额不低于入库门槛的已签约项目；退回后可重新申报），"
    "review=州市级审核通过（报省级审定），approve=省级审定入库，"
    "return=退回县级（州市审核或省级审定时；必须填写 reason）"
)
STATUS_HELP = "，".join(f"{value}={label}" for value, label in LibraryStatus.choices)


ACTION_CODES = "，".join(f"{value}={label}" for value, label in LibraryAction.choices)
LEVEL_CODES = "，".join(f"{value}={label}" for value, label in LibraryLevel.choices)


class LibraryStepSerializer(serializers.ModelSerializer):
    # Codes as plain strings (explained in help_text): the choice sets are named once, on the request.
    action = serializers.CharField(help_text=ACTION_CODES)
    level = serializers.CharField(help_text=LEVEL_CODES)
    from_status = serializers.CharField(help_text=STATUS_HELP)
    to_status = serializers.CharField(help_text=STATUS_HELP)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    actor = serializers.CharField(source="actor.username", read_only=True)
    actor_name = serializers.CharField(source="actor.__str__", read_only=True)

    class Meta:
        model = LibraryStep
        fields = [
            "id",
            "on",
            "created_at",
            "action",
            "action_display",
            "level",
            "level_display",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "reason",
        ]


class LibraryStatusSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号")
    project_name = serializers.CharField()
    agreed_investment_wan = serializers.DecimalField(max_digits=14, decimal_places=2)
    threshold_wan = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="现行入库门槛（万元）")
    eligible = serializers.BooleanField(help_text="是否满足申报条件（已签约且协议投资额不低于门槛）")
    eligibility_problem = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_null=True, help_text=STATUS_HELP)
    status_display = serializers.CharField(allow_blank=True)
    step = serializers.CharField(allow_null=True, help_text="当前待办环节：" + LEVEL_CODES)
    step_display = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True, help_text="申报年度")
    approved_on = serializers.DateField(allow_null=True)
    last_reason = serializers.CharField(allow_blank=True, help_text="最近一次退回的原因")
    allowed_actions = serializers.ListField(
        child=serializers.CharField(), help_text="当前用户此刻可办理的操作：" + ACTION_CODES
    )
    history = LibraryStepSerializer(many=True)


class LibraryDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=LibraryAction.choices, help_text=ACTIONS_HELP)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="意见；退回时必填"
    )

    def validate(self, attrs):
        if attrs["action"] == LibraryAction.RETURN and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": "退回须填写原因"})
        return attrs


def library_status(*, user, project: Project) -> dict:
    entry = LibraryEntry.objects.for_user(user, action=None).filter(project=project).first()
    problem = submission_problem(project) or ""
    return {
        "project": project.pk,
        "project_name": project.name,
        "agreed_investment_wan": project.agreed_investment_wan,
        "threshold_wan": library_threshold_wan(),
        "eligible": not problem,
        "eligibility_problem": problem,
        "status": entry.status if entry else None,
        "status_display": entry.get_status_display() if entry else "未申报",
        "step": entry.step if entry else None,
        "step_display": entry.get_step_display() if entry else "",
        "year": entry.year if entry else None,
        "approved_on": entry.approved_on if entry else None,
        "last_reason": entry.last_reason if entry else "",
        "allowed_actions": allowed_actions(user=user, project=project, entry=entry),
        "history": LibraryStepSerializer(entry.steps.select_related("actor") if entry else [], many=True).data,
    }


class ProjectLibraryViewSet(ScopedModelViewSet):
    """The library flow of one project. Needs ``projects.view_libraryentry``; the project is looked up in the
    user's jurisdiction (404 outside it); each action needs its own permission (403) and is refused with 409 and
    a Chinese message when it is not the next step for the user's level."""

    queryset_model = LibraryEntry
    serializer_class = LibraryStatusSerializer
    action_scopes = {}

    def get_project(self) -> Project:
        return get_object_or_404(Project.objects.for_user(self.request.user, "view"), pk=self.kwargs["pk"])

    @extend_schema(
        operation_id="projects_library_retrieve",
        responses={200: LibraryStatusSerializer, 404: OpenApiResponse(description="项目不存在或不在您的辖区")},
        description="招大引强项目库：项目的入库状态、当前环节、本人可办理的操作和全部审核记录。状态：" + STATUS_HELP,
        tags=["projects"],
    )
    def status(self, request, pk=None):
        project = self.get_project()
        return Response(LibraryStatusSerializer(library_status(user=request.user, project=project)).data)

    @extend_schema(
        operation_id="projects_library_create",
        request=LibraryDecisionSerializer,
        responses={
            200: LibraryStatusSerializer,
            400: OpenApiResponse(description="请求无效（如退回未填写原因）"),
            403: OpenApiResponse(description="没有该环节的权限（县级不能审核或审定）"),
            404: OpenApiResponse(description="项目不存在或不在您的辖区"),
            409: OpenApiResponse(
                description="不是该项目的下一步（重复申报、未审核先审定、门槛不足等），detail 说明原因"
            ),
        },
        description="招大引强项目库的一步：县级申报 → 州市级审核 → 省级审定，每一步可通过或退回（须填写原因），"
        "退回后由县级重新申报。操作：" + ACTIONS_HELP,
        examples=[
            OpenApiExample("县级申报", value={"action": "submit", "reason": ""}, request_only=True),
            OpenApiExample(
                "退回", value={"action": "return", "reason": "请补充投资协议和项目备案文件"}, request_only=True
            ),
        ],
        tags=["projects"],
    )
    def decide(self, request, pk=None):
        payload = LibraryDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        action, reason = payload.validated_data["action"], payload.validated_data["reason"]
        if not may_act(request.user, action):
            raise PermissionDenied("您没有招大引强项目库这一环节的权限")
        project = self.get_project()
        services.library_decide(actor=request.user, project=project, action=action, reason=reason)
        project.refresh_from_db()
        return Response(LibraryStatusSerializer(library_status(user=request.user, project=project)).data)


project_library_view = ProjectLibraryViewSet.as_view({"get": "status", "post": "decide"})
