"""The audit trail against an attacker with database rights (issue 13 item 5): a signed checkpoint of the chain's
head kept outside the database, triggers refusing UPDATE and DELETE of audit rows, HMAC-SM3 with a key id per row
(older HMAC-SHA256 rows still verify), and a failed audit write failing the business write."""

import hashlib
import hmac
import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from zhaoshang.core import audit_triggers
from zhaoshang.core.audit import (
    LEGACY_KEY_ID,
    audit_record,
    audit_verify,
    checkpoint_path,
    current_key_id,
    row_digest,
)
from zhaoshang.core.crypto import hmac_sm3
from zhaoshang.core.models import AuditHead, AuditLog
from zhaoshang.core.testing import persona

pytestmark = pytest.mark.django_db


def write_rows(n=5):
    actor = persona("province_admin")
    return [audit_record(actor=actor, action="update", object_repr=f"行{i}", after={"i": i}) for i in range(n)]


def as_attacker(*statements):
    """Raw SQL as someone holding the database's rights: the triggers go first (DDL), then the tampering."""
    audit_triggers.remove(connection)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- the head outside the database ------------------------------------------------------------------------------


def test_every_append_writes_a_signed_checkpoint_line_to_the_file():
    rows = write_rows(3)
    lines = checkpoint_path().read_text().splitlines()
    assert len(lines) == 3
    last = json.loads(lines[-1])
    assert (last["last_id"], last["last_hash"], last["count"]) == (rows[-1].pk, rows[-1].hash, AuditLog.objects.count())
    assert last["key_id"] == current_key_id() and len(last["mac"]) == 64


def test_wiping_the_log_and_its_head_is_detected_by_the_checkpoint(capsys):
    write_rows()
    count = AuditLog.objects.count()
    as_attacker("DELETE FROM core_auditlog", "DELETE FROM core_audithead")
    with pytest.raises(CommandError, match="检查点") as refused:
        call_command("verify_audit")
    assert f"共 {count} 条" in str(refused.value) and "库中没有审计记录" in str(refused.value)


def test_cutting_off_the_newest_rows_and_rewriting_the_head_is_detected_by_the_checkpoint():
    rows = write_rows()
    as_attacker(f"DELETE FROM core_auditlog WHERE id >= {rows[3].pk}", "DELETE FROM core_audithead")
    problem = audit_verify()
    assert problem is not None and "检查点" in problem.message and f"#{rows[4].pk}" in problem.message


def test_a_forged_checkpoint_line_is_detected():
    write_rows(2)
    path = checkpoint_path()
    line = json.loads(path.read_text().splitlines()[-1])
    line["count"] = 1  # the attacker shortens the trail and the file to match
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    assert "检查点文件第3行" in audit_verify().message


def test_a_missing_checkpoint_file_with_rows_in_the_database_fails_verification():
    write_rows(2)
    checkpoint_path().unlink()
    with pytest.raises(CommandError, match="检查点文件缺失"):
        call_command("verify_audit")


def test_init_checkpoint_records_the_verified_head_of_an_existing_trail(capsys):
    write_rows(2)
    checkpoint_path().unlink()
    call_command("verify_audit", "--init-checkpoint")
    assert audit_verify() is None and len(checkpoint_path().read_text().splitlines()) == 1


