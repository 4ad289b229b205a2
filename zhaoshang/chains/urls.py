from django.urls import path

from zhaoshang.chains import edit_views, matching_views, placement_views, targeting_views, views, weights_views

app_name = "chains"
urlpatterns = [
    path("", views.ChainListView.as_view(), name="chain_list"),
    path("diagnosis/", views.DiagnosisHomeView.as_view(), name="diagnosis_home"),
    path("<int:pk>/", views.ChainMapView.as_view(), name="chain_map"),
    path("<int:pk>/diagnosis/", views.DiagnosisView.as_view(), name="diagnosis"),
    path("<int:pk>/compare/", views.CompareView.as_view(), name="compare"),
    path("<int:pk>/nodes/<int:node_pk>/", views.NodeDetailView.as_view(), name="node_detail"),
    path("<int:pk>/structure/", edit_views.StructureView.as_view(), name="structure"),
    path("<int:pk>/draft/", edit_views.DraftCreateView.as_view(), name="draft_create"),
    path("<int:pk>/edit/", edit_views.ChainUpdateView.as_view(), name="chain_update"),
    path("<int:pk>/weights/", weights_views.WeightsView.as_view(), name="weights"),
    path("<int:pk>/approve/", edit_views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/delete-draft/", edit_views.DraftDeleteView.as_view(), name="draft_delete"),
    path("<int:pk>/nodes/add/", edit_views.NodeCreateView.as_view(), name="node_create"),
    path("<int:pk>/flows/add/", edit_views.FlowCreateView.as_view(), name="flow_create"),
    path("nodes/<int:pk>/edit/", edit_views.NodeUpdateView.as_view(), name="node_update"),
    path("nodes/<int:pk>/delete/", edit_views.NodeDeleteView.as_view(), name="node_delete"),
    path("flows/<int:pk>/delete/", edit_views.FlowDeleteView.as_view(), name="flow_delete"),
    path("placements/", placement_views.ProjectLinkListView.as_view(), name="placement_list"),
    path("placements/enterprises/", placement_views.EnterpriseLinkListView.as_view(), name="enterprise_placement_list"),
    path("placements/decide/", placement_views.DecideView.as_view(), name="placement_decide"),
    path("placements/run/", placement_views.RunPlacementView.as_view(), name="placement_run"),
    path("targeting/", targeting_views.TargetingView.as_view(), name="targeting"),
    path("targeting/candidates/<int:pk>/", targeting_views.CandidateView.as_view(), name="candidate"),
    path("targeting/outcomes/", targeting_views.OutcomeListView.as_view(), name="outcomes"),
    path("targeting/report/", targeting_views.ConversionReportView.as_view(), name="conversion"),
    path("signals/", matching_views.SignalListView.as_view(), name="signals"),
    path("signals/add/<int:pk>/", matching_views.SignalCreateView.as_view(), name="signal_create"),
    path("parks/<int:pk>/profile/", matching_views.ParkProfileView.as_view(), name="park_profile"),
    path("projects/<int:pk>/park-matches/", matching_views.ParkMatchesView.as_view(), name="park_matches"),
    path("projects/<int:pk>/park-panel/", matching_views.ParkPanelView.as_view(), name="park_panel"),
]
