"""The platform's URLs plus one view that fails, to see the 500 page through the real handler (issue 11)."""

from django.urls import path

from config import urls as platform


def boom(request):
    raise RuntimeError("模拟的服务器错误")


urlpatterns = [path("boom/", boom), *platform.urlpatterns]
handler403 = getattr(platform, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(platform, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(platform, "handler500", "django.views.defaults.server_error")
