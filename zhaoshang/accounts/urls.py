from django.urls import path

from zhaoshang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/<int:pk>/roles/", views.UserRolesView.as_view(), name="user_roles"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
]
