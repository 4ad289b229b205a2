"""Refused attempts in the audit trail (issue 11): a signed-in user asking for an object outside their scope (404),
for a function their roles do not give them (403), or saving a project the admission check refuses (不招).

Rows are written through ``audit_record`` (the one append-only, chained API), after the refused work has been
rolled back, and rate-limited with the cache so that a crawler cannot flood the trail: at most one row per user,
kind and address a minute, and at most ``PER_USER_KIND_PER_MINUTE`` rows per user and kind a minute; a row says how
many refusals since the last one were not written on their own. Anonymous requests are sent to the login page
(or get 401 from the API): they are not refusals of a user, and are not recorded here.

- 404: scoped lookups note what they missed (``core.scope``: ``ScopedQuerySet.get`` on rows from ``for_user``,
  ``ensure_path_in_scope``); when the request ends in a 404 the middleware looks the object up without the scope,
  and records the attempt if it exists — a 404 for something that does not exist at all is not a refusal.
- 403: ``PermissionDenied`` raised by a page (or a service it called), or the API's own 403 answer.
- 不招: services wrap themselves in ``audited_refusals`` (``projects.services.project_create`` / ``_update``).
"""

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from zhaoshang.core.audit import ROOT_PATH, audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.context import current
from zhaoshang.core.scope import ScopeMiss, scope_misses

WINDOW_SECONDS = 60
PER_USER_KIND_PER_MINUTE = 10
KEY_PREFIX = "audit-refusal"
REQUEST_NOTE = "_refused_permission"


def _key(*parts) -> str:
    return f"{KEY_PREFIX}:" + hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _admit(user, kind: str, url: str) -> tuple[bool, int]:
    """Whether this refusal gets its own row, and how many before it did not (rate limit, in the cache)."""
    suppressed_key = _key(user.pk, kind, "suppressed")
    once = cache.add(_key(user.pk, kind, url), 1, WINDOW_SECONDS)
    budget_key = _key(user.pk, kind, "budget")
    cache.add(budget_key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(budget_key) if once else PER_USER_KIND_PER_MINUTE + 1
    except ValueError:  # expired between add and incr
        cache.add(budget_key, 1, WINDOW_SECONDS)
        used = 1
    if once and used <= PER_USER_KIND_PER_MINUTE:
        suppressed = cache.get(suppressed_key, 0)
        if suppressed:
            cache.delete(suppressed_key)
        return True, suppressed
    if not cache.add(suppressed_key, 1, WINDOW_SECONDS * 10):
        try:
            cache.incr(suppressed_key)
        except ValueError:
            cache.add(suppressed_key, 1, WINDOW_SECONDS * 10)
    return False, 0


def refusal_record(
    *,
    actor,
    kind: str,
    obj=None,
    object_type: str = "",
    object_repr: str = "",
    detail: dict | None = None,
    url: str | None = None,
    method: str | None = None,
):
    """Append one refusal row (or count it, when the rate limit says so). Returns the row, or None."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    context = current.get()
    url = context.url if url is None else url
    method = context.method if method is None else method
    admitted, suppressed = _admit(actor, kind, url)
    if not admitted:
        return None
    after = {"url": url, "method": method, **(detail or {})}
    if suppressed:
        after["suppressed"] = suppressed
    return audit_record(
        actor=actor,
        action=kind,
        obj=obj,
        object_type=object_type,
        object_repr=object_repr,
        path=getattr(actor, "scope_path", None) or ROOT_PATH,  # the actor's office reads its users' attempts
        after=after,
    )


def audited_refusals(refused: type[Exception] | tuple, *, describe: Callable[[Exception, dict], dict]):
    """Decorate a service (outside its ``transaction.atomic``): when it raises ``refused``, the refusal is
    recorded after the service's work was rolled back, then raised on. ``describe(error, kwargs)`` gives the
    keyword arguments of ``refusal_record`` other than the actor."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            try:
                return service(*args, **kwargs)
            except refused as error:
                refusal_record(actor=kwargs.get("actor"), **describe(error, kwargs))
                raise

        return wrapper

    return decorate


def _scope_refusal(request, misses: list[ScopeMiss]) -> None:
    for miss in misses:
        if miss.model is None:
            refusal_record(
                actor=request.user,
                kind=Action.REFUSED_SCOPE,
                detail={"message": "不在您的辖区范围内", "target": miss.path},
            )
            return
        try:
            found = miss.model._base_manager.filter(*miss.args, **miss.lookup).first()
        except (ValueError, TypeError):
            continue
        if found is not None:
            name = miss.model._meta.verbose_name
            refusal_record(
                actor=request.user,
                kind=Action.REFUSED_SCOPE,
                obj=found,
                object_repr=f"{name} 编号 {found.pk}",  # not its name: it is outside the actor's scope
                detail={"message": f"该{name}不在您的辖区范围内"},
            )
            return


class RefusalAuditMiddleware:
    """Records refused requests of signed-in users (see the module). Sits after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = scope_misses.set([])
        try:
            response = self.get_response(request)
            misses = scope_misses.get()
        finally:
            scope_misses.reset(token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if response.status_code == 404 and misses:
                _scope_refusal(request, misses)
            elif response.status_code == 403:
                message = getattr(request, REQUEST_NOTE, None)
                if message is None and getattr(response, "exception", False):  # the API's own 403
                    message = str((getattr(response, "data", None) or {}).get("detail", "")) or "无此功能权限"
                if message is not None:
                    refusal_record(actor=user, kind=Action.REFUSED_PERMISSION, detail={"message": message})
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            setattr(request, REQUEST_NOTE, str(exception) or "无此功能权限")
        return None
