from django.urls import path

from zhaoshang.stats import views
from zhaoshang.stats.assessment import views as assessment
from zhaoshang.stats.sharing_views import SharingAgreementListView

app_name = "stats"
urlpatterns = [
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/edit/", views.TargetUpdateView.as_view(), name="target_update"),
    path("targets/import/", views.TargetImportView.as_view(), name="target_import"),
    path("targets/import/template.xlsx", views.TargetTemplateView.as_view(), name="target_template"),
    path("rankings/", views.RankingView.as_view(), name="rankings"),
    path("progress/", views.ScheduleView.as_view(), name="schedule"),
    path("sharing/", SharingAgreementListView.as_view(), name="sharing"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", views.BulletinCreateView.as_view(), name="bulletin_create"),
    path("bulletins/<int:pk>/download/", views.BulletinDownloadView.as_view(), name="bulletin_download"),
    path("assessment/", assessment.AssessmentView.as_view(), name="assessment"),
    path("assessment/publish/", assessment.AssessmentPublishView.as_view(), name="assessment_publish"),
    path("assessment/projects/", assessment.AssessmentProjectsView.as_view(), name="assessment_projects"),
    path("assessment/schemes/<int:year>/", assessment.SchemeView.as_view(), name="assessment_scheme"),
    path("assessment/schemes/<int:year>/edit/", assessment.SchemeEditView.as_view(), name="assessment_scheme_edit"),
    path(
        "assessment/schemes/<int:year>/publish/",
        assessment.SchemePublishView.as_view(),
        name="assessment_scheme_publish",
    ),
]
