from django.urls import path

from zhaoshang.core import views
from zhaoshang.core.attachments import views as attachment_views
from zhaoshang.core.pii_views import PiiAccessView

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", views.AuditLogDetailView.as_view(), name="audit_detail"),
    path("audit/personal/", PiiAccessView.as_view(), name="pii_access"),
    path("jobs/", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/result/", views.JobResultView.as_view(), name="job_result"),
    path(
        "attachments/<int:pk>/download/", attachment_views.AttachmentDownloadView.as_view(), name="attachment_download"
    ),
    path("attachments/<int:pk>/remove/", attachment_views.AttachmentRemoveView.as_view(), name="attachment_remove"),
    path(
        "attachments/<slug:owner>/<int:owner_id>/",
        attachment_views.AttachmentOwnerView.as_view(),
        name="attachment_owner",
    ),
]
