"""The backup and restore drill on the suite's database (SQLite, or PostgreSQL when DATABASE_URL points there)."""

import json
import sqlite3
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhaoshang.accounts.models import User
from zhaoshang.core.audit import audit_record
from zhaoshang.core.backup import BackupError, backup_create, sha256_file, verify_checksums
from zhaoshang.core.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_dataset(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"]}}
    settings.STORAGES["default"]["OPTIONS"] = {"location": tmp_path / "media"}
    settings.ATTACHMENTS_ROOT = tmp_path / "private" / "attachments"
    (tmp_path / "media" / "jobs").mkdir(parents=True)
    (tmp_path / "media" / "jobs" / "导入.xlsx").write_bytes(b"PK\x03\x04 workbook")
    settings.ATTACHMENTS_ROOT.mkdir(parents=True)
    (settings.ATTACHMENTS_ROOT / "ab" / "cd").mkdir(parents=True)
    (settings.ATTACHMENTS_ROOT / "ab" / "cd" / "contract.pdf").write_bytes(b"%PDF-1.7 private")
    actor = User.objects.create(username="backup_drill_actor")
    for number in range(5):
        job = Job.objects.create(kind="demo", title=f"任务{number}", owner=actor, path="530000")
        audit_record(actor=actor, action="create", obj=job, after={"title": job.title})
    return tmp_path


def test_the_drill_restores_an_identical_database_and_files_and_verifies_the_audit_chain(small_dataset):
    out = StringIO()
    call_command("backup_drill", dest=small_dataset / "drill", json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["vendor"] == connection.vendor and report["files"] == 2
    assert report["audit_rows"] >= 5 and report["rows"] > 10 and report["seconds"] > 0
    steps = " ".join(step["step"] for step in report["steps"])
    assert "审计日志完整" in steps and "逐表核对行数" in steps and "恢复并核对文件（2 个）" in steps
    manifest = json.loads((small_dataset / "drill" / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["core_job"] == Job.objects.count() == 5
    assert {f["path"] for f in manifest["files"]} == {"media/jobs/导入.xlsx", "attachments/ab/cd/contract.pdf"}


def test_a_damaged_backup_is_refused_before_anything_is_restored(small_dataset):
    backup_create(dest=small_dataset / "b")
    with open(small_dataset / "b" / "files.tar", "r+b") as archive:
        archive.seek(600)
        archive.write(b"X")
    with pytest.raises(BackupError, match="files.tar"):
        verify_checksums(small_dataset / "b")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="edits the SQLite backup file directly")
def test_a_restore_whose_audit_chain_was_altered_fails_even_with_fresh_checksums(small_dataset):
    backup = small_dataset / "b"
    backup_create(dest=backup)
    db = sqlite3.connect(backup / "database.sqlite3")
    with db:  # an attacker with the file drops the triggers first
        triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditlog'")
        for (name,) in triggers.fetchall():
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("UPDATE core_auditlog SET object_repr = 'forged' WHERE id = (SELECT max(id) FROM core_auditlog)")
    db.close()
    sums = (backup / "SHA256SUMS").read_text().splitlines()
    fresh = [f"{sha256_file(backup / 'database.sqlite3')}  database.sqlite3" if "database" in s else s for s in sums]
    (backup / "SHA256SUMS").write_text("\n".join(fresh) + "\n")
    target = f"sqlite:///{small_dataset / 'restored.sqlite3'}"
    with pytest.raises(CommandError, match="审计"):
        call_command(
            "restore", str(backup), database_url=target, files_dir=small_dataset / "restored", stdout=StringIO()
        )
