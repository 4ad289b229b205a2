"""gunicorn settings for the platform (docs/decisions.md: "gunicorn, threaded workers").

Each worker process serves WEB_THREADS requests at once and holds a PostgreSQL pool of DB_POOL_MAX_SIZE connections,
so one app server opens at most WEB_WORKERS × DB_POOL_MAX_SIZE connections; keep DB_POOL_MAX_SIZE ≥ WEB_THREADS so a
thread never waits for a connection. Everything can be set from the environment (deploy/zhaoshang.env).
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# A worker is replaced after this many requests (with jitter so that they do not all restart together): memory that
# a long report or export took is given back.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))  # long work runs as a task; a request past a minute is a fault
graceful_timeout = 30
keepalive = 5
# The proxy in front (deploy/nginx.conf) sets X-Forwarded-For/-Proto; only trust them from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
proc_name = "zhaoshang-web"
wsgi_app = "config.wsgi:application"
# gunicorn's control socket defaults to one path per user, which two servers on one machine would share: off unless
# WEB_CONTROL_SOCKET names one (signals — HUP to reload, TERM to stop — work either way).
control_socket = os.environ.get("WEB_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
