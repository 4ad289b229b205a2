"""Which region's figures a user reads: the one user → region helper of every page of figures (the cockpit, the
序时进度, the rankings, the bulletins and the targets; issue 14 item 2).

Before, those pages found their node three ways (``of_user``, ``containing(scope_path)`` and a lookup under
``for_user``) and opened on the target permission alone while they list projects and investors. Now each asks
``user_region`` with the permission of what it shows: the figures are sums of projects, so the project view
permission by default."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhaoshang.regions.models import Region

FIGURES_PERMISSION = "projects.view_project"  # what every figure is summed from


def home_region(user) -> Region | None:
    """The region whose figures are the user's own: their node when it is a region; None for a park committee
    (its county's figures take in the county's other parks) or a user without a node."""
    return Region.objects.of_user(user)


def user_region(user, *, code: str = "", permission: str = FIGURES_PERMISSION, max_level: int = 3) -> Region:
    """The region a page of figures shows: the user's own, or one below it named by ``code`` (anything else is a
    404, as outside any scope); 403 without ``permission``. ``max_level``: the deepest level the page serves
    (rankings rank the children of a province or a prefecture: 2)."""
    if not user.has_perm(permission):
        raise PermissionDenied("您没有查看这些数据的权限")
    if code:
        node = get_object_or_404(Region.objects.for_user(user, action=None), code=code)
    else:
        node = home_region(user)
        if node is None:
            raise Http404("按行政区划统计，您的账户不对应某一行政区划")
    if node.level > max_level:
        raise Http404("该页面不适用于这一级行政区划")
    return node
