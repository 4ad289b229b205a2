"""Roles (as groups with their permissions) and the org units of every jurisdiction and park. The province's
industry departments are loaded by the catalog, which knows the key industries (``catalog.reference``)."""

from django.contrib.auth.models import Group, Permission

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit
from zhaoshang.accounts.roles import ROLES
from zhaoshang.core.reference import upsert_by_code
from zhaoshang.regions.models import Park, Region


def sync_roles() -> int:
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.name)
        perms = []
        for name in role.permissions:
            app_label, codename = name.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
    return len(ROLES)


def load_org_units() -> tuple[int, int]:
    rows = []
    for region in Region.objects.order_by("code"):
        if region.level == 1:
            rows.append(("BUREAU-530000", "云南省投资促进局", OrgKind.PROVINCIAL_BUREAU, region, None))
        elif region.level == 2:
            kind, name = OrgKind.PREFECTURE_BUREAU, f"{region.name}投资促进局"
            rows.append((f"BUREAU-{region.code}", name, kind, region, None))
        else:
            rows.append((f"BUREAU-{region.code}", f"{region.name}投资促进局", OrgKind.COUNTY_BUREAU, region, None))
    for park in Park.objects.select_related("region"):
        rows.append((f"PARK-{park.code}", f"{park.name}管委会", OrgKind.PARK_COMMITTEE, park.region, park))
    values = [
        {
            "code": code,
            "name": name,
            "kind": kind,
            "region": region,
            "park": park,
            "path": park.path if park else region.path,
        }
        for code, name, kind, region, park in rows
    ]
    return upsert_by_code(OrgUnit, values)
