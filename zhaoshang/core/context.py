"""Who is acting, from where, in which request: read by the audit trail."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    url: str = ""  # the path asked for (a refusal names it)
    method: str = ""


EMPTY = RequestContext()
current = ContextVar("request_context", default=EMPTY)
