import base64
import os
import secrets
import subprocess
import sys

from django.conf import settings

KEY = secrets.token_urlsafe(50)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
    "DATABASE_URL": "",
    "AUDIT_HMAC_KEY": secrets.token_urlsafe(32),
    "CRYPTO_KEYS": f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",  # SM4 / HMAC-SM3 data keys
    "CRYPTO_ACTIVE_KEY_ID": "k1",
    "ADMIN_ALLOWED_NETWORKS": "10.0.0.0/8",
}


def manage(*args, env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_HMAC_KEY"}
    } | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION | {"SECRET_KEY": KEY})
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=PRODUCTION)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_never_creates_demo_accounts():
    result = manage("create_demo_accounts", env=PRODUCTION | {"SECRET_KEY": KEY})
    assert result.returncode != 0 and "生产模式" in result.stderr


def test_development_key_is_generated_outside_git():
    key_file = settings.VAR_DIR / "secret_key"
    assert key_file.exists() and ".gitignore" in os.listdir(settings.BASE_DIR)
    assert "var/" in (settings.BASE_DIR / ".gitignore").read_text()


def test_production_refuses_to_start_without_an_audit_key_or_hosts():
    without_key = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_HMAC_KEY"} | {"SECRET_KEY": KEY}
    assert "AUDIT_HMAC_KEY must be set" in manage("check", env=without_key).stderr
    assert (
        "ALLOWED_HOSTS must be set" in manage("check", env=PRODUCTION | {"SECRET_KEY": KEY, "ALLOWED_HOSTS": ""}).stderr
    )
