from datetime import date, datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.api import ScopedModelViewSet
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects import services
from zhaoshang.projects.choices import STAGE_CODES_HELP, ProjectSource, RegionGroup, Stage
from zhaoshang.projects.forms import counties_for, parks_for
from zhaoshang.projects.models import AdmissionVerdict, FundingEntry, Project
from zhaoshang.projects.services import PROJECT_FIELDS
from zhaoshang.regions.models import Park, Region


class InvestorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    credit_code = serializers.CharField(read_only=True)


class ProjectSerializer(serializers.ModelSerializer):
    investor = InvestorSerializer(read_only=True)
    investor_name = serializers.CharField(
        write_only=True, max_length=200, help_text="投资方企业名称；新企业自动建档。变更投资方请用换业主功能"
    )
    investor_credit_code = serializers.CharField(write_only=True, max_length=18, required=False, allow_blank=True)
    key_industry = serializers.SlugRelatedField(
        slug_field="code", queryset=KeyIndustry.objects.all(), required=False, allow_null=True, help_text="重点产业编码"
    )
    industry_class = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustryClass.objects.small_classes(),
        required=False,
        allow_null=True,
        help_text="GB/T 4754-2017 小类代码",
    )
    county = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.none(), help_text="县市区代码")
    park = serializers.SlugRelatedField(
        slug_field="code", queryset=Park.objects.none(), required=False, allow_null=True, help_text="园区编码"
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), required=False, allow_null=True, help_text="增资扩产的原项目编号"
    )
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True, help_text=STAGE_CODES_HELP)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    on = serializers.DateField(write_only=True, required=False, help_text="登记日期（默认今天）")
    admission_override_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="准入结论为“不招”时的放行决定理由；须有 projects.override_admission 权限，记录并审计",
    )
    confirm_not_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="甄别：有疑似重复项目（同一县市区、同一投资方、名称相近）时答复 400；核对后确认不是同一项目再附 true",
    )
    region_group = serializers.ChoiceField(
        choices=RegionGroup.choices,
        read_only=True,
        allow_blank=True,  # "" when no source province is given: the schema lists it (a probe found it missing)
        help_text="来源区域（由资金来源省份推出）；空=未填来源省份",
    )
    admission_verdict = serializers.ChoiceField(
        choices=AdmissionVerdict.choices,
        read_only=True,
        allow_blank=True,  # "" until the project is first checked: the schema says so (it listed pass/review/reject)
        help_text="准入结论：pass=准入通过，review=慎招，reject=不招；空=尚未检查",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "external_code",
            "name",
            "investor",
            "investor_name",
            "investor_credit_code",
            "county",
            "park",
            "path",
            "stage",
            "stage_display",
            "stage_on",
            "first_signed_on",
            "region_group",
            "parent",
            "merged_into",
            "on",
            *PROJECT_FIELDS,
            "admission_verdict",
            "admission_rules",
            "admission_reasons",
            "needs_collective_decision",
            "admission_override_reason",
            "confirm_not_duplicate",
        ]
        read_only_fields = [
            "path",
            "stage_on",
            "first_signed_on",
            "merged_into",
            "admission_rules",
            "admission_reasons",
            "needs_collective_decision",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["county"].queryset = counties_for(user)
            self.fields["park"].queryset = parks_for(user)
            self.fields["parent"].queryset = Project.objects.for_user(user)
        if self.instance is not None:
            self.fields["investor_name"].required = False

    def validate(self, attrs):
        if self.instance is not None and "investor_name" in attrs:
            same = normalise_enterprise_name(attrs["investor_name"]) == self.instance.investor.normalised_name
            if not same:
                raise serializers.ValidationError({"investor_name": "变更投资方（换业主）请使用换业主功能"})
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices, help_text=STAGE_CODES_HELP)
    on = serializers.DateField(help_text="变更日期 YYYY-MM-DD")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


ADMISSION_409 = OpenApiResponse(
    description="准入检查结论为“不招”：detail、verdict、rules、reasons 说明原因；"
    "有 projects.override_admission 权限的用户可附 admission_override_reason 放行"
)


