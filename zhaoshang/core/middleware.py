import ipaddress
import re
import time
import uuid

from django.conf import settings

from zhaoshang.core.context import RequestContext, current

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the outermost of them saw.

    Only the entries our own proxies appended are trusted; anything further left could be forged by the client.
    """
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        candidate = forwarded[-proxies]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Gives each request an id (kept from X-Request-ID when well formed) and records the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current.set(
            RequestContext(request_id=request_id, ip=client_ip(request), url=request.path[:300], method=request.method)
        )
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SlidingSessionMiddleware:
    """Keeps the idle timeout (``SESSION_COOKIE_AGE``) sliding without writing the session row on every request:
    a signed-in session is saved, with a new expiry, when its last renewal is ``SESSION_RENEW_SECONDS`` old. The
    idle limit is then met to within that many seconds. Sits below ``SessionMiddleware``, which does the save."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.get("_auth_user_id"):
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response


def address_allowed(address: str | None, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in networks)


class AdminNetworkMiddleware:
    """Administrators' pages (``ADMIN_PATH_PREFIXES``: the admin site, user and role management, the audit trail)
    answer only to clients in ``ADMIN_ALLOWED_NETWORKS``; elsewhere they are a 403, whoever asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.ADMIN_PATH_PREFIXES)) and not address_allowed(
            client_ip(request), settings.ADMIN_ALLOWED_NETWORKS
        ):
            from django.core.exceptions import PermissionDenied

            from zhaoshang.core.choices import Action
            from zhaoshang.core.refusals import refusal_record

            message = "管理功能只能从指定的管理终端网络访问"
            refusal_record(
                actor=getattr(request, "user", None), kind=Action.REFUSED_PERMISSION, detail={"message": message}
            )
            raise PermissionDenied(message)
        return self.get_response(request)
