"""Production serving (issue 19): collectstatic with production settings, then gunicorn in production mode against
the test database — pages with hashed static names, WhiteNoise serving them for a year, health and readiness — and,
on PostgreSQL, 200 concurrent requests that never hold more connections than the pools allow."""

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from zhaoshang.core.ops import database_url, production_env

BASE_DIR = Path(settings.BASE_DIR)
WORKERS, POOL = 2, 3
APP_NAME = "zhaoshang-serving-test"
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """`manage.py collectstatic` in production mode (hashed names, compressed copies) into a fresh VAR_DIR."""
    var_dir = tmp_path_factory.mktemp("var_production")
    done = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=production_env(var_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return var_dir


def test_collectstatic_in_production_writes_hashed_and_compressed_files(static_root):
    manifest = json.loads((static_root / "staticfiles" / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/echarts/echarts.min.js", "core/app.js"]:
        hashed = static_root / "staticfiles" / manifest[name]
        assert hashed.name != Path(name).name and hashed.exists()
        assert hashed.with_name(hashed.name + ".gz").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def get(url: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def app_server(static_root, transactional_db):
    port = free_port()
    env = production_env(
        static_root,
        DATABASE_URL=database_url(),
        DB_POOL_MAX_SIZE=str(POOL),
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(WORKERS),
        WEB_THREADS=str(POOL),
        WEB_ACCESS_LOG="",
        TASKS_BACKEND="database",
        PGAPPNAME=APP_NAME,  # libpq names the server's connections, so that the test counts only those
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.py")], env=env, cwd=BASE_DIR
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(f"{base}/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not become ready"
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_gunicorn_serves_production_pages_with_hashed_static_files_and_health(app_server):
    status, _, body = get(f"{app_server}/accounts/login/")
    assert status == 200
    html = body.decode()
    css = html.split('href="/static/vendor/bootstrap/bootstrap.min.', 1)[1].split('"', 1)[0]
    assert css.endswith(".css") and len(css) > len("css")  # bootstrap.min.<hash>.css
    status, headers, _ = get(f"{app_server}/static/vendor/bootstrap/bootstrap.min.{css}")
    assert status == 200 and "immutable" in headers["Cache-Control"]
    status, _, body = get(f"{app_server}/healthz")
    health = json.loads(body)
    assert status == 200 and health["checks"]["database"]["ok"] and health["checks"]["queue"]["backend"] == "database"
    assert get(f"{app_server}/readyz")[0] == 200
    status, headers, _ = get(f"{app_server}/projects/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")  # pages still need a login


def backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


@pytest.mark.postgresql
@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs DATABASE_URL to point at PostgreSQL")
def test_200_concurrent_requests_never_hold_more_connections_than_the_pools_allow(app_server):
    peak, stop = [0], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], backends())
            time.sleep(0.02)
        connection.close()

    sampler = threading.Thread(target=sample)
    sampler.start()
    paths = ["/healthz", "/readyz", "/accounts/login/", "/healthz"]
    try:
        with ThreadPoolExecutor(max_workers=25) as pool:
            statuses = list(pool.map(lambda n: get(f"{app_server}{paths[n % 4]}", timeout=30)[0], range(200)))
    finally:
        stop.set()
        sampler.join()
    after = backends()
    assert statuses.count(200) == 200
    assert 0 < peak[0] <= WORKERS * POOL and after <= WORKERS * POOL, (peak[0], after)
