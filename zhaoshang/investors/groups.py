"""Group membership for the 500强 flags: a project of a subsidiary counts for its group.

The projects app calls ``counts_as_global500`` only; everything else about groups stays here.
"""


def counts_as_global500(investor) -> bool:
    """True when the investor, or any enterprise up its parent chain, is on the Fortune Global 500 list."""
    return investor is not None and investor.is_global500_group
