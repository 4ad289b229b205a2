"""Reads of the public site: only what is published, never through a user's scope (the visitor has none), and never
a field that is not meant for the public (see ``PUBLIC_CONTACT_FIELDS`` in models)."""

from django.db.models import Count, Q

from zhaoshang.portal.choices import PublicationStatus
from zhaoshang.portal.models import ParkProfile, ProfileSection, ProjectListing, RegionName
from zhaoshang.regions.models import Region

PROVINCE_CODE = "530000"


def public_listings(region: Region | None = None):
    rows = ProjectListing.objects.published().select_related(
        "project__county__parent", "project__park", "project__key_industry"
    )
    if region is not None and region.level > 1:
        rows = rows.filter(Q(path=region.path) | Q(path__startswith=region.path + "/"))
    return rows.order_by("-published_at", "-id")


def public_listing(project_id: int) -> ProjectListing | None:
    return public_listings().filter(project_id=project_id).first()


def public_parks(region: Region | None = None):
    rows = ParkProfile.objects.published().select_related("park__region__parent")
    if region is not None and region.level > 1:
        rows = rows.filter(Q(path=region.path) | Q(path__startswith=region.path + "/"))
    return rows.order_by("park__region__code", "park__code")


def public_park(code: str) -> ParkProfile | None:
    return public_parks().filter(park__code=code).first()


def public_sections(region: Region):
    return ProfileSection.objects.published().filter(region=region).order_by("kind")


def public_policy_sections():
    return ProfileSection.objects.published().filter(kind="policies").select_related("region").order_by("region__code")


def region_by_code(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


def child_regions(region: Region) -> list[Region]:
    """The prefectures of the province or the counties of a prefecture, each with its published counts."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    parks = _counts(ParkProfile, children)
    listings = _counts(ProjectListing, children)
    for child in children:
        child.public_parks = parks.get(child.path, 0)
        child.public_projects = listings.get(child.path, 0)
    return children


def _counts(model, regions) -> dict[str, int]:
    counts: dict[str, int] = {}
    rows = model.objects.filter(status=PublicationStatus.PUBLISHED).values("path").annotate(n=Count("id"))
    for row in rows:
        for region in regions:
            if row["path"] == region.path or row["path"].startswith(region.path + "/"):
                counts[region.path] = counts.get(region.path, 0) + row["n"]
    return counts


def region_names(language: str) -> dict[int, str]:
    """Region id → its name in ``language`` where a bureau entered one."""
    names = {}
    for row in RegionName.objects.all().only("region_id", "translations"):
        name = (row.translations or {}).get(language, "").strip()
        if name:
            names[row.region_id] = name
    return names


def map_points(language: str) -> list[dict]:
    from django.urls import reverse

    points = []
    for profile in public_parks():
        park = profile.park
        if park.lon is None or park.lat is None:
            continue
        name = (profile.translated("name", language) if language != "zh-hans" else "") or park.name
        points.append(
            {
                "name": name,
                "value": [float(park.lon), float(park.lat)],
                "prefecture": park.path.split("/")[1] if "/" in park.path else "",
                "url": reverse("portal:park", args=[park.code]),
                "approximate": park.location_approximate,
            }
        )
    return points
