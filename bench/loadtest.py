"""Load test of the production stack (issue 19 item 4): `make serve` on a throwaway PostgreSQL database with demo
data, driven by locust (in its own virtualenv, var/bench-venv) from this machine.

Phases, in one run, each for a bounded time with users that send their next request as soon as the last answered:
  1. the ceiling: a trivial page (the login form: template and middleware, no queries) at 50 users;
  2. the mix at 50 users, then 3. at 200 users: county officers (禄丰) open their project list and projects, create
     projects and record funds through the API; prefecture officers (楚雄, 昆明) read project lists, details and the
     rankings; the province opens the cockpit.
Prints requests/s, p50/p95/p99 and errors per kind of request and per phase, and exits non-zero when a target is
missed: 0 errors; p95 < 500 ms for lists and details at 50 users; throughput ≥ 30 % of the trivial page's.

Users are signed in by sessions written into the stack's session store (production mode demands a second factor at
login, and a login costs a deliberate PBKDF2; neither is what this measures).

    make loadtest          # or: .venv/bin/python bench/loadtest.py [--users 50,200] [--seconds 45] [--projects 3000]
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _support import RESULT, ROOT, throwaway_database

PY = sys.executable
TARGET_P95_MS = 500
TARGET_RATIO = 0.30
ROLES = {
    "county": ["lufeng_officer"],
    "prefecture": ["chuxiong_officer", "kunming_officer"],
    "province": ["province_admin"],
}


def manage(env: dict, *command: str) -> None:
    subprocess.run([PY, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, check=True)


def production_env(var_dir: Path, database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(line.split("=", 1) for line in (var_dir / "serve.env").read_text().splitlines() if "=" in line)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TASKS_BACKEND="database",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ADMIN_ALLOWED_NETWORKS="127.0.0.1/32,::1/128",
        SERVE_PLAIN_HTTP="1",
    )
    return env


def setup_child(out: Path, sessions_per_account: int) -> None:
    """(runs with the stack's production settings) Sessions for the personas, and the ids they will read and write."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from zhaoshang.accounts.models import User
    from zhaoshang.projects.models import Project

    store = import_module(settings.SESSION_ENGINE).SessionStore
    config = {"roles": {}, "projects": {}, "signed": {}}
    for role, usernames in ROLES.items():
        for username in usernames:
            user = User.objects.get(username=username)
            keys = []
            for _ in range(sessions_per_account):
                session = store()
                session[SESSION_KEY] = str(user.pk)
                session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
                session[HASH_SESSION_KEY] = user.get_session_auth_hash()
                session.set_expiry(3 * 3600)
                session.create()
                keys.append(session.session_key)
            config["roles"].setdefault(role, []).append({"username": username, "sessions": keys})
            visible = Project.objects.for_user(user, action="view").order_by("-id")
            config["projects"][username] = list(visible.values_list("id", flat=True)[:300])
            signed = visible.filter(first_signed_on__isnull=False, merged_into__isnull=True)
            config["signed"][username] = list(signed.values_list("id", flat=True)[:100])
    config["session_cookie"] = settings.SESSION_COOKIE_NAME
    config["csrf_cookie"] = settings.CSRF_COOKIE_NAME
    out.write_text(json.dumps(config))


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("make serve exited before it was ready")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit("the stack did not become ready")


def table(result: dict) -> list[str]:
    lines = [f"{'phase':<16}{'request':<22}{'count':>8}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}"]
    for phase in result["phases"]:
        for row in [*phase["requests"], phase["total"]]:
            lines.append(
                f"{phase['name']:<16}{row['name']:<22}{row['count']:>8}{row['rps']:>9.1f}"
                f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}{row['errors']:>8}"
            )
    return lines


