"""In-app notifications, also sent by e-mail through Django's mail backend (console in development)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.aftercare.models import Notification

logger = logging.getLogger(__name__)
BUREAU_KINDS = (OrgKind.PROVINCIAL_BUREAU, OrgKind.PREFECTURE_BUREAU, OrgKind.COUNTY_BUREAU)


def bureau_at(path: str) -> OrgUnit | None:
    """The investment promotion bureau of the node ``path`` (the county's, the prefecture's, the province's)."""
    return OrgUnit.objects.filter(path=path, kind__in=BUREAU_KINDS).order_by("id").first()


def staff_of(org_unit) -> list[User]:
    if org_unit is None:
        return []
    return list(User.objects.filter(org_unit=org_unit, is_active=True))


def company_users(company_id: int) -> list[User]:
    return list(User.objects.filter(company_id=company_id, is_active=True, org_unit__isnull=True))


def notify(users, text: str, *, ticket=None, promise=None) -> int:
    """One message per user (in-app now, e-mail after the transaction commits, to those with an address)."""
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, text=text[:300], ticket=ticket, promise=promise))
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows)
    addresses = [user.email for user in users if getattr(user, "email", "")]
    ids = [row.pk for row in created if row.pk]

    def send():
        try:
            if addresses:
                send_mail(f"【云南智慧招商平台】{text[:60]}", text, settings.DEFAULT_FROM_EMAIL, addresses)
            if ids:
                Notification.objects.filter(pk__in=ids, recipient__email__in=addresses).update(emailed=True)
        except Exception:  # mail down: the in-app message stands; never undo the step that caused it
            logger.exception("notification mail failed")

    transaction.on_commit(send)
    return len(rows)


def notifications_mark_read(*, user) -> int:
    """The user's unread messages, marked read when the user opens the list (the list is one's own: not audited,
    like reading mail)."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