def test_in_production_the_checkpoint_is_written_after_commit_and_not_for_a_rolled_back_write(
    settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_CHECKPOINT_AT_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            write_rows(3)
    assert len(callbacks) == 1  # one checkpoint per transaction, however many rows it appended
    assert len(checkpoint_path().read_text().splitlines()) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            sid = transaction.savepoint_create()
            write_rows(1)
            transaction.savepoint_rollback(sid)
    assert callbacks == []
    assert json.loads(checkpoint_path().read_text().splitlines()[-1])["count"] == AuditLog.objects.count()
    assert audit_verify() is None


# --- database triggers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditlog SET object_repr = 'x'",
        "DELETE FROM core_auditlog",
        "DELETE FROM core_audithead",
    ],
)
def test_raw_update_and_delete_of_audit_rows_are_refused_by_the_database(statement):
    write_rows(2)
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditLog.objects.count() >= 2 and AuditHead.objects.exists()
    assert audit_verify() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncating_the_audit_table_is_refused_on_postgresql():
    write_rows(1)
    with pytest.raises(DatabaseError, match="审计日志只能追加"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditlog")


def test_flush_still_empties_the_database_and_puts_the_triggers_back(monkeypatch):
    from zhaoshang.core.management.commands.flush import Command

    calls = []
    monkeypatch.setattr(audit_triggers, "remove", lambda c: calls.append("remove"))
    monkeypatch.setattr(audit_triggers, "install", lambda c: calls.append("install"))
    monkeypatch.setattr("django.core.management.commands.flush.Command.handle", lambda self, **o: calls.append("flush"))
    Command().handle(database="default")
    assert calls == ["remove", "flush", "install"]


# --- HMAC-SM3 with key ids ------------------------------------------------------------------------------------------


def test_new_rows_are_chained_with_hmac_sm3_under_a_key_id():
    row = write_rows(1)[0]
    row.refresh_from_db()
    assert row.key_id == current_key_id() and row.key_id.startswith("sm3")
    fields = {
        "created_at": row.created_at.astimezone(__import__("datetime").UTC).isoformat(),
        **{
            name: getattr(row, name)
            for name in (
                "actor_id",
                "actor_name",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "before",
                "after",
                "ip",
                "request_id",
                "path",
                "prev_hash",
                "key_id",
            )
        },
    }
    message = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert row.hash == hmac_sm3(settings.AUDIT_HMAC_KEY, message).hex()
    head = AuditHead.objects.get()
    assert head.key_id == current_key_id()


def test_rows_written_before_the_switch_still_verify_with_hmac_sha256(settings):
    old = write_rows(2)
    # Rewrite those two rows as the previous release wrote them: no key id, HMAC-SHA256 (an attacker's tools
    # are used here only to bring the database back to the old state).
    audit_triggers.remove(connection)
    previous = ""
    for row in AuditLog.objects.filter(id__lte=old[-1].pk).order_by("id"):  # the whole trail up to then
        row.prev_hash, row.key_id = previous, LEGACY_KEY_ID
        legacy = legacy_digest(row)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditlog SET hash = %s, prev_hash = %s, key_id = '' WHERE id = %s",
                [legacy, previous, row.pk],
            )
        previous = legacy
    audit_triggers.install(connection)
    # The head and checkpoint of the old release named that last row; the next append chains to it with SM3.
    from zhaoshang.core.audit import _advance_head

    _advance_head(old[-1].pk, previous, added=0)
    head = AuditHead.objects.get()
    legacy_head = hmac.new(
        settings.AUDIT_HMAC_KEY.encode(), f"{head.last_id}:{head.last_hash}:{head.count}".encode(), hashlib.sha256
    ).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_audithead SET key_id = '', mac = %s", [legacy_head])
    assert audit_verify() is None  # the old release's head, signed with HMAC-SHA256
    new = write_rows(2)
    assert [r.key_id for r in AuditLog.objects.order_by("id")][-4:] == ["", "", current_key_id(), current_key_id()]
    assert new[0].prev_hash == previous
    assert audit_verify() is None


def legacy_digest(row) -> str:
    row.key_id = ""
    from zhaoshang.core import audit

    message = audit._digest_message(row)
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def test_a_row_downgraded_to_the_old_algorithm_after_the_switch_breaks_the_chain():
    rows = write_rows(3)
    target = rows[1]
    target.key_id = ""
    forged = row_digest(target)  # even with the key: an SM3-era row cannot claim the old algorithm
    as_attacker(f"UPDATE core_auditlog SET key_id = '', hash = '{forged}' WHERE id = {target.pk}")
    assert audit_verify().row_id == target.pk


# --- fail closed ----------------------------------------------------------------------------------------------------