def verdicts(result: dict) -> list[tuple[str, bool]]:
    phases = {phase["name"]: phase for phase in result["phases"]}
    ceiling = phases["trivial@50"]["total"]["rps"]
    checks = []
    for name, phase in phases.items():
        checks.append((f"{name}: 0 errors (found {phase['total']['errors']})", phase["total"]["errors"] == 0))
    mix50 = phases.get("mix@50")
    if mix50:
        for row in mix50["requests"]:
            if row["kind"] in {"list", "detail"}:
                ok = row["p95"] < TARGET_P95_MS
                checks.append((f"mix@50 {row['name']}: p95 {row['p95']:.0f} ms < {TARGET_P95_MS} ms", ok))
        ratio = mix50["total"]["rps"] / ceiling if ceiling else 0
        checks.append(
            (
                f"mix@50 throughput {mix50['total']['rps']:.1f} req/s = {ratio:.0%} of the trivial page's "
                f"{ceiling:.1f} req/s (target ≥ {TARGET_RATIO:.0%})",
                ratio >= TARGET_RATIO,
            )
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--seconds", type=float, default=45.0, help="length of each mixed phase")
    parser.add_argument("--ceiling-seconds", type=float, default=30.0)
    parser.add_argument("--projects", type=int, default=3000)
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--web-workers", default=str(os.cpu_count() or 2))
    parser.add_argument("--locust-python", default=str(ROOT / "var" / "bench-venv" / "bin" / "python"))
    parser.add_argument("--setup-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sessions", type=int, default=200, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_child:
        setup_child(args.setup_child, args.sessions)
        return
    if not Path(args.locust_python).exists():
        raise SystemExit(f"locust's virtualenv is missing ({args.locust_python}): run `make loadtest`")

    users = [int(n) for n in args.users.split(",")]
    with (
        tempfile.TemporaryDirectory(prefix="zs_load_") as tmp,
        throwaway_database(args.database_url, "bench_load") as db_url,
    ):
        var_dir = Path(tmp)
        started = time.monotonic()
        dev = {**os.environ, "DJANGO_ENV": "development", "DATABASE_URL": db_url, "VAR_DIR": str(var_dir)}
        print(f"== 准备数据库 {db_url}：参考数据、演示账号、{args.projects} 个演示项目", flush=True)
        for command in (
            ["migrate", "-v", "0"],
            ["load_reference_data", "-v", "0"],
            ["create_demo_accounts", "-v", "0"],
        ):
            manage(dev, *command)
        manage(dev, "seed_demo", "--projects", str(args.projects), "--seed", "2026")
        manage(dev, "seed_demo_targets")
        serve_env = {**os.environ, "VAR_DIR": str(var_dir), "DATABASE_URL": db_url, "REDIS_URL": args.redis_url}
        serve_env.update(PORT=str(args.port), WEB_WORKERS=args.web_workers, WEB_ACCESS_LOG="", TASK_WORKERS="1")
        print("== make serve（生产模式：gunicorn + 后台任务进程）", flush=True)
        server = subprocess.Popen(
            [PY, str(ROOT / "scripts" / "serve.py")], env=serve_env, cwd=ROOT, start_new_session=True
        )
        try:
            url = f"http://127.0.0.1:{args.port}"
            wait_ready(url, server)
            config_path = var_dir / "load.json"
            env = production_env(var_dir, db_url, args.redis_url)
            subprocess.run(
                [PY, __file__, "--setup-child", str(config_path), "--sessions", str(max(users))],
                env=env,
                cwd=ROOT,
                check=True,
            )
            print(f"== 准备用时 {time.monotonic() - started:.0f} 秒；开始压测", flush=True)
            plan = {"host": url, "users": users, "seconds": args.seconds, "ceiling_seconds": args.ceiling_seconds}
            done = subprocess.run(
                [args.locust_python, str(ROOT / "bench" / "locustfile.py"), str(config_path), json.dumps(plan)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            result = next(
                (json.loads(line[len(RESULT) :]) for line in done.stdout.splitlines() if line.startswith(RESULT)), None
            )
            if result is None:
                print(done.stdout)
                raise SystemExit("the locust run printed no result")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    print("\n".join(table(result)))
    print(f"(times in ms; {args.web_workers} gunicorn workers × 4 threads; locust on the same {os.cpu_count()} cores)")
    checks = verdicts(result)
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    sys.exit(0 if all(ok for _, ok in checks) else 1)


if __name__ == "__main__":
    main()
