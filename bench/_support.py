"""Shared by the benchmarks: a throwaway PostgreSQL database, and a child process per backend (Django is set up
once per process, so each database gets its own) whose result line is read back."""

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = "RESULT "


@contextmanager
def throwaway_database(url: str, prefix: str) -> Iterator[str]:
    """A new database ``<prefix>_<pid>`` on the server of ``url`` (a PostgreSQL URL): yields its URL, and drops it
    afterwards, also on failure (``FORCE`` ends connections left open)."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    server = url.rsplit("/", 1)[0]
    admin = f"{server}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_child(command: list[str], env: dict) -> tuple[dict | None, int]:
    """Run a benchmark child, print its output, and return the JSON it printed after ``RESULT`` (None if it printed
    none) with its exit code."""
    process = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result = None
    for line in process.stdout.splitlines():
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
        else:
            print(line, flush=True)
    if process.returncode:
        print(f"子进程失败（退出码 {process.returncode}）")
    return result, process.returncode
