"""Group membership for the project flags: a project of a subsidiary counts for its group.

The projects app reads ``GroupFlags`` (through ``group_flags`` for one investor, ``group_flags_many`` for an
import's investors read at once); everything else about groups stays here.
"""

from dataclasses import dataclass

from zhaoshang.investors.models.enterprise import MAX_GROUP_DEPTH


@dataclass(frozen=True)
class GroupFlags:
    """What an investor's group brings to a project: 世界500强 and 链主 count for every member of the group (the
    enterprise itself or any enterprise up its parent chain is on the list)."""

    global500: bool = False
    chain_leader: bool = False


NO_GROUP = GroupFlags()


def group_flags(investor) -> GroupFlags:
    if investor is None or getattr(investor, "pk", None) is None:
        return NO_GROUP
    members = [investor, *investor.ancestors()]
    return GroupFlags(
        global500=any(e.is_global500 for e in members), chain_leader=any(e.is_chain_leader for e in members)
    )


def group_flags_many(investors) -> dict[int, GroupFlags]:
    """``group_flags`` for many saved enterprises, reading their parent chains one level per query (an import of
    thousands of rows asks a handful of times, not once per row)."""
    from zhaoshang.investors.models import Enterprise

    known = {e.pk: (e.parent_id, e.is_global500, e.is_chain_leader) for e in investors if e.pk is not None}
    missing = {parent for parent, _, _ in known.values() if parent and parent not in known}
    for _ in range(MAX_GROUP_DEPTH):
        if not missing:
            break
        found = Enterprise.objects.filter(pk__in=sorted(missing)).values_list(
            "pk", "parent_id", "is_global500", "is_chain_leader"
        )
        for pk, parent, global500, chain_leader in found:
            known[pk] = (parent, global500, chain_leader)
        missing = {parent for parent, _, _ in known.values() if parent and parent not in known}
    flags = {}
    for e in investors:
        if e.pk is None:
            continue
        global500 = chain_leader = False
        node, seen = e.pk, set()
        while node is not None and node in known and node not in seen and len(seen) <= MAX_GROUP_DEPTH:
            seen.add(node)
            parent, g, c = known[node]
            global500, chain_leader = global500 or g, chain_leader or c
            node = parent
        flags[e.pk] = GroupFlags(global500=global500, chain_leader=chain_leader)
    return flags


def counts_as_global500(investor) -> bool:
    """True when the investor, or any enterprise up its parent chain, is on the Fortune Global 500 list."""
    return group_flags(investor).global500
