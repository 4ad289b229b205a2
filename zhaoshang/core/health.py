"""Health and readiness for load balancers and monitoring: ``/healthz`` and ``/readyz``, JSON, no login, no data.

They answer in the first middleware, before host validation and the HTTPS redirect, because probes come by the
server's address over plain HTTP. ``/healthz`` says whether this app server can work (database and cache answer; 503
if not) and how the task queue stands (depth, oldest waiting task, workers seen recently); ``/readyz`` says whether it
should receive traffic (database reachable and fully migrated, cache answering).
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils import timezone

HEALTH_PATHS = {"/healthz", "/healthz/"}
READY_PATHS = {"/readyz", "/readyz/"}
WORKERS_KEY = "zhaoshang:workers:heartbeat"  # {worker host label: unix time}, written by run_workers
WORKER_FRESH_SECONDS = 60


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        details = check() or {}
        ok = True
    except Exception as error:  # a probe reports, it never raises
        details, ok = {"error": type(error).__name__}, False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1), **details}


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = f"zhaoshang:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def queue_state() -> dict:
    """Depth of the task queue. With the immediate backend there is no queue: tasks run in the request."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return {"backend": backend.rsplit(".", 1)[-1], "ready": 0, "running": 0}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    beats = cache.get(WORKERS_KEY) or {}
    return {
        "backend": "database",
        "ready": ready.count(),
        "running": DBTaskResult.objects.running().count(),
        "oldest_ready_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "failed_last_hour": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timezone.timedelta(hours=1))
        .count(),
        "workers_seen": sum(1 for beat in beats.values() if time.time() - beat < WORKER_FRESH_SECONDS),
    }


def health() -> tuple[int, dict]:
    checks = {"database": _timed(check_database), "cache": _timed(check_cache)}
    checks["queue"] = _timed(queue_state) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    ok = checks["database"]["ok"] and checks["cache"]["ok"]
    status = "ok" if ok and checks["queue"]["ok"] else ("degraded" if ok else "fail")
    queue = checks["queue"]
    if ok and queue.get("backend") == "database" and queue.get("ready") and not queue.get("workers_seen"):
        status = "degraded"  # tasks are waiting and no worker has reported in the last minute
    return (200 if ok else 503), {"status": status, "checks": checks}


_migrated = False  # once true for this process it stays true: migrations are applied before a release starts


def migrations_applied() -> None:
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrated = True


def ready() -> tuple[int, dict]:
    checks = {"database": _timed(check_database)}
    checks["migrations"] = _timed(migrations_applied) if checks["database"]["ok"] else {"ok": False}
    checks["cache"] = _timed(check_cache)
    ok = all(check["ok"] for check in checks.values())
    return (200 if ok else 503), {"status": "ready" if ok else "not ready", "checks": checks}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"} and (request.path in HEALTH_PATHS or request.path in READY_PATHS):
            status, body = health() if request.path in HEALTH_PATHS else ready()
            response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
