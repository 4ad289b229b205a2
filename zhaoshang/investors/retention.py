"""Retention of contacts' personal information (``core.retention``, ``manage.py pii_purge``)."""

from datetime import datetime

from zhaoshang.core.retention import register_purge_rule


def purge_lapsed_contacts(cutoff: datetime, dry_run: bool) -> int:
    """Contacts nobody has touched since ``cutoff`` of enterprises nobody follows (no 专人盯) and with no activity
    since then: the purpose they were collected for (an investment contact) has lapsed. Contacts of a deleted
    enterprise go with it (``on_delete=CASCADE``)."""
    from zhaoshang.investors.models import Contact

    lapsed = Contact.objects.filter(updated_at__lt=cutoff, enterprise__owner__isnull=True).exclude(
        enterprise__activities__start_on__gte=cutoff.date()
    )
    ids = list(lapsed.values_list("pk", flat=True))
    if not dry_run and ids:
        Contact.objects.filter(pk__in=ids).delete()
    return len(ids)


def register() -> None:
    register_purge_rule("contacts", "长期未联系企业的联系人", purge_lapsed_contacts)
