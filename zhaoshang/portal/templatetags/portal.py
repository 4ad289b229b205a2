"""The public site's formatting: texts in the visitor's language (saying so when a bureau has not entered one),
names of regions, and amounts in 万元/亿元 or in millions of yuan."""

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhaoshang.core import formatting
from zhaoshang.portal.choices import SOURCE_LANGUAGE

register = template.Library()


@dataclass(frozen=True)
class Localized:
    text: str
    missing: bool  # the visitor's language has no text: the Chinese original is shown, marked lang="zh"


def localized(obj, field: str) -> Localized:
    original = obj.source_text(field) if hasattr(obj, "source_text") else getattr(obj, field, "")
    language = get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE or not original:
        return Localized(original or "", False)
    text = obj.translated(field, language)
    return Localized(text, False) if text else Localized(original, True)


@register.simple_tag
def tr(obj, field: str) -> Localized:
    return localized(obj, field)


@register.simple_tag(takes_context=True)
def region_name(context, region) -> str:
    names = context.get("region_names") or {}
    return names.get(region.pk) or region.name


@register.filter
def investment(amount_wan) -> str:
    amount = Decimal(amount_wan or 0)
    if (get_language() or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
        return f"{formatting.wan_to_yi(amount)} 亿元" if amount >= 10000 else f"{amount:,.0f} 万元"
    return _("人民币 %(amount)s 百万元") % {"amount": f"{amount / 100:,.1f}"}
