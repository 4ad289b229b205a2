"""Password hashing with PBKDF2-SM3 (密评: national hash algorithm for stored passwords).

First in ``PASSWORD_HASHERS``: Django verifies an older PBKDF2-SHA256 hash at login with the hasher listed after it
and, because the preferred hasher differs, re-hashes the password with this one (``check_password``'s setter).
"""

import base64

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_str

from zhaoshang.core.crypto import pbkdf2_sm3


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    """``pbkdf2_sm3$<iterations>$<salt>$<base64 of 32 bytes>``. One million iterations take about 0.4 s, the work
    Django's PBKDF2-SHA256 default costs on the same machine."""

    algorithm = "pbkdf2_sm3"
    iterations = 1_000_000
    digest = None  # not hashlib: SM3 comes from the crypto module

    def encode(self, password, salt, iterations=None):
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        salt = force_str(salt)
        digest = pbkdf2_sm3(password, salt, iterations, dklen=32)
        return f"{self.algorithm}${iterations}${salt}${base64.b64encode(digest).decode('ascii').strip()}"


class FastPBKDF2SM3PasswordHasher(PBKDF2SM3PasswordHasher):
    """The same hash with two iterations, for the test suite only (refused in production)."""

    iterations = 2

    def __init__(self):
        if getattr(settings, "PRODUCTION", True):
            raise ImproperlyConfigured("FastPBKDF2SM3PasswordHasher is for tests only")
        super().__init__()
