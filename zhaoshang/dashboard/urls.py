from django.urls import path

from zhaoshang.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.CockpitView.as_view(), name="cockpit"),
]
