from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import RedirectView
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from zhaoshang.accounts.filters import UserFilter
from zhaoshang.accounts.forms import LoginForm, UserRolesForm
from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import account_login_succeeded, account_unlock, user_set_roles
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.views import ScopedFormView, ScopedListView, unscoped


@unscoped("登录页：尚未登录，不显示任何辖区数据")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        account_login_succeeded(user=form.get_user(), via="web")
        return response


@unscoped("退出登录：只结束本人会话，并作废本人的 API 令牌")
class LogoutView(View):
    def post(self, request):
        idle = request.POST.get("reason") == "idle"
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=Action.LOGOUT, obj=request.user, after={"idle": idle})
            Token.objects.filter(user=request.user).delete()
        logout(request)
        return HttpResponseRedirect(reverse("accounts:login") + ("?idle=1" if idle else ""))


@unscoped("本人修改密码：只涉及本人账户")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="password_change", obj=self.request.user)
        messages.success(self.request, "密码已修改")
        return response


@unscoped("API 令牌：以用户名密码换取本人的令牌，失败同样计入锁定")
class TokenView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            token.delete()
            token = Token.objects.create(user=user)
        account_login_succeeded(user=user, via="api-token")
        return Response({"token": token.key})


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    sort_fields = {"username": "username", "org": "org_unit__path", "last_login": "last_login"}
    default_sort = "org"
    export_title = "用户名单"
    export_columns = [
        ("账号", "username"),
        ("姓名", "full_name"),
        ("所属机构", "org_unit.name"),
        ("角色", "role_names"),
        ("状态", "status_label"),
        ("最后登录", "last_login"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("org_unit").prefetch_related("groups").distinct()


class UserRolesView(ScopedFormView):
    """The security administrator assigns roles; the separation of the three administrators is enforced."""

    model = User
    scope_action = "assign_roles"
    edits_object = True
    form_class = UserRolesForm
    template_name = "accounts/user_roles.html"

    def object_initial(self):
        return {"roles": sorted(self.object.role_codes)}

    def perform(self, form):
        user = user_set_roles(actor=self.request.user, user=self.object, role_codes=set(form.cleaned_data["roles"]))
        messages.success(self.request, f"已更新 {user.username} 的角色")
        return user

    def get_success_url_for(self, saved):
        return reverse("accounts:user_list")


class UserUnlockView(ScopedFormView):
    model = User
    scope_action = "unlock"
    form_class = forms.Form
    template_name = "accounts/user_roles.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def perform(self, form):
        user = account_unlock(actor=self.request.user, user=self.object)
        messages.success(self.request, f"已解锁 {user.username}")
        return user

    def get_success_url_for(self, saved):
        return reverse("accounts:user_list")


@unscoped("管理后台登录：统一转到平台登录页，失败同样计入锁定，成功同样审计")
class AdminLoginRedirectView(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return f"{reverse('accounts:login')}?{urlencode({'next': self.request.GET.get('next', '/admin/')})}"
