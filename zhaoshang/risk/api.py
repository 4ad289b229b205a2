"""``/api/v1/warnings/``: the warnings of the user's jurisdiction (scoped like the pages), and the officers' actions
as POST endpoints that call the same services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhaoshang.core.api import ScopedReadOnlyViewSet
from zhaoshang.risk import services
from zhaoshang.risk.models import RiskWarning


class WarningSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    rule_code = serializers.CharField(source="rule.code", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    condition_cleared = serializers.SerializerMethodField()

    class Meta:
        model = RiskWarning
        fields = [
            "id",
            "project",
            "project_name",
            "rule_code",
            "rule_name",
            "weight",
            "reason",
            "state",
            "state_label",
            "first_seen",
            "last_seen",
            "cleared_on",
            "condition_cleared",
            "decided_at",
            "decision_note",
        ]

    def get_condition_cleared(self, obj) -> bool:
        return obj.cleared_on is not None


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WarningViewSet(ScopedReadOnlyViewSet):
    queryset_model = RiskWarning
    serializer_class = WarningSerializer
    write_actions = {"confirm", "dismiss", "resolve"}

    def initial(self, request, *args, **kwargs):
        # The actions look the warning up among those the user may change (404 outside) and need the permission.
        self.scope_action = "change" if self.action in self.write_actions else "view"
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        rows = super().get_queryset().select_related("project", "rule")
        state = self.request.query_params.get("state")
        if state:
            rows = rows.filter(state=state)
        project = self.request.query_params.get("project")
        if project and project.isdigit():
            rows = rows.filter(project_id=int(project))
        return rows.order_by("-first_seen", "-id")

    def _act(self, request, service, keyword: str):
        payload = NoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            warning = service(
                actor=request.user, warning=self.get_object(), **{keyword: payload.validated_data["note"]}
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(WarningSerializer(warning).data)

    @extend_schema(request=NoteSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(request, services.warning_confirm, "note")

    @extend_schema(request=NoteSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """排除: ``note`` is the reason, required."""
        return self._act(request, services.warning_dismiss, "reason")

    @extend_schema(request=NoteSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._act(request, services.warning_resolve, "note")
