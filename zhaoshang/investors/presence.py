"""Fortune Global 500 presence in Yunnan (policy target: ≥ 150 by 2024).

A company of the current list is present when any enterprise of its group — itself or a subsidiary down the
parent chain — is the investor of a counted project, or is an entity registered in Yunnan (总部/注册地 云南, or
flagged 在滇设有注册主体). This is a province-wide figure about enterprises (reference data); it names no project.
"""

from django.db.models import Q

from zhaoshang.investors.choices import YUNNAN, TagKind
from zhaoshang.investors.models import Enterprise, EnterpriseTag
from zhaoshang.investors.models.enterprise import MAX_GROUP_DEPTH

DEFAULT_TARGET = 150  # used only when no 入滇世界500强企业 target row exists (stats app)


def policy_target() -> int:
    try:
        from zhaoshang.stats.models import Target

        value = (
            Target.objects.filter(indicator="fortune500_present", region__level=1)
            .order_by("-year")
            .values_list("value", flat=True)
            .first()
        )
    except Exception:  # the stats app is optional for this figure
        value = None
    return int(value) if value is not None else DEFAULT_TARGET


def _chains(ids, parents: dict[int, int]) -> dict[int, list[int]]:
    chains = {}
    for start in ids:
        chain, node = [start], parents.get(start)
        while node is not None and node not in chain and len(chain) <= MAX_GROUP_DEPTH:
            chain.append(node)
            node = parents.get(node)
        chains[start] = chain
    return chains


def global500_presence(*, user=None) -> dict:
    """Who of the current list is present. With ``user``, projects count only within the user's jurisdiction (a
    county sees the groups investing in it; the province sees the whole of Yunnan)."""
    from zhaoshang.projects.models import Project

    year = EnterpriseTag.objects.filter(kind=TagKind.GLOBAL500).order_by("-year").values_list("year", flat=True).first()
    listed = {
        tag.enterprise_id: tag
        for tag in EnterpriseTag.objects.filter(kind=TagKind.GLOBAL500, year=year).select_related("enterprise")
    }
    parents = dict(Enterprise.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    projects = Project.objects.counted() if user is None else Project.objects.for_user(user).counted()
    investors = set(projects.values_list("investor_id", flat=True).distinct())
    registered = set(
        Enterprise.objects.filter(Q(yunnan_entity=True) | Q(hq_province=YUNNAN)).values_list("pk", flat=True)
    )
    via: dict[int, set[str]] = {}
    for reason, ids in (("项目", investors), ("在滇注册主体", registered)):
        for chain in _chains(ids, parents).values():
            for node in chain:
                if node in listed:
                    via.setdefault(node, set()).add(reason)
    rows = sorted(listed.values(), key=lambda t: (t.rank or 10**6, t.enterprise.name))
    present = [
        {
            "id": t.enterprise_id,
            "name": t.enterprise.name,
            "rank": t.rank,
            "via": "、".join(sorted(via[t.enterprise_id])),
        }
        for t in rows
        if t.enterprise_id in via
    ]
    absent = [
        {"id": t.enterprise_id, "name": t.enterprise.name, "rank": t.rank} for t in rows if t.enterprise_id not in via
    ]
    target = policy_target()
    return {
        "year": year,
        "listed": len(listed),
        "present_count": len(present),
        "target": target,
        "gap": max(0, target - len(present)),
        "present": present,
        "absent": absent,
    }
