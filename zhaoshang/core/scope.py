"""The one jurisdiction scope. Every query that shows data goes through ``for_user``.

A jurisdiction-owned model stores the materialized path of its node (``530000/532300/532302``) and declares
where it is with ``scope_field`` (a field lookup such as ``"path"`` or ``"org_unit__path"``). Reference data that
belongs to no jurisdiction declares ``scope_field = REFERENCE``. A model of ours without a declaration stops the
platform at start-up (see ``check_scope_declarations``).
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.http import Http404

REFERENCE = "__reference__"
OUR_APPS_PREFIX = "zhaoshang."
# Actions that only read: a model's ``shared_scope`` (rows another jurisdiction keeps readable, such as a project
# transferred away under a benefit-sharing agreement) widens these, never a write.
READ_ACTIONS = frozenset({"view", "export"})


class OutOfScope(Http404):
    """The object exists, in another jurisdiction: answered as 404 (it does not exist for this user), and audited
    as a refused attempt (``core.refusals``)."""


@dataclass(frozen=True)
class ScopeMiss:
    """A lookup in a user's scoped rows that found nothing (the object may be elsewhere), or a path refused."""

    model: type[models.Model] | None
    lookup: dict = field(default_factory=dict)
    args: tuple = ()
    path: str = ""


# The misses of the current request (a list while ``core.refusals.RefusalAuditMiddleware`` runs, else None): if
# the request ends in a 404, the middleware checks whether the object exists and records the attempt.
scope_misses: ContextVar[list | None] = ContextVar("scope_misses", default=None)


def note_scope_miss(miss: ScopeMiss) -> None:
    misses = scope_misses.get()
    if misses is not None and len(misses) < 20:
        misses.append(miss)


def permission_name(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def user_node_path(user) -> str | None:
    """The materialized path of the user's jurisdiction node, or None when the user has none."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "scope_path", None)


def path_within(path: str, node: str) -> bool:
    return path == node or path.startswith(node + "/")


def path_q(lookup: str, node: str) -> Q:
    return Q(**{lookup: node}) | Q(**{f"{lookup}__startswith": node + "/"})


class ScopedQuerySet(models.QuerySet):
    scoped_for_user = False  # set on the rows ``for_user`` gives (and their clones)

    def _clone(self):
        clone = super()._clone()
        clone.scoped_for_user = self.scoped_for_user
        return clone

    def for_user(self, user, action: str = "view"):
        """Rows the user may ``action``: they need the permission (what) and the row must be at or below
        their jurisdiction node (where). Anything else is empty, so callers turn it into a 404."""
        rows = self._for_user(user, action)._chain()
        rows.scoped_for_user = True
        return rows

    def _for_user(self, user, action: str):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if action and not user.has_perm(permission_name(self.model, action)):
            return self.none()
        lookup = self.model.scope_field
        if lookup == REFERENCE or user.is_superuser:
            return self
        node = user_node_path(user)
        if not node:
            return self.none()
        where = path_q(lookup, node)
        shared = getattr(self.model, "shared_scope", None)
        if shared is not None and action in READ_ACTIONS:
            where |= shared(node)
        return self.filter(where)

    def get(self, *args, **kwargs):
        """A lookup in a user's rows that finds nothing is noted: the object may exist outside the scope."""
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            if self.scoped_for_user and (args or kwargs):
                note_scope_miss(ScopeMiss(self.model, kwargs, args))
            raise


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def ensure_path_in_scope(user, path: str) -> None:
    """Re-check inside a write that the target node is the user's or below it (a 404 otherwise)."""
    if user.is_superuser:
        return
    node = user_node_path(user)
    if not node or not path_within(path, node):
        note_scope_miss(ScopeMiss(None, path=path))
        raise OutOfScope("不在您的辖区范围内")


def check_scope_declarations(models_iter) -> None:
    """Fail closed: every model of ours must say how it is scoped and offer ``for_user``."""
    missing = []
    for model in models_iter:
        if not model.__module__.startswith(OUR_APPS_PREFIX):
            continue
        declared = getattr(model, "scope_field", None)
        has_scope = hasattr(model._default_manager, "for_user")
        if not declared or not has_scope:
            missing.append(model._meta.label)
        elif isinstance(model._default_manager.all(), EnterpriseScopedQuerySet) and not getattr(
            model, "enterprise_field", None
        ):
            missing.append(f"{model._meta.label} (enterprise_field)")
    if missing:
        raise ImproperlyConfigured(
            "Models without a jurisdiction scope declaration (scope_field and a ScopedQuerySet manager): "
            + ", ".join(missing)
        )


def user_enterprise_id(user) -> int | None:
    """The verified enterprise an enterprise account acts for, or None (bureau staff, unverified, anonymous)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return getattr(user, "enterprise_scope_id", None)


class EnterpriseScopedQuerySet(ScopedQuerySet):
    """The second scope: rows that belong to an enterprise as well as to a jurisdiction (its requests, its
    promises). Bureau staff see them by jurisdiction, exactly as ``ScopedQuerySet``; an enterprise account sees only
    the rows of its own verified enterprise, through the model's ``enterprise_field`` (a lookup that ends at the
    enterprise's id). Fail closed: an account with a jurisdiction node is never given enterprise rows, an enterprise
    account that is not verified or a model without ``enterprise_field`` gives nothing."""

    def _for_user(self, user, action: str):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user_node_path(user):
            return super()._for_user(user, action)
        company = user_enterprise_id(user)
        lookup = getattr(self.model, "enterprise_field", None)
        if not company or not lookup:
            return self.none()
        if action and not user.has_perm(permission_name(self.model, action)):
            return self.none()
        # A subquery, so that a lookup across a many-valued relation gives each row once.
        owned = self.model._base_manager.filter(**{lookup: company}).values("pk")
        return self.filter(pk__in=owned)


def ensure_enterprise_owns(user, company_id: int | None) -> None:
    """Re-check inside a write by an enterprise account that the object is its own enterprise's (404 otherwise)."""
    own = user_enterprise_id(user)
    if not own or own != company_id:
        note_scope_miss(ScopeMiss(None, path=f"enterprise:{company_id}"))
        raise OutOfScope("不是本企业的事项")
