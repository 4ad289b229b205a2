"""``/api/v1/tickets/`` and ``/api/v1/promises/``: read-only, scoped like the pages (bureaus by jurisdiction,
enterprise accounts their own enterprise's only)."""

from rest_framework import serializers

from zhaoshang.aftercare.models import Promise, PromisePayment, Ticket, TicketEvent
from zhaoshang.core.api import ScopedReadOnlyViewSet


class TicketEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = TicketEvent
        fields = ["kind", "kind_label", "from_state", "to_state", "on", "at", "note"]


class TicketSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    events = TicketEventSerializer(many=True, read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "company_name",
            "project",
            "category",
            "category_label",
            "nature",
            "urgent",
            "title",
            "description",
            "region_name",
            "state",
            "state_label",
            "clock",
            "due_on",
            "escalation_level",
            "supervised_count",
            "reopen_count",
            "rating",
            "answer",
            "submitted_at",
            "closed_at",
            "events",
        ]


class TicketViewSet(ScopedReadOnlyViewSet):
    queryset_model = Ticket
    serializer_class = TicketSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("company", "region").prefetch_related("events")


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PromisePayment
        fields = ["amount_wan", "paid_on", "note", "recorded_at"]


class PromiseSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Promise
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "kind_label",
            "content",
            "amount_wan",
            "conditions",
            "legal_basis",
            "due_on",
            "state",
            "state_label",
            "flagged",
            "flag_reasons",
            "payments",
        ]


class PromiseViewSet(ScopedReadOnlyViewSet):
    queryset_model = Promise
    serializer_class = PromiseSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("project").prefetch_related("payments")
