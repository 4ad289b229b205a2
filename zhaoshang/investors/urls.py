from django.urls import path

from zhaoshang.investors import views

app_name = "investors"
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/import/", views.EnterpriseImportView.as_view(), name="enterprise_import"),
    path("enterprises/follow-ups/", views.MyFollowUpsView.as_view(), name="my_follow_ups"),
    path("enterprises/global500/", views.Global500PresenceView.as_view(), name="global500_presence"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise_update"),
    path("enterprises/<int:pk>/follow-up/", views.FollowUpView.as_view(), name="enterprise_follow_up"),
    path("enterprises/<int:enterprise_pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/reveal/", views.ContactRevealView.as_view(), name="contact_reveal"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/summary/", views.ActivitySummaryView.as_view(), name="activity_summary"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/lead/", views.ActivityLeadView.as_view(), name="activity_lead"),
]
