from django.urls import path

from zhaoshang.core import views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", views.AuditLogDetailView.as_view(), name="audit_detail"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/result/", views.JobResultView.as_view(), name="job_result"),
]
