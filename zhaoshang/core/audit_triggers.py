"""Database triggers that refuse UPDATE and DELETE of audit rows (and TRUNCATE on PostgreSQL), and the deletion of
the chain's head: the ORM refuses them already (``AppendOnlyModel``); these stop raw SQL through the application's
own connection (an injection, a console). Whoever may run DDL can drop them — the HMAC chain and the checkpoint
file outside the database (``core.audit``) are what detect that kind of tampering.

The migration ``core.0007_audit_append_only_triggers`` installs them; ``manage.py flush`` (which empties every
table, in tests too) lifts them for its own statement and puts them back (``core/management/commands/flush.py``).
"""

from contextlib import contextmanager

MESSAGE = "审计日志只能追加，不能修改或删除"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS core_auditlog_no_update BEFORE UPDATE ON core_auditlog "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS core_auditlog_no_delete BEFORE DELETE ON core_auditlog "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS core_audithead_no_delete BEFORE DELETE ON core_audithead "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditlog_no_update",
    "DROP TRIGGER IF EXISTS core_auditlog_no_delete",
    "DROP TRIGGER IF EXISTS core_audithead_no_delete",
]

POSTGRESQL_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}（% %）', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$""",
    "CREATE OR REPLACE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog "
    "FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()",
    "CREATE OR REPLACE TRIGGER core_auditlog_no_truncate BEFORE TRUNCATE ON core_auditlog "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only()",
    "CREATE OR REPLACE TRIGGER core_audithead_no_delete BEFORE DELETE ON core_audithead "
    "FOR EACH ROW EXECUTE FUNCTION core_audit_append_only()",
    "CREATE OR REPLACE TRIGGER core_audithead_no_truncate BEFORE TRUNCATE ON core_audithead "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditlog_append_only ON core_auditlog",
    "DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON core_auditlog",
    "DROP TRIGGER IF EXISTS core_audithead_no_delete ON core_audithead",
    "DROP TRIGGER IF EXISTS core_audithead_no_truncate ON core_audithead",
    "DROP FUNCTION IF EXISTS core_audit_append_only()",
]


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    return []  # another database: the ORM's refusal and the HMAC chain only


def _run(connection, sql: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)  # no parameters: the drivers leave ``%`` alone


def install(connection) -> None:
    _run(connection, statements(connection.vendor, install=True))


def remove(connection) -> None:
    """Drop the triggers (what an attacker with DDL rights does; tests simulate one with it)."""
    _run(connection, statements(connection.vendor, install=False))


@contextmanager
def suspended(connection):
    """The triggers lifted for one maintenance statement (``flush``) and put back, also when it fails."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)


MIGRATION = ("core", "0009_audit_append_only_triggers")


def reinstall_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate``: put the triggers back after every migrate. SQLite rebuilds a table for most changes of
    its columns (a new table, the rows copied, the old one dropped), and its triggers go with the old table."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if MIGRATION in MigrationRecorder(connection).applied_migrations():
        install(connection)
