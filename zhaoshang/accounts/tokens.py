"""Sign-out and the API token: the writes of a session's end and of a token's issue (``accounts.views``)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from zhaoshang.accounts.models import User
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action


def account_logout(*, user: User, idle: bool) -> None:
    """A sign-out ends the API tokens of the account with the web session (a stolen token dies with it)."""
    audit_record(actor=user, action=Action.LOGOUT, obj=user, after={"idle": idle})
    Token.objects.filter(user_id=user.pk).delete()


def account_token_issue(*, user: User):
    """The account's API token; one older than API_TOKEN_LIFETIME is replaced by a new one."""
    with transaction.atomic():
        token, _ = Token.objects.get_or_create(user=user)
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            token.delete()
            token = Token.objects.create(user=user)
    return token