@pytest.fixture
def audit_insert_fails():
    """The database refuses every new audit row (a full disk, a broken constraint): as a trigger, so the single
    and the bulk (COPY) paths both meet it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_audit_insert_fails() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION '审计写入失败（测试）'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_audit_insert_fails BEFORE INSERT ON core_auditlog "
                "FOR EACH ROW EXECUTE FUNCTION test_audit_insert_fails()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_audit_insert_fails BEFORE INSERT ON core_auditlog "
                "BEGIN SELECT RAISE(ABORT, '审计写入失败（测试）'); END"
            )


def signed_project():
    from zhaoshang.projects import services
    from zhaoshang.projects.choices import AgreementKind, Stage
    from zhaoshang.regions.models import Region

    officer = persona("lufeng_officer")
    project = services.project_create(
        actor=officer,
        name="审计失败测试项目",
        investor_name="审计失败测试投资有限公司",
        county=Region.objects.get(code="532302"),
        on=date(2024, 1, 5),
        agreed_investment_wan=Decimal("100"),
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2024, 2, 1))
    services.agreement_create(
        actor=officer,
        project=project,
        signed_on=date(2024, 3, 1),
        amount_wan=Decimal("100"),
        kind=AgreementKind.CONTRACT,
    )
    return services.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=date(2024, 3, 1))


def test_a_failed_audit_write_rolls_back_a_funds_entry(request):
    from zhaoshang.projects import services
    from zhaoshang.projects.models import FundingEntry

    project = signed_project()
    request.getfixturevalue("audit_insert_fails")
    with pytest.raises(DatabaseError, match="审计写入失败"):
        with transaction.atomic():
            services.funding_record(
                actor=persona("lufeng_officer"), project=project, month=date(2024, 4, 1), amount_wan=Decimal("1")
            )
    assert not FundingEntry.objects.filter(project=project).exists()


def test_a_failed_audit_write_rolls_back_the_project_it_describes(audit_insert_fails):
    from zhaoshang.projects import services
    from zhaoshang.projects.models import Project
    from zhaoshang.regions.models import Region

    with pytest.raises(DatabaseError, match="审计写入失败"):
        with transaction.atomic():
            services.project_create(
                actor=persona("lufeng_officer"),
                name="审计失败时不应留下的项目",
                investor_name="某某投资有限公司",
                county=Region.objects.get(code="532302"),
                on=date(2024, 1, 5),
                agreed_investment_wan=Decimal("100"),
            )
    assert not Project.objects.filter(name="审计失败时不应留下的项目").exists()


def test_a_failed_audit_write_rolls_back_a_month_lock(audit_insert_fails):
    from zhaoshang.projects import services
    from zhaoshang.projects.models import MonthLock
    from zhaoshang.regions.models import Region

    with pytest.raises(DatabaseError, match="审计写入失败"):
        with transaction.atomic():
            services.month_lock(
                actor=persona("chuxiong_officer"), prefecture=Region.objects.get(code="532300"), month=date(2023, 1, 1)
            )
    assert not MonthLock.objects.filter(month=date(2023, 1, 1)).exists()


def test_a_failed_audit_write_rolls_back_an_import(audit_insert_fails):
    from io import BytesIO

    from openpyxl import Workbook

    from zhaoshang.catalog.importers import credit_blacklist_import
    from zhaoshang.catalog.models import CreditBlacklistEntry
    from zhaoshang.core.validators import credit_code_error

    code = next(
        c for c in (f"91530000MA6K12345{x}" for x in "0123456789ABCDEFGHJKLMNPQRTUWXY") if not credit_code_error(c)
    )
    book = Workbook()
    book.active.append(["统一社会信用代码", "市场主体名称", "列入日期", "认定部门"])
    book.active.append([code, "测试失信主体有限公司", "2024-01-02", "测试部门"])
    buffer = BytesIO()
    book.save(buffer)
    with pytest.raises(DatabaseError, match="审计写入失败"):
        with transaction.atomic():
            credit_blacklist_import(content=buffer.getvalue(), actor=persona("province_admin"))
    assert not CreditBlacklistEntry.objects.filter(credit_code=code).exists()


def test_a_failed_bulk_audit_write_rolls_back_the_rows_it_describes(audit_insert_fails):
    from zhaoshang.core.audit import audit_record_many
    from zhaoshang.core.models import Job

    with pytest.raises(Exception, match="审计写入失败"):  # PostgreSQL's COPY raises psycopg's own error
        with transaction.atomic():
            job = Job.objects.create(kind="demo", title="批量写入", owner=persona("province_admin"), path="530000")
            audit_record_many(
                actor=persona("province_admin"),
                entries=[("create", "core.Job", job.pk, job.title, None, None, {"i": 1})],
                path="530000",
            )
    assert not Job.objects.filter(title="批量写入").exists()


def test_after_a_key_rotation_old_rows_verify_with_the_retired_key_and_new_rows_with_the_new_one(settings):
    write_rows(3)
    old_key, old_id = settings.AUDIT_HMAC_KEY, current_key_id()
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEY_ID = "a-new-audit-key-of-at-least-32-bytes!", "sm3-2"
    settings.AUDIT_HMAC_KEYS = {old_id: old_key}
    write_rows(2)
    assert list(AuditLog.objects.values_list("key_id", flat=True).order_by("id"))[-5:] == [old_id] * 3 + ["sm3-2"] * 2
    assert audit_verify() is None

    settings.AUDIT_HMAC_KEYS = {}  # the retired key lost: the rows it signed no longer verify
    assert audit_verify() is not None


def test_retired_audit_keys_are_read_from_the_environment(monkeypatch):
    import importlib

    from config import settings as project_settings

    monkeypatch.setenv("AUDIT_HMAC_RETIRED_KEYS", "sm3-1:first:key, sm3-2:second")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.AUDIT_HMAC_KEYS == {"sm3-1": "first:key", "sm3-2": "second"}
    finally:
        monkeypatch.delenv("AUDIT_HMAC_RETIRED_KEYS")
        importlib.reload(project_settings)
