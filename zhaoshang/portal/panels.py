"""On a project's page (core.panels): the enquiry behind a lead — who asked, how to reach them, by when to reply —
and the project's state on the public site, with the way to publish it."""

from zhaoshang.core.panels import Panel
from zhaoshang.portal.models import Enquiry, ProjectListing


def project_enquiry_panel(request, *, project):
    user = request.user
    enquiries = list(Enquiry.objects.for_user(user).filter(lead=project).select_related("listing", "park_profile"))
    can_mark = user.has_perm("portal.change_projectlisting") and not project.merged_into_id
    listing = ProjectListing.objects.for_user(user).filter(project=project).first()
    if not enquiries and not can_mark and listing is None:
        return None
    return Panel(
        "portal/panel_project.html",
        {"enquiries": enquiries, "listing": listing, "can_mark": can_mark, "project": project},
    )


def park_publication_panel(request, *, park):
    """On the park's page: its public profile's state, and the way to publish it."""
    from zhaoshang.portal.models import ParkProfile

    user = request.user
    can_mark = user.has_perm("portal.change_parkprofile")
    profile = ParkProfile.objects.for_user(user).filter(park=park).first()
    if not can_mark and profile is None:
        return None
    return Panel("portal/panel_park.html", {"profile": profile, "can_mark": can_mark, "park": park})
