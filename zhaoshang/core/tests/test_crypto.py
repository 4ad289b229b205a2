"""密评 (GB/T 39786-2021): the national algorithms through one module, keys by id, no weak hash elsewhere."""

import base64
import hashlib
import hmac
import os
import re
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, get_hasher, make_password
from django.core.exceptions import ImproperlyConfigured

from zhaoshang.accounts.models import User
from zhaoshang.core import crypto
from zhaoshang.core.hashers import PBKDF2SM3PasswordHasher
from zhaoshang.core.testing import PASSWORD

RING = {"k2025": crypto.generate_key(), "k2026": crypto.generate_key()}


def test_sm3_matches_the_standard_examples():
    # GB/T 32905-2016 Appendix A
    assert crypto.sm3_hexdigest("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_hexdigest("abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_is_the_standard_cipher():
    # GB/T 32907-2016 Appendix A, example 1: one block encrypted with the key equal to the plaintext
    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(block), modes.ECB()).encryptor()
    assert (encryptor.update(block) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


@pytest.mark.skipif("sm3" not in hashlib.algorithms_available, reason="the system OpenSSL has no SM3")
def test_hmac_sm3_is_rfc_2104_over_sm3():
    assert crypto.hmac_sm3(b"key", b"message") == hmac.new(b"key", b"message", "sm3").digest()
    assert crypto.pbkdf2_sm3("pw", "salt", 1000) == hashlib.pbkdf2_hmac("sm3", b"pw", b"salt", 1000)


def test_sm4_round_trip_with_a_fresh_nonce_and_the_key_id_in_the_token(settings):
    settings.CRYPTO_KEYS, settings.CRYPTO_ACTIVE_KEY_ID = RING, "k2026"
    first, second = crypto.sm4_encrypt("13812345678"), crypto.sm4_encrypt("13812345678")
    assert first != second and first.startswith("sm4gcm:k2026:") and "13812345678" not in first
    assert crypto.sm4_decrypt(first) == crypto.sm4_decrypt(second) == "13812345678"
    assert crypto.sm4_decrypt(crypto.sm4_encrypt("张三", key_id="k2025")) == "张三"
    assert crypto.token_key_id(crypto.sm4_encrypt("x", key_id="k2025")) == "k2025"


def test_an_altered_or_relabelled_token_or_a_retired_key_is_refused(settings):
    settings.CRYPTO_KEYS, settings.CRYPTO_ACTIVE_KEY_ID = RING, "k2026"
    token = crypto.sm4_encrypt("13812345678")
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    for bad in (flipped, token.replace(":k2026:", ":k2025:"), "13812345678", token[:30]):
        with pytest.raises(crypto.CryptoError):
            crypto.sm4_decrypt(bad)
    settings.CRYPTO_KEYS = {"k2025": RING["k2025"]}
    with pytest.raises(crypto.CryptoError):
        crypto.sm4_decrypt(token)


def test_purposes_get_unrelated_subkeys_and_blind_indexes_cover_every_key(settings):
    settings.CRYPTO_KEYS, settings.CRYPTO_ACTIVE_KEY_ID = RING, "k2026"
    assert crypto.sm3_hmac(None, "x") == crypto.sm3_hmac("k2026", "x") != crypto.sm3_hmac("k2025", "x")
    assert crypto.sm3_hmac(None, "x", purpose="a") != crypto.sm3_hmac(None, "x", purpose="b")
    index = crypto.blind_index("13812345678", purpose="phone")
    assert len(index) == 64 and index in crypto.blind_indexes("13812345678", purpose="phone")
    assert len(crypto.blind_indexes("13812345678", purpose="phone")) == 2 and crypto.blind_index("", purpose="p") == ""


@pytest.mark.parametrize("value", ["c2hvcnQ=", "not base64!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="])
def test_short_malformed_or_constant_keys_are_refused(value):
    with pytest.raises(ImproperlyConfigured):
        crypto.check_keyring({"k1": value}, "k1")
    with pytest.raises(ImproperlyConfigured):
        crypto.check_keyring({"k1": crypto.generate_key()}, "k2")


def _manage_check(env: dict) -> subprocess.CompletedProcess:
    from zhaoshang.core.tests.test_settings import KEY, PRODUCTION

    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CRYPTO_KEYS", "CRYPTO_ACTIVE_KEY_ID", "AUDIT_HMAC_KEY"}
    }
    production = {k: v for k, v in PRODUCTION.items() if not k.startswith("CRYPTO_")} | {"SECRET_KEY": KEY}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=base | production | env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_data_keys_or_with_a_weak_one():
    assert "CRYPTO_KEYS must be set" in _manage_check({}).stderr
    key = crypto.generate_key()
    assert "CRYPTO_ACTIVE_KEY_ID must be set" in _manage_check({"CRYPTO_KEYS": f"k1:{key}"}).stderr
    weak = _manage_check({"CRYPTO_KEYS": "k1:c2hvcnQ=", "CRYPTO_ACTIVE_KEY_ID": "k1"})
    assert "has 5 bytes" in weak.stderr and "c2hvcnQ" not in weak.stderr  # the error never prints the key
    assert _manage_check({"CRYPTO_KEYS": f"k1:{key}", "CRYPTO_ACTIVE_KEY_ID": "k1"}).returncode == 0


