"""Retention of account holders' personal information (``core.retention``, ``manage.py pii_purge``)."""

from datetime import datetime

from django.db.models import Q

from zhaoshang.core.pii import register_key_id_column, register_token_column
from zhaoshang.core.retention import register_purge_rule


def purge_disabled_users_phones(cutoff: datetime, dry_run: bool) -> int:
    """The mobile number of a disabled account unused since ``cutoff``. The account itself stays (audit rows and
    records name it); its name is the operator's identity in the trail."""
    from zhaoshang.accounts.models import User

    unused = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    stale = User.objects.filter(unused, is_active=False).exclude(phone="")
    if dry_run:
        return stale.count()
    return stale.update(phone="", phone_index="")


def register() -> None:
    register_purge_rule("disabled_user_phones", "停用账户的手机号", purge_disabled_users_phones)
    # Key rotation (``crypto_rotate``) also re-encrypts the TOTP secrets and keeps the key of recovery-code digests.
    register_token_column("accounts.User", "totp_secret")
    register_key_id_column("accounts.RecoveryCode", "key_id")
