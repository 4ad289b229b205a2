"""The bureaus' pages of the public site (signed in, scoped): /portal/…"""

from django.urls import path

from zhaoshang.portal import views

app_name = "portal_admin"

urlpatterns = [
    path("", views.PublicationDeskView.as_view(), name="desk"),
    path("projects/<int:pk>/publish/", views.ListingMarkView.as_view(), name="listing_mark"),
    path("parks/<int:pk>/publish/", views.ParkProfileMarkView.as_view(), name="park_mark"),
    path("regions/<str:code>/<str:kind>/publish/", views.SectionMarkView.as_view(), name="section_mark"),
    path("<str:kind>/<int:pk>/<str:action>/", views.PublicationDecisionView.as_view(), name="decide"),
    path("enquiries/", views.EnquiryListView.as_view(), name="enquiry_list"),
    path("enquiries/<int:pk>/", views.EnquiryDetailView.as_view(), name="enquiry_detail"),
]
