from django.urls import path

from zhaoshang.projects import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/transition/", views.ProjectTransitionView.as_view(), name="project_transition"),
    path("projects/<int:pk>/agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("projects/<int:pk>/investor/", views.InvestorChangeView.as_view(), name="investor_change"),
    path("projects/<int:pk>/merge/", views.ProjectMergeView.as_view(), name="project_merge"),
    path("projects/<int:project_pk>/funds/new/", views.FundingEntryCreateView.as_view(), name="funding_create"),
    path("funds/<int:pk>/correct/", views.CorrectionCreateView.as_view(), name="funding_correct"),
    path("funds/<int:pk>/approve/", views.CorrectionDecideView.as_view(), name="correction_decide"),
    path("funds/corrections/", views.CorrectionListView.as_view(), name="correction_list"),
    path("funds/locks/", views.MonthLockView.as_view(), name="month_lock"),
]
