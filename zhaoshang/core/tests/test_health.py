import json
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhaoshang.core import health, routers
from zhaoshang.core.routers import ReplicaRouter, replica_reads

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_it_answers_without_login_or_an_allowed_host_and_shows_no_data(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    body = response.json()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "cache", "queue"}
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["queue"]["backend"] == "ImmediateBackend"
    assert client.get("/readyz", HTTP_HOST="10.1.2.3").json()["status"] == "ready"


@override_settings(TASKS=DATABASE_QUEUE)
def test_it_reports_the_queue_depth_and_degrades_when_tasks_wait_without_workers(client):
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=timezone.now() - timezone.timedelta(minutes=5),
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
    )
    response = client.get("/healthz")
    queue = response.json()["checks"]["queue"]
    assert response.status_code == 200 and response.json()["status"] == "degraded"
    assert (queue["backend"], queue["ready"], queue["running"], queue["workers_seen"]) == ("database", 1, 1, 0)
    health.cache.set(health.WORKERS_KEY, {"host:1": time.time()})
    try:
        assert health.health()[1]["status"] == "ok"
    finally:
        health.cache.delete(health.WORKERS_KEY)


def test_it_fails_when_the_database_does_not_answer(client):
    with mock.patch.object(health, "check_database", side_effect=OSError("down")):
        response = client.get("/healthz")
        ready = client.get("/readyz")
    assert response.status_code == 503 and response.json()["status"] == "fail"
    assert response.json()["checks"]["database"] == {"ok": False, "ms": mock.ANY, "error": "OSError"}
    assert ready.status_code == 503 and json.loads(ready.content)["status"] == "not ready"


def test_replica_reads_only_where_asked_never_inside_a_write_and_never_for_writes():
    router, default = ReplicaRouter(), connections["default"]
    with mock.patch.object(routers, "settings", SimpleNamespace(DATABASES={"default": {}, "replica": {}})):
        with mock.patch.object(default, "in_atomic_block", False):
            assert router.db_for_read(None) is None
            with replica_reads():
                assert router.db_for_read(None) == "replica" and router.db_for_write(None) == "default"
        with replica_reads(), mock.patch.object(default, "in_atomic_block", True):
            assert router.db_for_read(None) == "default"
    with replica_reads(), mock.patch.object(default, "in_atomic_block", False):
        assert router.db_for_read(None) is None  # no replica configured
    assert router.allow_migrate("replica", "core") is False and router.allow_migrate("default", "core")
