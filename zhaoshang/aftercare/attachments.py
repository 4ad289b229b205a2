"""A request's documents (``core.attachments``): size and type checked, stored outside the web root, served only
through the scoped download view. The enterprise uploads to its own requests; the handling bureau to those it may
handle. Scope is the request's, in both scopes (``Ticket.objects.for_user``)."""

from django.urls import reverse

from zhaoshang.aftercare.models import Ticket
from zhaoshang.core.attachments.registry import CHANGE, VIEW, AttachmentOwner, register_attachment_owner


def ticket_rows(user, action: str):
    if action == VIEW:
        return Ticket.objects.for_user(user, "view")
    # The enterprise adds material to its own open requests (add_ticket), a bureau to those it handles.
    if getattr(user, "enterprise_scope_id", None):
        return Ticket.objects.for_user(user, "add").open()
    return Ticket.objects.for_user(user, "change").open()


TICKET = AttachmentOwner(
    code="ticket",
    model=Ticket,
    label="企业诉求",
    kinds=(("ticket_material", "诉求材料"), ("ticket_reply", "答复材料"), ("other", "其他材料")),
    permissions={VIEW: "aftercare.view_ticket", CHANGE: "aftercare.view_ticket"},
    rows=ticket_rows,
    path=lambda ticket: ticket.path,
    url=lambda ticket: reverse("aftercare:ticket_detail", args=[ticket.pk]),
    describe=lambda ticket: f"{ticket.number} {ticket.title}",
)


def register() -> None:
    register_attachment_owner(TICKET)
