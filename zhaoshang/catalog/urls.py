from django.urls import path

from zhaoshang.catalog import views

app_name = "catalog"
urlpatterns = [
    path("industries/", views.KeyIndustryListView.as_view(), name="industry_list"),
    path("gbt4754/", views.IndustryClassListView.as_view(), name="gbt_list"),
]
