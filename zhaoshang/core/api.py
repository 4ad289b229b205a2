"""Base API classes: the same scope as the pages, out of scope is 404."""

from rest_framework import permissions, viewsets

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
