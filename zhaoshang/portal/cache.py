"""Caching of the public pages: whole responses in the configured cache (local memory by default, Redis when
REDIS_URL is set), keyed by a generation number that every publication and withdrawal advances — a withdrawn item
leaves the site at once, and no page needs to know which cached pages showed it.

Pages carry two per-visitor values that must never be cached: the CSRF token and the signed time the form was shown
(the time-to-submit check). They are rendered as markers and filled in on every response, cached or not.
"""

import hashlib
from functools import wraps

from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from zhaoshang.core.views import unscoped

GENERATION_KEY = "portal:generation"
TIMEOUT = 60 * 60
CSRF_MARKER = "__PORTAL_CSRF__"
STAMP_MARKER = "__PORTAL_STAMP__"
STAMP_SALT = "portal.enquiry.shown"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def invalidate() -> None:
    """Every cached public page is stale from now on (called after a publication, return or withdrawal commits)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def invalidate_on_commit() -> None:
    transaction.on_commit(invalidate)


def form_stamp() -> str:
    return signing.TimestampSigner(salt=STAMP_SALT).sign("shown")


def _personalise(request, content: bytes) -> bytes:
    if CSRF_MARKER.encode() in content:
        content = content.replace(CSRF_MARKER.encode(), get_token(request).encode())
    if STAMP_MARKER.encode() in content:
        content = content.replace(STAMP_MARKER.encode(), form_stamp().encode())
    return content


def _key(request) -> str:
    raw = f"{get_language()}|{request.get_full_path()}"
    return f"portal:page:{generation()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def public_page(reason: str):
    """Mark a view public (``core.views.unscoped``: the URL walk accepts it) and cache its successful GET answers.
    The reason says why it shows no jurisdiction data beyond what bureaus published."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                response = view(request, *args, **kwargs)
                return _finish(request, response)
            key = _key(request)
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                response = HttpResponse(_personalise(request, content), content_type=content_type)
                response["X-Portal-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
            response = _finish(request, response)
            response["X-Portal-Cache"] = "miss"
            return response

        return unscoped(reason)(wrapped)

    return decorate


def _finish(request, response):
    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response = response.render()
    if not getattr(response, "streaming", False) and response.get("Content-Type", "").startswith("text/html"):
        response.content = _personalise(request, response.content)
    return response
