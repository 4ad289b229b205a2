from pathlib import Path

import pytest
from django.conf import settings

from zhaoshang.core.testing import client_for, load_platform_data


def pytest_sessionstart(session):
    """Django deletes an old SQLite test database but not its WAL files, which SQLite would replay into the new one."""
    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and test_name:
        for suffix in ("-wal", "-shm"):
            Path(f"{test_name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data and demo accounts that `make run` loads."""
    with django_db_blocker.unblock():
        load_platform_data()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """A live-server request the browser left behind can still hold a PostgreSQL session when the run ends (the
    server's request threads are daemons, not joined); end it so that the test database can be dropped."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def as_persona(client, db):
    def sign_in(name):
        client.logout()
        return client_for(client, name)

    return sign_in


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings, tmp_path_factory):
    """Each test its own audit checkpoint file (core.audit), written at every audit append: tests roll their
    transactions back instead of committing, so a checkpoint written after commit would never come."""
    settings.AUDIT_CHECKPOINT_PATH = tmp_path_factory.mktemp("audit") / "checkpoints.log"
    settings.AUDIT_CHECKPOINT_AT_COMMIT = False
