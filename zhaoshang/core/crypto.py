"""The platform's one cryptography module (密评, GB/T 39786-2021): SM3, HMAC-SM3, PBKDF2-SM3 and SM4-GCM from the
``cryptography`` library (its own OpenSSL), with keys named by id so that they can be rotated.

Keys: ``settings.CRYPTO_KEYS`` = {key id: base64 of 16–64 random bytes} and ``settings.CRYPTO_ACTIVE_KEY_ID``, the
key new ciphertexts and blind indexes are made with. Older keys stay in the ring until ``manage.py crypto_rotate``
has re-encrypted what they protect. A master key is never used directly: each use gets its own subkey through
HKDF-SM3 (``purpose``), so the SM4 key and the MAC key of one key id are unrelated.

Ciphertext tokens are text, ``sm4gcm:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``; the header is authenticated
(GCM's associated data), so a token cannot be moved to another key id. Nothing else in the project may call
hashlib or hmac with MD5/SHA-1 (``core/tests/test_crypto.py`` greps for it); password hashing is
``core.hashers.PBKDF2SM3PasswordHasher`` over ``pbkdf2_sm3`` below.
"""

import base64
import binascii
import hmac as std_hmac
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "sm4gcm"
NONCE_BYTES = 12  # GCM's 96-bit nonce, random per encryption
TAG_BYTES = 16
SM4_KEY_BYTES = 16
MIN_KEY_BYTES = 16
MAX_KEY_BYTES = 64
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
TOKEN_PATTERN = re.compile(rf"^{TOKEN_PREFIX}:([A-Za-z0-9_-]{{1,32}}):([A-Za-z0-9_-]+)$")


class CryptoError(Exception):
    """A token that cannot be decrypted: damaged, forged, or made with a key no longer in the ring."""


Data = bytes | str


def _bytes(data: Data) -> bytes:
    return data.encode() if isinstance(data, str) else bytes(data)


# ---- SM3 (GB/T 32905) --------------------------------------------------------------------------------------------


