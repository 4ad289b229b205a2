"""Reads of the heavy report pages from a PostgreSQL streaming replica (on only when DATABASE_REPLICA_URL is set).

The replica lags the primary by up to a few seconds, so reads go there only where that cannot mislead: GET requests
to the pages named in ``settings.REPLICA_VIEWS`` (cockpit, rankings, 序时进度, the project book), and never inside a
transaction on the primary (a service that reads and then writes, the audit chain's head, a ``select_for_update``),
never for a write, never for migrations. Everything else — sessions, logins, forms, the API — stays on the primary.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_ALIAS = "replica"
_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


@contextmanager
def replica_reads():
    """Send the reads of this block to the replica (when one is configured)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _use_replica.get() or REPLICA_ALIAS not in settings.DATABASES:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a read that a write in the same transaction may depend on
        return REPLICA_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaViewsMiddleware:
    """Marks GET requests to the pages in ``settings.REPLICA_VIEWS`` (URL names) for replica reads."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = set(getattr(settings, "REPLICA_VIEWS", ()))

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _use_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method == "GET" and match is not None and match.view_name in self.views:
            request._replica_token = _use_replica.set(True)
