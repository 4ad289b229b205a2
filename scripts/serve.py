"""`make serve`: the production stack on this machine — gunicorn and the task workers in production mode, on the
PostgreSQL and Redis already running here. Checks the services (and says what is missing), creates the database if
needed, migrates, loads the reference data, collects the static files, then runs until Ctrl-C (or SIGTERM).

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/zhaoshang), REDIS_URL (default
redis://127.0.0.1:6379/0), HOST/PORT (127.0.0.1:8000), VAR_DIR (var), WEB_WORKERS, WEB_THREADS, TASK_WORKERS (2).
The production secrets are generated once into $VAR_DIR/serve.env (mode 600) and reused.
`--prepare-only` stops after the preparation; `--manage CMD…` runs a manage.py command with the stack's settings
(e.g. `scripts/serve.py --manage createsuperuser`, `--manage backup_drill`).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PY = sys.executable


def fail(message: str) -> None:
    print(f"\nmake serve: {message}", file=sys.stderr)
    sys.exit(1)


def say(message: str) -> None:
    print(f"== {message}", flush=True)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def check_postgresql(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        fail(f"DATABASE_URL 必须指向 PostgreSQL（当前 {parts.scheme}://…）；SQLite 上请用 `make run`。")
    host, port, name = parts.hostname or "127.0.0.1", parts.port or 5432, unquote(parts.path.lstrip("/"))
    if not reachable(host, port):
        fail(
            f"PostgreSQL 没有在 {host}:{port} 应答。请启动它（Debian: apt-get install postgresql && service postgresql "
            "start），或用 DATABASE_URL=postgres://用户@主机:端口/库名 指向已有的服务器。"
        )
    import psycopg

    admin_url = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                say(f"创建数据库 {name}")
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        fail(f"无法登录 PostgreSQL（{host}:{port}）：{str(error).strip()}\n请检查 DATABASE_URL 中的用户和密码。")
    except psycopg.errors.InsufficientPrivilege:
        fail(f"数据库 {name} 不存在，且该用户无权创建：请由数据库管理员执行 CREATE DATABASE {name}。")


def check_redis(url: str) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    if not reachable(host, port):
        fail(
            f"Redis 没有在 {host}:{port} 应答。请启动它（Debian: apt-get install redis-server && service redis-server "
            "start），或用 REDIS_URL=redis://主机:端口/库号 指向已有的服务。"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except redis.RedisError as error:
        fail(f"Redis（{host}:{port}）拒绝了连接：{error}")


def secrets_file(var_dir: Path) -> dict[str, str]:
    path = var_dir / "serve.env"
    if not path.exists():
        from zhaoshang.core.ops import production_keys

        path.write_text("".join(f"{key}={value}\n" for key, value in production_keys().items()))
        path.chmod(0o600)
        say(f"生成生产密钥 {path}（只生成一次；请妥善保管，审计链和加密字段依赖它们）")
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def environment(args) -> dict[str, str]:
    var_dir = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **secrets_file(var_dir)}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(var_dir),
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        TASKS_BACKEND="database",
        WEB_BIND=f"{args.host}:{args.port}",
    )
    loopback = args.host in {"127.0.0.1", "localhost", "::1"}
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost" if loopback else args.host)
    env.setdefault("ADMIN_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
    if loopback:
        env.setdefault("SERVE_PLAIN_HTTP", "1")  # no TLS on this machine; a deployment puts the proxy in front
    return env


def manage(env, *command: str) -> None:
    done = subprocess.run([PY, str(BASE_DIR / "manage.py"), *command], env=env, cwd=BASE_DIR)
    if done.returncode:
        fail(f"`manage.py {' '.join(command)}` 失败（退出码 {done.returncode}）")


def wait_ready(url: str, processes: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=3) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if any(p.poll() is not None for p in processes):
            fail("应用服务器或后台任务进程启动后退出了（见上方日志）")
        time.sleep(0.5)
    fail(f"{url}/readyz 在 {timeout:.0f} 秒内没有就绪")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/zhaoshang"
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS", "2")))
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--manage", nargs=argparse.REMAINDER, help="run a manage.py command with the stack's settings")
    args = parser.parse_args()
    if args.manage:
        manage(environment(args), *args.manage)
        return

    say("检查 PostgreSQL 和 Redis")
    check_postgresql(args.database_url)
    check_redis(args.redis_url)
    env = environment(args)
    say("迁移数据库、加载参考数据、收集静态文件")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_reference_data", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if args.prepare_only:
        say("准备完成（--prepare-only）")
        return

    if reachable(args.host, args.port):
        fail(f"{args.host}:{args.port} 已被占用：请先停止那里的服务，或用 PORT=… 换一个端口")
    say(f"启动应用服务器（gunicorn）和 {args.task_workers} 个后台任务进程")
    workers = subprocess.Popen(
        [PY, str(BASE_DIR / "manage.py"), "run_workers", "--processes", str(args.task_workers)], env=env, cwd=BASE_DIR
    )
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.py")], env=env, cwd=BASE_DIR
    )
    processes = [web, workers]

    def stop(signum=None, frame=None):
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        url = f"http://{args.host}:{args.port}"
        wait_ready(url, processes)
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            health = response.read().decode()
        print(
            f"\n云南智慧招商平台（生产模式）: {url}/\n"
            f"  健康检查 {url}/healthz  → {health}\n  就绪检查 {url}/readyz\n"
            f"  数据库 {args.database_url}  缓存 {args.redis_url}  任务队列: 数据库（run_workers）\n"
            "  生产模式不创建演示账号；创建管理员：.venv/bin/python scripts/serve.py --manage createsuperuser\n"
            "  Ctrl-C 停止。\n",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        fail("应用服务器或后台任务进程退出了（见上方日志）；已停止另一个")
    except KeyboardInterrupt:
        pass
    finally:
        stop()


if __name__ == "__main__":
    main()