def sm3_digest(data: Data) -> bytes:
    """SM3 hash of ``data`` (32 bytes)."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(_bytes(data))
    return digest.finalize()


def sm3_hexdigest(data: Data) -> str:
    return sm3_digest(data).hex()


def hmac_sm3(key: Data, data: Data) -> bytes:
    """HMAC-SM3 of ``data`` under a raw ``key`` (for keys kept elsewhere, such as the audit key)."""
    mac = crypto_hmac.HMAC(_bytes(key), hashes.SM3())
    mac.update(_bytes(data))
    return mac.finalize()


def sm3_hmac(key_id: str | None, data: Data, *, purpose: str = "mac") -> bytes:
    """HMAC-SM3 of ``data`` under the ring's key ``key_id`` (None: the active key), through the subkey of
    ``purpose``. Verify with ``constant_time_equal``."""
    return hmac_sm3(_subkey(key_id or active_key_id(), f"hmac-sm3:{purpose}", 32), data)


def constant_time_equal(a: Data, b: Data) -> bool:
    return std_hmac.compare_digest(_bytes(a), _bytes(b))


def pbkdf2_sm3(password: Data, salt: Data, iterations: int, dklen: int = 32) -> bytes:
    """PBKDF2 (RFC 8018) with HMAC-SM3 as its pseudo-random function."""
    return PBKDF2HMAC(algorithm=hashes.SM3(), length=dklen, salt=_bytes(salt), iterations=iterations).derive(
        _bytes(password)
    )


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


# ---- keys --------------------------------------------------------------------------------------------------------


def generate_key() -> str:
    """A new master key, base64 of 32 random bytes, for ``CRYPTO_KEYS``."""
    return base64.b64encode(random_bytes(32)).decode()


def decode_key(key_id: str, value: str) -> bytes:
    """The bytes of one configured key; ImproperlyConfigured names the key id (never the key) when it is unusable."""
    if not KEY_ID_PATTERN.match(key_id or ""):
        raise ImproperlyConfigured(f"CRYPTO_KEYS: key id {key_id!r} must be 1–32 letters, digits, '-' or '_'")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ImproperlyConfigured(f"CRYPTO_KEYS: key {key_id!r} is not valid base64") from None
    if not MIN_KEY_BYTES <= len(raw) <= MAX_KEY_BYTES:
        raise ImproperlyConfigured(
            f"CRYPTO_KEYS: key {key_id!r} has {len(raw)} bytes; use {MIN_KEY_BYTES}–{MAX_KEY_BYTES} random bytes"
        )
    if len(set(raw)) < 8:
        raise ImproperlyConfigured(f"CRYPTO_KEYS: key {key_id!r} is not random (too few distinct bytes)")
    return raw


def parse_keyring(text: str) -> dict[str, str]:
    """``id1:base64,id2:base64`` (commas or new lines) → {id: base64}, in the order given."""
    ring = {}
    for item in re.split(r"[,\n]", text or ""):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        key_id, sep, value = item.partition(":")
        if not sep:
            raise ImproperlyConfigured("CRYPTO_KEYS must be written as id:base64key, separated by commas")
        ring[key_id.strip()] = value.strip()
    return ring


def keyring() -> dict[str, str]:
    return dict(getattr(settings, "CRYPTO_KEYS", {}) or {})


def key_ids() -> list[str]:
    return list(keyring())


def active_key_id() -> str:
    key_id = getattr(settings, "CRYPTO_ACTIVE_KEY_ID", "")
    if key_id not in keyring():
        raise ImproperlyConfigured(f"CRYPTO_ACTIVE_KEY_ID {key_id!r} is not a key of CRYPTO_KEYS")
    return key_id


def check_keyring(ring: dict[str, str], active: str) -> None:
    """Every key decodes and the active one is in the ring (settings call this at start-up)."""
    if not ring:
        raise ImproperlyConfigured("CRYPTO_KEYS is empty")
    for key_id, value in ring.items():
        decode_key(key_id, value)
    if active not in ring:
        raise ImproperlyConfigured(f"CRYPTO_ACTIVE_KEY_ID {active!r} is not a key of CRYPTO_KEYS")


def _master_key(key_id: str) -> bytes:
    ring = keyring()
    if key_id not in ring:
        raise CryptoError(f"密钥 {key_id} 不在密钥环中")
    return _decoded(key_id, ring[key_id])


@lru_cache(maxsize=64)
def _decoded(key_id: str, value: str) -> bytes:
    return decode_key(key_id, value)


def _subkey(key_id: str, purpose: str, length: int) -> bytes:
    return _derive(_master_key(key_id), purpose, length)


@lru_cache(maxsize=256)
def _derive(master: bytes, purpose: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=f"zhaoshang:{purpose}".encode()).derive(master)


# ---- SM4-GCM (GB/T 32907; mode GB/T 17964-2021) -----------------------------------------------------------------


def _header(key_id: str) -> bytes:
    return f"{TOKEN_PREFIX}:{key_id}:".encode()


def sm4_encrypt(plaintext: str, key_id: str | None = None) -> str:
    """Encrypt text with SM4-GCM under ``key_id`` (None: the active key); a fresh random nonce every time."""
    key_id = key_id or active_key_id()
    nonce = random_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_subkey(key_id, "sm4-gcm", SM4_KEY_BYTES)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_header(key_id))
    body = encryptor.update(_bytes(plaintext)) + encryptor.finalize()
    payload = base64.urlsafe_b64encode(nonce + body + encryptor.tag).rstrip(b"=").decode()
    return _header(key_id).decode() + payload


def is_token(value) -> bool:
    return isinstance(value, str) and TOKEN_PATTERN.match(value) is not None


def token_key_id(token: str) -> str:
    match = TOKEN_PATTERN.match(token or "")
    if not match:
        raise CryptoError("不是 SM4 密文")
    return match.group(1)


def sm4_decrypt(token: str) -> str:
    """The text of a token made by ``sm4_encrypt``; CryptoError when it was altered or its key is unknown."""
    match = TOKEN_PATTERN.match(token or "")
    if not match:
        raise CryptoError("不是 SM4 密文")
    key_id, payload = match.groups()
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise CryptoError("SM4 密文已损坏") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise CryptoError("SM4 密文已损坏")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_subkey(key_id, "sm4-gcm", SM4_KEY_BYTES)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_header(key_id))
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except InvalidTag:
        raise CryptoError("SM4 密文校验失败（被篡改或密钥不符）") from None


def needs_rotation(token: str) -> bool:
    """A token made with a key other than the active one."""
    return is_token(token) and token_key_id(token) != active_key_id()


# ---- blind indexes (search an encrypted column by equality) -----------------------------------------------------


def blind_index(value: str, *, purpose: str, key_id: str | None = None) -> str:
    """A keyed SM3 digest of a normalised value, stored beside its ciphertext so that equality search works
    without decrypting. Empty values have no index."""
    if not value:
        return ""
    return sm3_hmac(key_id, value, purpose=f"index:{purpose}").hex()


def blind_indexes(value: str, *, purpose: str) -> list[str]:
    """The value's index under every key of the ring: a search finds rows not yet re-indexed by a rotation."""
    if not value:
        return []
    return [blind_index(value, purpose=purpose, key_id=key_id) for key_id in key_ids()]
