from django.urls import path

from zhaoshang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("mfa/", views.MfaVerifyView.as_view(), name="mfa_verify"),
    path("mfa/setup/", views.MfaSetupView.as_view(), name="mfa_setup"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/<int:pk>/roles/", views.UserRolesView.as_view(), name="user_roles"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/password/", views.UserPasswordResetView.as_view(), name="user_password_reset"),
    path("users/<int:pk>/mfa-reset/", views.UserMfaResetView.as_view(), name="user_mfa_reset"),
    path("users/<int:pk>/org/", views.UserMoveView.as_view(), name="user_move"),
    path("changes/", views.AccountChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/decide/", views.AccountChangeDecideView.as_view(), name="change_decide"),
]
