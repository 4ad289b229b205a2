from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import account_login_failed, account_login_refused_locked


class AccountLocked(PermissionDenied):
    pass


class LockoutModelBackend(ModelBackend):
    """Password login for pages and the API alike, so that every failed attempt counts toward the lock."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = User._default_manager.select_related("org_unit").filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing does not reveal usernames
            account_login_failed(user=None, username=username)
            return None
        if user.is_locked():
            account_login_refused_locked(user=user)
            raise AccountLocked(user.locked_until)
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        account_login_failed(user=user, username=username)
        return None
