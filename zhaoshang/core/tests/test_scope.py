import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.viewsets import ViewSetMixin

from zhaoshang.core.admin import ScopedModelAdmin
from zhaoshang.core.api import ScopedReadOnlyViewSet
from zhaoshang.core.scope import check_scope_declarations
from zhaoshang.core.testing import persona
from zhaoshang.core.views import ScopedPageView, ScopedViewMixin
from zhaoshang.regions.models import Park, Region

SCOPED_BASES = (ScopedViewMixin, ScopedPageView)
THIRD_PARTY_MODULES = ("django.views.static", "django.contrib.staticfiles")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver) and getattr(entry, "app_name", None) == "admin":
            continue  # the admin site: every ModelAdmin must be a ScopedModelAdmin (test below)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def view_is_accounted_for(callback) -> bool:
    if getattr(callback, "unscoped_reason", ""):
        return True
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if issubclass(view_class, ScopedPageView):
            return view_class.permission_required is not None
        return issubclass(view_class, SCOPED_BASES) or bool(getattr(view_class, "unscoped_reason", ""))
    viewset = getattr(callback, "cls", None)
    if viewset is not None and issubclass(viewset, ViewSetMixin):
        return issubclass(viewset, ScopedReadOnlyViewSet)
    return callback.__module__.startswith(THIRD_PARTY_MODULES)


def test_every_url_is_built_on_the_scoped_bases_or_declared_unscoped():
    offenders = [route for route, callback in walk(get_resolver().url_patterns) if not view_is_accounted_for(callback)]
    assert offenders == []


def test_the_url_walker_catches_a_plain_view():
    def plain_view(request):
        return None

    assert not view_is_accounted_for(plain_view)


def test_every_admin_page_uses_the_scope():
    unscoped = [
        model._meta.label
        for model, model_admin in admin_site._registry.items()
        if not isinstance(model_admin, ScopedModelAdmin)
    ]
    assert unscoped == []


def test_a_model_without_scope_declaration_stops_start_up():
    class Undeclared(models.Model):  # noqa: DJ008
        class Meta:
            app_label = "core"

    Undeclared.__module__ = "zhaoshang.core.models"
    with pytest.raises(ImproperlyConfigured, match="core.Undeclared"):
        check_scope_declarations([Undeclared])


@pytest.mark.django_db
def test_county_officer_sees_own_county_and_its_park_only():
    user = persona("lufeng_officer")
    assert list(Region.objects.for_user(user).values_list("code", flat=True)) == ["532302"]
    assert list(Park.objects.for_user(user).values_list("code", flat=True)) == ["S539053"]


@pytest.mark.django_db
def test_prefecture_officer_sees_below_but_never_a_sibling():
    chuxiong = persona("chuxiong_officer")
    codes = set(Region.objects.for_user(chuxiong).values_list("code", flat=True))
    assert "532302" in codes and "532300" in codes and len(codes) == 11
    assert not codes & {"530000", "530100", "530102"}
    park_regions = set(Park.objects.for_user(chuxiong).values_list("region__code", flat=True))
    assert park_regions <= {"532300", "532301", "532302", "532326", "532329"}


@pytest.mark.django_db
def test_province_sees_every_park():
    assert Park.objects.for_user(persona("province_admin")).count() == 78


@pytest.mark.django_db
def test_enterprise_user_and_anonymous_see_no_bureau_data():
    from django.contrib.auth.models import AnonymousUser

    assert not Park.objects.for_user(persona("enterprise_user")).exists()
    assert not Park.objects.for_user(AnonymousUser()).exists()


@pytest.mark.django_db
def test_permission_is_needed_as_well_as_scope():
    # The audit administrator sits at the province but holds no park permission.
    assert not Park.objects.for_user(persona("audit_admin")).exists()
