"""Template filters for figures, registered once as built-ins (settings ``TEMPLATES`` → ``builtins``), so every
template formats money the same way without loading anything. They only call ``core/formatting.py``."""

from django import template

from zhaoshang.core import formatting

register = template.Library()


@register.filter
def wan(value) -> str:
    """``{{ amount|wan }}`` → ``356,274.08万元``."""
    return formatting.wan(value)


@register.filter
def yi(value) -> str:
    """``{{ amount_wan|yi }}`` → ``35.63亿元`` (the value is in 万元)."""
    return formatting.yi(value)


@register.filter
def wan_and_yi(value) -> str:
    """``{{ amount|wan_and_yi }}`` → ``150,000.00万元（15.00亿元）``."""
    return formatting.wan_and_yi(value)


@register.filter
def usd_wan(value) -> str:
    return formatting.usd_wan(value)


@register.filter
def figure(value, places=2) -> str:
    """``{{ amount|figure }}`` → ``356,274.08``: for a table cell whose column header names the unit."""
    return formatting.figure(value, int(places))


@register.filter
def measure(value, unit: str) -> str:
    """``{{ value|measure:unit }}``: money, counts and percentages with their unit (``unit`` is 万元, 亿元, 个 …)."""
    return formatting.measure(value, unit)


@register.filter
def percent(value) -> str:
    return formatting.percent(value)


@register.filter
def period_label(period) -> str:
    """``{{ period|period_label }}`` → ``2026年1—6月`` for anything with ``year`` and ``month``."""
    return formatting.period_label(period.year, period.month)
