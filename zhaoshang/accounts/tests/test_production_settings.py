"""Production refuses weak or missing account settings (issue 13 item 8 and the level-3 controls)."""

from zhaoshang.core import crypto
from zhaoshang.core.tests.test_settings import KEY, PRODUCTION, manage

DATA_KEYS = {"CRYPTO_KEYS": f"k1:{crypto.generate_key()}", "CRYPTO_ACTIVE_KEY_ID": "k1"}
BASE = PRODUCTION | DATA_KEYS | {"SECRET_KEY": KEY}


def show(setting: str, env: dict):
    return manage("shell", "-c", f"from django.conf import settings; print(settings.{setting})", env=env)


def test_production_refuses_a_short_audit_key():
    result = manage("check", env=BASE | {"AUDIT_HMAC_KEY": "x"})
    assert result.returncode != 0 and "AUDIT_HMAC_KEY is too short" in result.stderr
    assert "at least 32 bytes" in result.stderr
    assert manage("check", env=BASE | {"AUDIT_HMAC_KEY": "k" * 32}).returncode == 0


def test_production_requires_the_administrators_networks():
    without = {k: v for k, v in BASE.items() if k != "ADMIN_ALLOWED_NETWORKS"}
    result = manage("check", env=without)
    assert result.returncode != 0 and "ADMIN_ALLOWED_NETWORKS must be set" in result.stderr
    result = manage("check", env=BASE | {"ADMIN_ALLOWED_NETWORKS": "10.0.0.300/8"})
    assert result.returncode != 0 and "ADMIN_ALLOWED_NETWORKS" in result.stderr


def test_production_always_requires_the_second_factor():
    result = show("MFA_REQUIRED", BASE | {"MFA_REQUIRED": "0"})
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
