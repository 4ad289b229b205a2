from django.urls import path

from zhaoshang.aftercare import promise_views, views

app_name = "aftercare"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("my-company/", views.MyCompanyView.as_view(), name="my_company"),
    path("my-company/users/", views.CompanyUserView.as_view(), name="company_add_user"),
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company_detail"),
    path("companies/<int:pk>/<str:action>/", views.CompanyActionView.as_view(), name="company_action"),
    path("tickets/", views.TicketListView.as_view(), name="ticket_list"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/<str:action>/", views.TicketActionView.as_view(), name="ticket_action"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("promises/", promise_views.PromiseListView.as_view(), name="promise_list"),
    path("promises/new/<int:clause>/", promise_views.PromiseCreateView.as_view(), name="promise_create"),
    path("promises/<int:pk>/", promise_views.PromiseDetailView.as_view(), name="promise_detail"),
    path("promises/<int:pk>/<str:action>/", promise_views.PromiseActionView.as_view(), name="promise_action"),
    path("measures/", promise_views.MeasuresView.as_view(), name="measures"),
]
