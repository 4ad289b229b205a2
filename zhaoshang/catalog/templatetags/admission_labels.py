"""``{{ code|admission_rule }}`` and ``{{ codes|admission_rules }}``: admission rules by name (``catalog.labels``)."""

from django import template

from zhaoshang.catalog.labels import admission_rule_label, admission_rule_labels

register = template.Library()


@register.filter
def admission_rule(code) -> str:
    return admission_rule_label(code)


@register.filter
def admission_rules(codes) -> str:
    return admission_rule_labels(codes)
