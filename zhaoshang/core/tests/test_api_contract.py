"""Issue 13 item 7: the API keeps its contract. schemathesis reads the schema the platform serves at /api/schema/,
generates requests for every operation — valid ones and ones that break the schema — and sends them through the
WSGI application (no network) with the token of a county officer, for two counties. Every answer must be within the
schema: no server error, a documented status code and content type, a body that matches its schema; and an
operation must refuse a request without credentials.

Bounded: a fixed number of examples per operation, derandomised (the same cases every run), no shrinking — about
half a minute for each identity. A failure prints each case as a curl command to reproduce."""

import json
import logging
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhaoshang.core.testing import client_for, persona

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}


@pytest.fixture(scope="module")
def quiet_request_log():
    """Every refused case logs a warning from django.request; thousands of them would drown the report."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@contextmanager
def the_test_connection_kept():
    """Django's WSGI handler closes the database connection when a request starts and finishes; the test's
    transaction lives on it. The test client disconnects the same two signals, for each of its own requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def served_schema(client, who: str):
    """The schema as /api/schema/ serves it to a signed-in officer (the page needs a session, not a token)."""
    client_for(client, who)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(json.loads(response.content))
    schema.app = WSGIHandler()  # requests go through Django's WSGI handler in this process: no network
    return schema


def token_for(who: str) -> dict:
    token, _ = Token.objects.get_or_create(user=persona(who))
    Token.objects.filter(pk=token.pk).update(created=timezone.now())
    return {"Authorization": f"Token {token.key}"}


def run_operation(operation, mode: GenerationMode, headers: dict, failures: list) -> int:
    sent = 0

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case):
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            titles = sorted({failure.title for failure in group.exceptions})
            failures.append(f"{operation.label} [{mode.value}] {titles}: {str(group).strip()[:1500]}")

    send()
    return sent


@pytest.mark.parametrize("who", ["lufeng_officer", "kunming_officer"])
def test_every_answer_of_the_api_is_within_its_schema(client, who, quiet_request_log):
    call_command("seed_demo", projects=60, seed=13, verbosity=0)
    schema = served_schema(client, who)
    headers = token_for(who)
    failures: list[str] = []
    sent, operations = 0, 0
    with the_test_connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for mode in EXAMPLES:
                sent += run_operation(operation, mode, headers, failures)
    assert operations >= 30 and sent >= operations * 6, (operations, sent)
    assert failures == [], "\n".join(failures)
