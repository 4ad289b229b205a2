"""Between the password and the second factor: the session holds who passed the password, for a few minutes, and
is not signed in (``django.contrib.auth.login`` runs only after the code)."""

import time

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import resolve_url

from zhaoshang.accounts.models import User

KEY = "_mfa_pending"


def start(request, user: User, *, next_url: str) -> None:
    request.session.cycle_key()  # a new session id for the half-signed-in state
    request.session[KEY] = {"user": user.pk, "backend": user.backend, "at": int(time.time()), "next": next_url}


def user(request) -> User | None:
    data = request.session.get(KEY)
    if not data:
        return None
    if time.time() - data["at"] > settings.MFA_PENDING_SECONDS:
        clear(request)
        return None
    return User.objects.select_related("org_unit").filter(pk=data["user"], is_active=True).first()


def clear(request) -> None:
    request.session.pop(KEY, None)


def finish(request, user: User, *, factor: str) -> str:
    """Sign the session in after the second factor; where to go next."""
    from zhaoshang.accounts.services import account_login_succeeded

    data = request.session.pop(KEY)
    login(request, user, backend=data["backend"])
    account_login_succeeded(user=user, via="web", second_factor=factor)
    return data["next"] or resolve_url(settings.LOGIN_REDIRECT_URL)
