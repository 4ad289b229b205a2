"""The second factor: TOTP (RFC 6238: 6 digits, 30-second steps, the authenticator apps' default) through pyotp,
its QR code drawn on the server (segno, inline SVG: no image service, no script), and single-use recovery codes.

The TOTP secret is stored SM4-encrypted (``core.crypto``); recovery codes as keyed SM3 digests with their key id.
"""

import secrets
import time
from urllib.parse import quote

import pyotp
import segno
from django.conf import settings

from zhaoshang.core import crypto

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a sheet of paper
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after is accepted (clocks drift)


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def encrypt_secret(secret: str) -> str:
    return crypto.sm4_encrypt(secret)


def decrypt_secret(stored: str) -> str:
    return crypto.sm4_decrypt(stored)


def provisioning_uri(*, secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=settings.MFA_ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code ``code`` is (within the allowed drift), or None."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if crypto.constant_time_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def code_at(secret: str, now: float | None = None) -> str:
    """The current code of a secret (tests and the README's demo)."""
    return pyotp.TOTP(secret).at(time.time() if now is None else now)


def new_recovery_codes() -> list[str]:
    return [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def normalise_recovery_code(code: str) -> str:
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{plain[:5]}-{plain[5:]}" if len(plain) == 10 else plain


def recovery_digest(code: str, key_id: str | None = None) -> tuple[str, str]:
    key_id = key_id or crypto.active_key_id()
    return key_id, crypto.sm3_hmac(key_id, normalise_recovery_code(code), purpose="mfa-recovery").hex()


def otpauth_label(username: str) -> str:
    return quote(f"{settings.MFA_ISSUER}:{username}")
