"""Base API classes: the same scope as the pages, out of scope is 404."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from zhaoshang.core.scope import permission_name


class HasScopeActionPermission(permissions.BasePermission):
    message = "您没有此功能的权限"

    def has_permission(self, request, view):
        return request.user.has_perm(permission_name(view.queryset_model, view.scope_action))


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve rows of the user's jurisdiction; subclasses set ``queryset_model``."""

    queryset_model = None
    scope_action = "view"
    permission_classes = [permissions.IsAuthenticated, HasScopeActionPermission]

    def get_queryset(self):
        return self.queryset_model.objects.for_user(self.request.user, self.scope_action)


class ScopedModelViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """List, retrieve, create and update in the user's jurisdiction. Writes go through the app's services, which
    re-check scope inside their transaction: subclasses implement ``perform_create`` / ``perform_update`` by
    calling a service and setting ``serializer.instance``.

    Each action needs its own permission (``action_scopes``: create → add, update → change; extra actions add
    theirs), and the object of a change is looked up in the queryset for that action (404 outside it). A
    Django ``ValidationError`` from a service answers 400, or its ``http_status`` (409 for a conflict)."""

    action_scopes = {"create": "add", "update": "change", "partial_update": "change"}

    def initial(self, request, *args, **kwargs):
        self.scope_action = self.action_scopes.get(self.action, "view")
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            return Response(detail, status=getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST))
        return super().handle_exception(exc)
