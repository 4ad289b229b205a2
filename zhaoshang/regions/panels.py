"""The jurisdiction's summary on the 工作台 (core's home page asks for its panels: ``core.panels``)."""

from zhaoshang.core.panels import Panel
from zhaoshang.core.scope import user_node_path
from zhaoshang.regions.models import Park, Region


def jurisdiction_summary(request) -> Panel | None:
    user = request.user
    show_regions, show_parks = user.has_perm("regions.view_region"), user.has_perm("regions.view_park")
    if not user_node_path(user) or not (show_regions or show_parks):
        return None
    regions, parks = Region.objects.for_user(user), Park.objects.for_user(user).active()
    return Panel(
        "regions/panels/summary.html",
        {
            "node": Region.objects.containing(user.scope_path),
            "show_regions": show_regions,
            "show_parks": show_parks,
            "prefectures": regions.prefectures().count(),
            "counties": regions.counties().count(),
            "parks": parks.count(),
            "national_parks": parks.filter(level="national").count(),
        },
    )
