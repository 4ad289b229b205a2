"""Backup, restore and the restore drill (issue 19 item 5; README "Backup and restore").

A backup is a folder: ``database.dump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online backup
API), ``files.tar`` (the uploaded and private files: media and attachments), ``manifest.json`` (row counts of every
table, the audit chain's head, every file's SHA-256) and ``SHA256SUMS`` (``sha256sum -c`` checks the three).

On PostgreSQL the row counts and the dump read the same snapshot (``pg_export_snapshot`` + ``pg_dump --snapshot``), so
they agree even while the platform is writing. The drill restores into a fresh database (a new PostgreSQL database
or SQLite file) and a fresh folder, then checks: checksums, row counts table by table, the audit chain with
``manage.py verify_audit`` run by a separate process against the restored database, and every restored file's hash.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from zhaoshang.core.ops import database_url

CHUNK = 1 << 20


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_roots() -> dict[str, Path]:
    """The folders of uploaded and private files, by the name they have inside the archive."""
    roots = {"media": Path(settings.STORAGES["default"].get("OPTIONS", {}).get("location", settings.VAR_DIR / "media"))}
    if getattr(settings, "ATTACHMENTS_ROOT", None):
        roots["attachments"] = Path(settings.ATTACHMENTS_ROOT)
    return roots


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))  # sqlite:////abs/path → /abs/path, as dj-database-url reads it


def quote_table(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote_table(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def audit_head(cursor) -> dict:
    cursor.execute("SELECT count(*), max(id) FROM core_auditlog")
    count, last_id = cursor.fetchone()
    return {"count": count, "last_id": last_id}


@dataclass
class Report:
    steps: list[tuple[str, float]] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def timed(self, label: str, started: float) -> None:
        self.steps.append((label, time.perf_counter() - started))

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.steps)


# --- backup --------------------------------------------------------------------------------------------------------
def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict]:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, head = count_rows(cursor, tables), audit_head(cursor)
            done = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
                + ["--file", str(target), database_url()],
                capture_output=True,
                text=True,
            )
        finally:
            cursor.execute("COMMIT")
    if done.returncode:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()}")
    return counts, head


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # a consistent copy even while others write (SQLite's online backup API)
    finally:
        source.close()
    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (the copy would otherwise be in WAL mode)
    try:
        tables = [
            r[0]
            for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if not r[0].startswith("sqlite_")
        ]
        cursor = copy.cursor()
        return count_rows(cursor, sorted(tables)), audit_head(cursor)
    finally:
        copy.close()


def _archive_files(target: Path) -> list[dict]:
    listed = []
    with tarfile.open(target, "w") as archive:
        for name, root in file_roots().items():
            if not root.exists():
                continue
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                arcname = f"{name}/{path.relative_to(root).as_posix()}"
                archive.add(path, arcname=arcname, recursive=False)
                listed.append({"path": arcname, "size": path.stat().st_size, "sha256": sha256_file(path)})
    return listed


def _copy_checkpoints(target: Path, *, last_id: int) -> int:
    """The audit chain's signed checkpoints (kept outside the database, core.audit) up to the backup's newest row:
    the restored database is verified against them. Lines are copied verbatim; later ones belong to rows the backup
    does not hold."""
    from zhaoshang.core.audit import checkpoint_path

    kept = []
    source = checkpoint_path()
    if source.exists():
        for line in source.read_bytes().splitlines(keepends=True):
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # an unterminated last line (a crash mid-write) is not a checkpoint
            if line.endswith(b"\n") and int(entry.get("last_id", 0)) <= last_id:
                kept.append(line)
    target.write_bytes(b"".join(kept))
    return len(kept)


def backup_create(*, dest: Path, report: Report | None = None) -> dict:
    report = report or Report()
    dest.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    started = time.perf_counter()
    database_file = dest / ("database.dump" if vendor == "postgresql" else "database.sqlite3")
    if vendor == "postgresql":
        counts, head = _dump_postgresql(database_file)
    elif vendor == "sqlite":
        counts, head = _dump_sqlite(database_file)
    else:
        raise BackupError(f"不支持的数据库：{vendor}")
    report.timed(f"备份数据库（{vendor}，{sum(counts.values())} 行，{database_file.stat().st_size:,} 字节）", started)
    started = time.perf_counter()
    files = _archive_files(dest / "files.tar")
    report.timed(f"打包上传文件和附件（{len(files)} 个）", started)
    checkpoints = _copy_checkpoints(dest / "audit_checkpoints.log", last_id=head["last_id"] or 0)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": vendor,
        "database_file": database_file.name,
        "tables": counts,
        "audit": {**head, "checkpoints": checkpoints},
        "files": files,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    names = (database_file.name, "files.tar", "audit_checkpoints.log", "manifest.json")
    sums = [f"{sha256_file(dest / name)}  {name}\n" for name in names]
    (dest / "SHA256SUMS").write_text("".join(sums))
    return manifest


# --- restore -------------------------------------------------------------------------------------------------------
def verify_checksums(source: Path) -> dict:
    for line in (source / "SHA256SUMS").read_text().splitlines():
        expected, name = line.split(None, 1)
        if sha256_file(source / name.strip()) != expected:
            raise BackupError(f"校验和不符：{name.strip()}（备份文件已损坏或被改动）")
    return json.loads((source / "manifest.json").read_text())


def restore_database(*, source: Path, manifest: dict, target_url: str) -> None:
    """Restore into ``target_url``, which must be an empty PostgreSQL database or a SQLite path that does not exist."""
    dump = source / manifest["database_file"]
    if manifest["vendor"] == "postgresql":
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", target_url, str(dump)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise BackupError(f"pg_restore 失败：{done.stderr.strip()[-2000:]}")
    else:
        target = sqlite_path(target_url)
        if target.exists():
            raise BackupError(f"恢复目标已存在：{target}")
        shutil.copyfile(dump, target)


def restore_files(*, source: Path, manifest: dict, target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "files.tar") as archive:
        archive.extractall(target, filter="data")
    for entry in manifest["files"]:
        path = target / entry["path"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise BackupError(f"恢复的文件不符：{entry['path']}")
    return len(manifest["files"])


def restored_counts(*, manifest: dict, target_url: str) -> dict[str, int]:
    tables = sorted(manifest["tables"])
    if manifest["vendor"] == "postgresql":
        import psycopg

        with psycopg.connect(target_url) as conn, conn.cursor() as cursor:
            return count_rows(cursor, tables)
    conn = sqlite3.connect(sqlite_path(target_url))
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("恢复的 SQLite 数据库未通过 integrity_check")
        return count_rows(conn.cursor(), tables)
    finally:
        conn.close()


def verify_audit_in(target_url: str, *, checkpoints: Path) -> str:
    """``manage.py verify_audit`` in a separate process whose database is the restored one, against the checkpoints
    saved with the backup."""
    env = {**os.environ, "DATABASE_URL": target_url, "DB_POOL_MAX_SIZE": "0", "AUDIT_CHECKPOINT_PATH": str(checkpoints)}
    env.setdefault("DJANGO_ENV", settings.ENV)
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_audit"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BackupError(f"恢复后的审计链校验失败：{(done.stderr or done.stdout).strip()[-1000:]}")
    return done.stdout.strip()


# --- the drill -----------------------------------------------------------------------------------------------------
def _create_postgresql_database(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote_table(name)}")
    return database_url(name=name)


def _drop_postgresql_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote_table(name)} WITH (FORCE)")


def backup_drill(*, dest: Path, keep: bool = False) -> Report:
    """Back up, restore into a fresh database and folder, and verify. Raises BackupError at the first mismatch."""
    report = Report()
    manifest = backup_create(dest=dest / "backup", report=report)

    started = time.perf_counter()
    manifest = verify_checksums(dest / "backup")
    report.timed("校验备份的 SHA-256", started)

    started = time.perf_counter()
    drill_name = f"{Path(str(connection.settings_dict['NAME'])).stem}_drill_{int(time.time())}"
    if manifest["vendor"] == "postgresql":
        target_url = _create_postgresql_database(drill_name)
    else:
        target_url = f"sqlite:///{(dest / 'restored.sqlite3').resolve()}"
    try:
        restore_database(source=dest / "backup", manifest=manifest, target_url=target_url)
        report.timed("恢复到新的数据库", started)

        started = time.perf_counter()
        counts = restored_counts(manifest=manifest, target_url=target_url)
        differing = {
            t: (manifest["tables"][t], counts.get(t))
            for t in manifest["tables"]
            if counts.get(t) != manifest["tables"][t]
        }
        if differing:
            raise BackupError(f"恢复后行数不符：{differing}")
        report.timed(f"逐表核对行数（{len(counts)} 张表，{sum(counts.values())} 行）", started)

        started = time.perf_counter()
        audit = verify_audit_in(target_url, checkpoints=dest / "backup" / "audit_checkpoints.log")
        report.timed(f"恢复库审计链校验：{audit}", started)

        started = time.perf_counter()
        restored = restore_files(source=dest / "backup", manifest=manifest, target=dest / "restored_files")
        report.timed(f"恢复并核对文件（{restored} 个）", started)
    finally:
        if not keep:
            if manifest["vendor"] == "postgresql":
                _drop_postgresql_database(drill_name)
            else:
                sqlite_path(target_url).unlink(missing_ok=True)
            shutil.rmtree(dest / "restored_files", ignore_errors=True)
    report.facts = {
        "vendor": manifest["vendor"],
        "tables": len(manifest["tables"]),
        "rows": sum(manifest["tables"].values()),
        "audit_rows": manifest["audit"]["count"],
        "files": len(manifest["files"]),
        "restored_to": target_url if keep else "(已删除)",
        "backup": str(dest / "backup"),
    }
    return report
