"""Settings for the test suite: the normal settings in test mode (pytest-django loads this module)."""

import os

os.environ["DJANGO_ENV"] = "test"

from config.settings import *  # noqa: F403  (settings modules are the one place a star import is idiomatic)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
