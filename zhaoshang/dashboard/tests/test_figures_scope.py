"""Pages of figures find their region through one helper (``regions.selectors.user_region``) and need the permission
of what they show: the figures are sums of projects, so a user who may read targets but not projects sees none."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhaoshang.accounts.models import User
from zhaoshang.core.testing import persona
from zhaoshang.regions.selectors import user_region

pytestmark = pytest.mark.django_db
PAGES = ("/dashboard/?year=2025&month=6", "/stats/progress/?year=2025&month=6", "/stats/rankings/?year=2025&month=6")


@pytest.fixture
def targets_only():
    """A 楚雄 user who may read targets and bulletins, not projects."""
    user = User.objects.create_user(
        "targets_only", password="Targets-only#1", org_unit=persona("chuxiong_officer").org_unit
    )
    for codename in ("view_target", "export_target", "view_bulletin"):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="stats", codename=codename))
    return user


@pytest.mark.parametrize("url", PAGES)
def test_a_page_of_figures_needs_the_project_permission(client, targets_only, url):
    client.force_login(targets_only)
    assert client.get(url).status_code == 403
    client.force_login(persona("chuxiong_officer"))
    assert client.get(url).status_code == 200


def test_the_one_helper_gives_the_own_region_one_below_it_and_nothing_else(targets_only):
    chuxiong = persona("chuxiong_officer")
    assert user_region(chuxiong).code == "532300"
    assert user_region(chuxiong, code="532302").code == "532302"
    with pytest.raises(Http404):
        user_region(chuxiong, code="530100")  # 昆明: a sibling
    with pytest.raises(Http404):
        user_region(persona("lufeng_officer"), max_level=2)  # a county ranks nothing
    with pytest.raises(PermissionDenied):
        user_region(targets_only)
