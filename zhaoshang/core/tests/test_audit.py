import hashlib
import hmac
import json
from datetime import UTC

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from zhaoshang.core import audit_triggers
from zhaoshang.core.audit import audit_record, audit_record_many, audit_verify
from zhaoshang.core.crypto import hmac_sm3
from zhaoshang.core.models import AppendOnlyError, AuditLog
from zhaoshang.core.testing import persona

DIGEST_FIELDS = (
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
)


def write_rows(n=5):
    actor = persona("province_admin")
    return [audit_record(actor=actor, action="update", object_repr=f"行{i}", after={"i": i}) for i in range(n)]


@pytest.mark.django_db
def test_intact_chain_verifies(capsys):
    write_rows()
    assert audit_verify() is None
    call_command("verify_audit")
    assert "校验通过" in capsys.readouterr().out


@pytest.mark.django_db
def test_tampering_with_one_row_makes_verify_audit_name_it():
    rows = write_rows()
    target = rows[2]
    audit_triggers.remove(connection)  # an attacker with the database's rights drops the triggers first
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET object_repr = %s WHERE id = %s", ["改过的", target.pk])
    with pytest.raises(CommandError, match=f"#{target.pk} "):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleting_a_row_breaks_the_chain_at_the_next_row():
    rows = write_rows()
    audit_triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [rows[1].pk])
    assert audit_verify().row_id == rows[2].pk


@pytest.mark.django_db
def test_audit_rows_cannot_be_edited_or_deleted_through_the_orm():
    row = write_rows(1)[0]
    row.object_repr = "x"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).delete()


@pytest.mark.django_db
def test_each_row_records_actor_request_id_and_ip(as_persona):
    client = as_persona("province_admin")
    client.get("/parks/?export=xlsx", HTTP_X_REQUEST_ID="req-42", REMOTE_ADDR="10.1.2.3")
    row = AuditLog.objects.filter(action="export").latest("id")
    assert (row.actor_name, row.request_id, row.ip) == ("province_admin", "req-42", "10.1.2.3")


@pytest.mark.django_db
def test_audit_admin_searches_and_exports_the_trail(as_persona):
    rows = write_rows(3)
    client = as_persona("audit_admin")
    page = client.get("/audit/", {"q": "行1"})
    # found by the search; its business values are masked for the audit administrator (test_pii.py)
    assert page.status_code == 200 and f"<td>{rows[1].pk}</td>" in page.content.decode()
    assert f"<td>{rows[2].pk}</td>" not in page.content.decode()
    export = client.get("/audit/", {"q": "行", "export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_a_change_too_long_for_an_excel_cell_is_exported_cut_with_a_note(as_persona):
    from io import BytesIO

    from openpyxl import load_workbook

    from zhaoshang.core.excel import CELL_LIMIT, TRUNCATED

    created = {str(pk): pk + 1 for pk in range(1, 5001)}  # an import's row lists every project it created
    audit_record(actor=None, action="import", object_repr="导入长文件", after={"objects": {"project": created}})
    export = as_persona("audit_admin").get("/audit/", {"q": "导入长文件", "export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    after = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("变更后") + 1).value
    assert len(after) == CELL_LIMIT and after.endswith(TRUNCATED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["province_admin", "chuxiong_officer", "lufeng_officer", "enterprise_user"])
def test_only_audit_administrators_read_the_trail(as_persona, name):
    assert as_persona(name).get("/audit/").status_code == 403


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_recorded(as_persona, settings):
    settings.TRUSTED_PROXIES = 1
    client = as_persona("province_admin")
    client.get("/parks/?export=xlsx", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7", REMOTE_ADDR="10.0.0.1")
    assert AuditLog.objects.filter(action="export").latest("id").ip == "10.9.8.7"


@pytest.mark.django_db
def test_cutting_off_the_newest_rows_is_detected():
    rows = write_rows()
    audit_triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id >= %s", [rows[3].pk])
    with pytest.raises(CommandError, match="尾部被删除"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_emptying_the_whole_trail_is_detected():
    write_rows()
    audit_triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog")
    assert "尾部被删除" in audit_verify().message


@pytest.mark.django_db
def test_password_hashes_never_reach_the_audit_trail():
    from zhaoshang.core.audit import snapshot

    assert "password" not in snapshot(persona("lufeng_officer"))


@pytest.mark.django_db
def test_bulk_rows_hash_their_json_once_and_verify_like_single_rows():
    actor = persona("province_admin")
    after = {"名称": '禄丰"新材料"项目', "amount": "1.50", "nested": {"b": [1, None, True], "a": "é"}, "z": None}
    audit_record(actor=actor, action="update", object_repr="单条", after=after)
    audit_record_many(
        actor=actor,
        entries=[("create", "projects.Project", i, f"第{i}条", None, None, {**after, "i": i}) for i in range(3)],
        path="530000",
    )
    rows = list(AuditLog.objects.order_by("id"))
    assert [r.after for r in rows[-3:]] == [{**after, "i": i} for i in range(3)]
    for row in rows:  # the fields as read back, hashed the plain way: HMAC-SM3 with the key id, or the old SHA-256
        fields = {name: getattr(row, name) for name in DIGEST_FIELDS}
        fields["created_at"] = row.created_at.astimezone(UTC).isoformat()
        if row.key_id:
            fields["key_id"] = row.key_id
        message = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        key = settings.AUDIT_HMAC_KEY.encode()
        if row.key_id:
            assert row.hash == hmac_sm3(key, message).hex()
        else:
            assert row.hash == hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
    assert audit_verify() is None