@extend_schema_view(
    create=extend_schema(responses={201: ProjectSerializer, 409: ADMISSION_409}),
    update=extend_schema(responses={200: ProjectSerializer, 409: ADMISSION_409}),
    partial_update=extend_schema(responses={200: ProjectSerializer, 409: ADMISSION_409}),
)
class ProjectViewSet(ScopedModelViewSet):
    """Projects in the user's jurisdiction. Writes go through the services (scope re-checked inside).

    Stage codes: lead=线索, negotiating=在谈, signed=签约, registered=注册, under_construction=开工,
    in_production=投产, terminated=终止. Merged duplicates are left out of the list."""

    queryset_model = Project
    serializer_class = ProjectSerializer
    action_scopes = ScopedModelViewSet.action_scopes | {"transition": "change"}
    filterset_fields = [
        "stage",
        "stalled",
        "region_group",
        "is_foreign",
        "needs_collective_decision",
        "admission_verdict",
    ]
    search_fields = ["name", "investor__name"]
    ordering_fields = ["id", "name", "agreed_investment_wan", "first_signed_on", "stage_on"]

    def get_queryset(self):
        rows = super().get_queryset().select_related("investor", "county", "park", "key_industry", "industry_class")
        # Listed by jurisdiction (as a ledger is read: prefecture by prefecture), newest first within each.
        return rows if self.action != "list" else rows.counted().order_by("path", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.project_create(
            actor=self.request.user,
            name=data["name"],
            investor_name=data["investor_name"],
            investor_credit_code=data.get("investor_credit_code", ""),
            county=data["county"],
            park=data.get("park"),
            on=data.get("on") or timezone.localdate(),
            parent=data.get("parent"),
            source=ProjectSource.API,
            admission_override_reason=data.get("admission_override_reason", ""),
            confirm_not_duplicate=data.get("confirm_not_duplicate", False),
            **{name: data[name] for name in PROJECT_FIELDS if name in data},
        )

    def perform_update(self, serializer):
        data, project = serializer.validated_data, serializer.instance
        serializer.instance = services.project_update(
            actor=self.request.user,
            project=project,
            name=data.get("name", project.name),
            county=data.get("county", project.county),
            park=data["park"] if "park" in data else project.park,
            admission_override_reason=data.get("admission_override_reason", ""),
            **{name: data.get(name, getattr(project, name)) for name in PROJECT_FIELDS},
        )

    def handle_exception(self, exc):
        if isinstance(exc, services.AdmissionRejected):
            return Response(exc.as_payload(), status=exc.http_status)
        return super().handle_exception(exc)

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: ProjectSerializer,
            409: OpenApiResponse(description="不允许的阶段变更（跳过阶段、回退、签约前无协议等），detail 说明原因"),
        },
        description="推进项目生命周期一步，或终止。" + STAGE_CODES_HELP,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project = services.project_advance(
            project=project, to=data["to"], actor=request.user, on=data["on"], note=data["note"]
        )
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthField(serializers.Field):
    default_error_messages = {"invalid": "月份格式应为 YYYY-MM"}

    def to_internal_value(self, data):
        try:
            return datetime.strptime(str(data), "%Y-%m").date()
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: date):
        return value.strftime("%Y-%m")


class FundingEntrySerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(), help_text="项目编号")
    month = MonthField(help_text="月份 YYYY-MM")
    entered_by = serializers.CharField(source="entered_by.username", read_only=True)
    status = serializers.CharField(source="status_label", read_only=True)

    class Meta:
        model = FundingEntry
        fields = [
            "id",
            "project",
            "month",
            "amount_wan",
            "outside_province_wan",
            "outside_prefecture_wan",
            "foreign_usd_wan",
            "usd_rate",
            "note",
            "entered_by",
            "entered_at",
            "reverses",
            "reason",
            "status",
            "counts",
        ]
        read_only_fields = ["entered_at", "reverses", "reason", "counts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = Project.objects.for_user(request.user)


class FundingEntryViewSet(ScopedModelViewSet):
    """The funds-in-place ledger of the user's jurisdiction: list, retrieve, and append an entry (never change)."""

    queryset_model = FundingEntry
    serializer_class = FundingEntrySerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["project", "month"]
    ordering_fields = ["id", "month"]

    def get_queryset(self):
        return super().get_queryset().select_related("entered_by", "approval").order_by("-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.funding_record(
            actor=self.request.user,
            project=data["project"],
            month=data["month"],
            amount_wan=data["amount_wan"],
            outside_province_wan=data.get("outside_province_wan"),
            outside_prefecture_wan=data.get("outside_prefecture_wan"),
            foreign_usd_wan=data.get("foreign_usd_wan"),
            usd_rate=data.get("usd_rate"),
            note=data.get("note", ""),
        )
