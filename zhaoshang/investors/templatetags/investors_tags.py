from django import template
from django.utils import timezone

from zhaoshang.investors.models import Enterprise

register = template.Library()


@register.simple_tag
def overdue_follow_ups(user, limit: int = 10):
    """The user's own overdue 专人盯 follow-ups (enterprises are reference data; the owner is the user)."""
    rows = Enterprise.objects.for_user(user).overdue_for(user, timezone.localdate())
    return list(rows[:limit])
