from django.urls import path

from zhaoshang.risk import views

app_name = "risk"

urlpatterns = [
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/<int:pk>/", views.WarningDetailView.as_view(), name="warning_detail"),
    path("warnings/<int:pk>/<str:action>/", views.WarningActionView.as_view(), name="warning_action"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule_edit"),
]
