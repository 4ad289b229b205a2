from django.urls import path

from zhaoshang.regions import views

app_name = "regions"
urlpatterns = [
    path("parks/", views.ParkListView.as_view(), name="park_list"),
    path("parks/new/", views.ParkCreateView.as_view(), name="park_create"),
    path("parks/map/", views.ParkMapView.as_view(), name="park_map"),
    path("parks/map/data/", views.ParkMapDataView.as_view(), name="park_map_data"),
    path("parks/<int:pk>/", views.ParkDetailView.as_view(), name="park_detail"),
    path("parks/<int:pk>/edit/", views.ParkUpdateView.as_view(), name="park_update"),
    path("parks/<int:pk>/retire/", views.ParkRetireView.as_view(), name="park_retire"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("geo/yunnan.json", views.ProvinceGeoView.as_view(), name="geo_province"),
    path("geo/<str:code>.json", views.PrefectureGeoView.as_view(), name="geo_prefecture"),
]
