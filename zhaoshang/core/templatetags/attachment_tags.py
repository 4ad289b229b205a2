"""``{% attachments_panel owner %}``: the attachments of an object on its page — list, download links, upload form
and removal links for whoever may change the owner. Scoped like everything else (``Attachment.objects.for_user``)."""

from django import template

from zhaoshang.core.attachments.views import PANEL_TEMPLATE, panel_context

register = template.Library()


@register.inclusion_tag(PANEL_TEMPLATE, takes_context=True)
def attachments_panel(context, owner):
    # ``context.request`` also inside another inclusion tag's template (whose context has no ``request`` variable)
    request = getattr(context, "request", None) or context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or owner is None:
        return {"show": False}
    return panel_context(user, owner)
