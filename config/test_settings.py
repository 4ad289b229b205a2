"""Settings for the test suite: the normal settings in test mode (pytest-django loads this module)."""

import os

os.environ["DJANGO_ENV"] = "test"

from config.settings import *  # noqa: F403  (settings modules are the one place a star import is idiomatic)

# The production hashers with PBKDF2-SM3 at two iterations: fast, and no weak hash (core/tests/test_crypto.py).
PASSWORD_HASHERS = ["zhaoshang.core.hashers.FastPBKDF2SM3PasswordHasher", *PASSWORD_HASHERS[1:]]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # An in-memory test database is one connection that the live server's request threads would share, and the
    # browser's parallel requests then race on it. A file gives each thread its own connection, as in production.
    DATABASES["default"]["TEST"] = {"NAME": VAR_DIR / "test_db.sqlite3"}  # noqa: F405
