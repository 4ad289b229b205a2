from django.urls import path

from zhaoshang.projects import decision_views, import_views, ledger_views, taizhang_views, transfer_views, views
from zhaoshang.projects.library_views import (
    LibraryBookView,
    LibraryDecisionView,
    LibraryListView,
    LibraryQueueView,
    LibraryThresholdView,
)

app_name = "projects"
urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/import/", import_views.ProjectImportView.as_view(), name="project_import"),
    path(
        "projects/import/template/",
        import_views.ProjectImportTemplateView.as_view(),
        name="project_import_template",
    ),
    path("projects/taizhang/", taizhang_views.TaizhangUploadView.as_view(), name="taizhang_upload"),
    path("projects/taizhang/<int:pk>/mapping/", taizhang_views.TaizhangMappingView.as_view(), name="taizhang_mapping"),
    path("projects/taizhang/<int:pk>/", taizhang_views.TaizhangPreviewView.as_view(), name="taizhang_preview"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/new/admission/", views.ProjectAdmissionPreviewView.as_view(), name="admission_preview"),
    path(
        "projects/<int:pk>/edit/admission/",
        views.ProjectUpdateAdmissionPreviewView.as_view(),
        name="admission_preview_edit",
    ),
    path("projects/<int:pk>/transition/", views.ProjectTransitionView.as_view(), name="project_transition"),
    path("projects/<int:pk>/agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("projects/<int:pk>/investor/", views.InvestorChangeView.as_view(), name="investor_change"),
    path("projects/<int:pk>/merge/", views.ProjectMergeView.as_view(), name="project_merge"),
    path("projects/<int:pk>/decisions/new/", decision_views.DecisionCreateView.as_view(), name="decision_create"),
    path("projects/<int:project_pk>/funds/new/", ledger_views.FundingEntryCreateView.as_view(), name="funding_create"),
    path("funds/<int:pk>/", ledger_views.FundingEntryDetailView.as_view(), name="funding_detail"),
    path("funds/<int:pk>/correct/", ledger_views.CorrectionCreateView.as_view(), name="funding_correct"),
    path("funds/<int:pk>/approve/", ledger_views.CorrectionDecideView.as_view(), name="correction_decide"),
    path("funds/corrections/", ledger_views.CorrectionListView.as_view(), name="correction_list"),
    path("funds/locks/", ledger_views.MonthLockView.as_view(), name="month_lock"),
    path("funds/locks/<int:pk>/unlock/", ledger_views.MonthUnlockView.as_view(), name="month_unlock"),
]
# 招大引强项目库
urlpatterns += [
    path("projects/library/", LibraryListView.as_view(), name="library_list"),
    path("projects/library/queue/", LibraryQueueView.as_view(), name="library_queue"),
    path("projects/library/threshold/", LibraryThresholdView.as_view(), name="library_threshold"),
    path("projects/library/book.xlsx", LibraryBookView.as_view(), {"fmt": "xlsx"}, name="library_book_xlsx"),
    path("projects/library/book.docx", LibraryBookView.as_view(), {"fmt": "docx"}, name="library_book_docx"),
    path("projects/<int:pk>/library/", LibraryDecisionView.as_view(), name="library_decide"),
]
# 项目流转 with 利益共享
urlpatterns += [
    path("projects/transfers/", transfer_views.TransferListView.as_view(), name="transfer_list"),
    path("projects/transfers/<int:pk>/", transfer_views.TransferDetailView.as_view(), name="transfer_detail"),
    path("projects/<int:pk>/transfer/", transfer_views.TransferProposeView.as_view(), name="transfer_propose"),
]