def test_development_keys_are_generated_outside_git():
    assert (settings.VAR_DIR / "crypto_keys").exists() and settings.CRYPTO_ACTIVE_KEY_ID in settings.CRYPTO_KEYS


# ---- passwords: PBKDF2-SM3 ---------------------------------------------------------------------------------------


def test_production_hashes_passwords_with_pbkdf2_sm3():
    import config.settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "zhaoshang.core.hashers.PBKDF2SM3PasswordHasher"
    assert not any(WEAK.search(hasher) for hasher in production_settings.PASSWORD_HASHERS)
    assert PBKDF2SM3PasswordHasher.iterations >= 600_000
    assert get_hasher("default").algorithm == "pbkdf2_sm3"
    encoded = PBKDF2SM3PasswordHasher().encode("Yunnan#2026", "saltsaltsalt", iterations=1000)
    assert encoded.startswith("pbkdf2_sm3$1000$saltsaltsalt$")
    assert encoded.split("$")[3] == base64.b64encode(crypto.pbkdf2_sm3("Yunnan#2026", "saltsaltsalt", 1000)).decode()
    assert check_password("Yunnan#2026", encoded) and not check_password("Yunnan#2027", encoded)


@pytest.mark.django_db
def test_a_pbkdf2_sha256_password_is_upgraded_to_pbkdf2_sm3_at_login(client):
    user = User.objects.get(username="lufeng_officer")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "legacysalt0123456789", iterations=1000)
    user.save(update_fields=["password"])
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sm3$") and check_password(PASSWORD, user.password)
    assert make_password("x").startswith("pbkdf2_sm3$")


# ---- no MD5 / SHA-1 outside the crypto module --------------------------------------------------------------------

WEAK = re.compile("md" + "5|sha-?" + r"1(?![0-9])|sha_1(?![0-9])", re.IGNORECASE)
SKIPPED_DIRS = {".venv", "var", "migrations", "node_modules", ".git", "__pycache__", "test-artifacts"}
EXEMPT = {"zhaoshang/core/crypto.py", "zhaoshang/core/tests/test_crypto.py"}  # the module, and this test naming it


def test_no_md5_or_sha1_in_the_project_outside_the_crypto_module():
    offenders = []
    for path in sorted(settings.BASE_DIR.rglob("*.py")):
        relative = path.relative_to(settings.BASE_DIR)
        if SKIPPED_DIRS & set(relative.parts) or str(relative) in EXEMPT:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WEAK.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
