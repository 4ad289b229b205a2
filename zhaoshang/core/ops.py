"""Small helpers shared by the operations commands (workers, backup drill) and their tests."""

import os
from urllib.parse import quote

from django.db import DEFAULT_DB_ALIAS, connections


def database_url(settings_dict: dict | None = None, *, name: str | None = None) -> str:
    """A DATABASE_URL for the given connection settings (default: the current default database, which in a test run is
    the test database), optionally for another database name on the same server."""
    s = settings_dict or connections[DEFAULT_DB_ALIAS].settings_dict
    db_name = str(name or s["NAME"])
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{os.path.abspath(db_name)}"
    user = quote(s.get("USER") or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{credentials}{s.get('HOST') or '127.0.0.1'}{port}/{quote(db_name, safe='')}"


def subprocess_env(**overrides: str) -> dict[str, str]:
    """The environment for a ``manage.py`` child that must see the same database as this process."""
    env = os.environ.copy()
    env.setdefault("DJANGO_ENV", "development")
    env["DATABASE_URL"] = database_url()
    env.update(overrides)
    return env


def production_keys() -> dict[str, str]:
    """Fresh secrets for a production-mode process on this machine (`make serve` keeps them in var/serve.env; tests
    use them once)."""
    import base64
    import secrets

    from zhaoshang.core import crypto

    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_HMAC_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "CRYPTO_KEYS": f"serve1:{crypto.generate_key()}",
        "CRYPTO_ACTIVE_KEY_ID": "serve1",
    }


def production_env(var_dir, **overrides: str) -> dict[str, str]:
    """The environment of a production-mode child serving on 127.0.0.1 over plain HTTP (SERVE_PLAIN_HTTP)."""
    env = os.environ.copy()
    env.update(production_keys())
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SERVE_PLAIN_HTTP="1",
        ADMIN_ALLOWED_NETWORKS="127.0.0.1/32,::1/128",
    )
    env.update(overrides)
    return env
