import ipaddress
import re
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
        token = current.set(RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response
