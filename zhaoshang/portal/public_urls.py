"""The public site: /invest/… in Chinese, /en/invest/… in English (i18n_patterns in config/urls.py)."""

from django.urls import path, re_path

from zhaoshang.portal import public_views as views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region, name="region"),
    path("parks/", views.park_list, name="park_list"),
    path("parks/<str:code>/", views.park, name="park"),
    path("parks/<str:code>/photo.jpg", views.park_photo, name="park_photo"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("policies/", views.policies, name="policies"),
    path("enquiry/<str:reference>/", views.enquiry_sent, name="enquiry_sent"),
    re_path(r"^book/(?P<code>\d{6})\.(?P<fmt>pdf|docx)$", views.book, name="book"),
    path("map/parks.json", views.map_points, name="map_points"),
    path("geo/yunnan.json", views.geo_province, name="geo_province"),
    path("geo/<str:code>.json", views.geo_prefecture, name="geo_prefecture"),
]
