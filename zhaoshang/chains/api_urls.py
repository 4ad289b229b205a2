"""The chains app's API paths outside its router entry: 靶向寻商 and a project's park matches (under /api/v1/)."""

from django.urls import path

from zhaoshang.chains.matching_views import ParkMatchesAPI
from zhaoshang.chains.targeting_api import TargetingAPI

urlpatterns = [
    path("targeting/", TargetingAPI.as_view(), name="api-targeting"),
    path("projects/<int:pk>/park-matches/", ParkMatchesAPI.as_view(), name="api-project-park-matches"),
]
