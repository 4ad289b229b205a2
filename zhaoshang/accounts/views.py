from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import RedirectView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from zhaoshang.accounts import mfa, pending
from zhaoshang.accounts.filters import UserFilter
from zhaoshang.accounts.forms import (
    AccountChangeDecideForm,
    ConfirmForm,
    LoginForm,
    MfaCodeForm,
    MfaSetupForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserMoveForm,
    UserRolesForm,
)
from zhaoshang.accounts.models import AccountChangeRequest, User
from zhaoshang.accounts.services import (
    LOGIN_REFUSED,
    AccountLocked,
    account_change_approve,
    account_change_reject,
    account_login_succeeded,
    account_mfa_enrol,
    account_mfa_reset,
    account_mfa_verify,
    account_password_change,
    account_password_reset,
    account_unlock,
    mfa_required_for,
    user_move,
    user_set_roles,
)
from zhaoshang.accounts.tokens import account_logout, account_token_issue
from zhaoshang.core.views import ScopedFormView, ScopedListView, unscoped


@unscoped("登录页：尚未登录，不显示任何辖区数据")
class LoginView(auth_views.LoginView):
    """The password; for an account with a second factor the session is signed in only after the code
    (``MfaVerifyView``), so no page, API call or admin page is reached with the password alone."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if mfa_required_for(user):
            pending.start(self.request, user, next_url=self.get_success_url())
            return HttpResponseRedirect(reverse("accounts:mfa_verify" if user.mfa_enrolled else "accounts:mfa_setup"))
        response = super().form_valid(form)
        account_login_succeeded(user=user, via="web")
        return response


@unscoped("动态口令：登录的第二步，只涉及本人账户")
class MfaVerifyView(View):
    template_name = "accounts/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = pending.user(request)
        if self.user is None:
            return HttpResponseRedirect(reverse("accounts:login"))
        if not self.user.mfa_enrolled:
            return HttpResponseRedirect(reverse("accounts:mfa_setup"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": MfaCodeForm(), "pending_user": self.user})

    def post(self, request):
        form = MfaCodeForm(request.POST)
        if form.is_valid():
            try:
                factor = account_mfa_verify(user=self.user, code=form.cleaned_data["code"])
            except AccountLocked:
                factor = None
            if not factor and self.user.is_locked():  # locked before, or by this attempt
                pending.clear(request)
                form.add_error(None, LOGIN_REFUSED)
                return render(request, self.template_name, {"form": form, "pending_user": None}, status=403)
            if factor:
                return HttpResponseRedirect(pending.finish(request, self.user, factor=factor))
            form.add_error("code", "动态口令不正确（连续 5 次错误将锁定账户 30 分钟）")
        return render(request, self.template_name, {"form": form, "pending_user": self.user})


@unscoped("绑定动态口令：只涉及本人账户")
class MfaSetupView(View):
    """Bind an authenticator: the QR code (drawn on the server) and the secret, then a code to prove it works,
    then the recovery codes, shown once. Reached between the password and the second factor by an account that
    must have one and has none, or by a signed-in account that chooses one."""

    template_name = "accounts/mfa_setup.html"
    SECRET_KEY = "_mfa_setup_secret"

    def dispatch(self, request, *args, **kwargs):
        self.pending_user = pending.user(request)
        self.user = self.pending_user or (request.user if request.user.is_authenticated else None)
        if self.user is None:
            return HttpResponseRedirect(reverse("accounts:login"))
        if self.user.mfa_enrolled:
            if self.pending_user is not None:
                return HttpResponseRedirect(reverse("accounts:mfa_verify"))
            messages.info(request, "已绑定动态口令；如需更换手机，请联系安全管理员重置")
            return HttpResponseRedirect(reverse("core:home"))
        return super().dispatch(request, *args, **kwargs)

    def secret(self) -> str:
        """The secret being enrolled, kept SM4-encrypted in the session until the first code confirms it."""
        stored = self.request.session.get(self.SECRET_KEY)
        if stored:
            return mfa.decrypt_secret(stored)
        secret = mfa.new_secret()
        self.request.session[self.SECRET_KEY] = mfa.encrypt_secret(secret)
        return secret

    def render_setup(self, form, status=200):
        secret = self.secret()
        uri = mfa.provisioning_uri(secret=secret, username=self.user.username)
        context = {"form": form, "secret": secret, "uri": uri, "qr": mark_safe(mfa.qr_svg(uri))}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_setup(MfaSetupForm())

    def post(self, request):
        form = MfaSetupForm(request.POST)
        if not form.is_valid():
            return self.render_setup(form)
        try:
            codes = account_mfa_enrol(user=self.user, secret=self.secret(), code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
            return self.render_setup(form)
        request.session.pop(self.SECRET_KEY, None)
        if self.pending_user is not None:
            self.user.refresh_from_db()
            next_url = pending.finish(request, self.user, factor="totp")
        else:
            next_url = reverse("core:home")
        return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next_url": next_url})


@unscoped("退出登录：只结束本人会话，并作废本人的 API 令牌")
class LogoutView(View):
    def post(self, request):
        idle = request.POST.get("reason") == "idle"
        if request.user.is_authenticated:
            account_logout(user=request.user, idle=idle)
        logout(request)
        return HttpResponseRedirect(reverse("accounts:login") + ("?idle=1" if idle else ""))


@unscoped("本人修改密码：只涉及本人账户")
class PasswordChangeView(auth_views.PasswordChangeView):
    """The own password. A wrong old password counts toward the lock (and the lock signs the user out); a
    one-time or expired password is changed here before anything else (``PasswordChangeRequiredMiddleware``)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_required"] = self.request.user.password_change_required()
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form):
        try:
            user = account_password_change(user=self.request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password2", error.messages)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改")
        next_url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form):
        if form.locked:
            logout(self.request)  # the lock ended every session of the account; this one ends now
            return HttpResponseRedirect(reverse("accounts:login") + "?ended=1")
        return super().form_invalid(form)


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        label="动态口令", required=False, allow_blank=True, help_text="已绑定动态口令的账户须提供（或一个恢复码）"
    )


@unscoped("API 令牌：以用户名、密码和动态口令换取本人的令牌，失败同样计入锁定")
class TokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        factor = ""
        if mfa_required_for(user):
            if not user.mfa_enrolled:
                return Response({"non_field_errors": ["请先在网页登录并绑定动态口令"]}, status=400)
            try:
                factor = account_mfa_verify(user=user, code=serializer.validated_data.get("otp", ""))
            except AccountLocked:
                factor = None
            if not factor:
                return Response({"non_field_errors": [LOGIN_REFUSED]}, status=400)
        if user.password_change_required():
            return Response({"non_field_errors": ["密码已过期或为初始/重置密码，请先在网页上修改密码"]}, status=400)
        token = account_token_issue(user=user)
        account_login_succeeded(user=user, via="api-token", second_factor=factor)
        return Response({"token": token.key})


class UserListView(ScopedListView):
    model = User
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"
    sort_fields = {"username": "username", "org": "org_unit__path", "last_login": "last_login"}
    default_sort = "org"
    export_title = "用户名单"
    export_personal_columns = ("姓名",)  # staff names: the export's audit row lists whose (core.pii_access)
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


def _done_message(request, result, done: str) -> None:
    """What a security administrator's action did: done at once, or filed for a second administrator."""
    if isinstance(result, AccountChangeRequest):
        messages.warning(
            request,
            f"{result.user.username} 是三员账户：已提交「{result.get_kind_display()}」，待另一名管理员复核后执行",
        )
    else:
        messages.success(request, done)


class UserActionView(ScopedFormView):
    """A security administrator's action on one account, through its service (which re-checks everything)."""

    model = User
    template_name = "accounts/user_action.html"
    title = ""
    submit_label = "确认"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["submit_label"] = self.submit_label
        return context

    def get_success_url_for(self, saved):
        return reverse("accounts:user_list")


class UserRolesView(UserActionView):
    """The security administrator assigns roles; the separation of the three administrators is enforced."""

    scope_action = "assign_roles"
    edits_object = True
    form_class = UserRolesForm
    template_name = "accounts/user_roles.html"

    def object_initial(self):
        return {"roles": sorted(self.object.role_codes)}

    def perform(self, form):
        result = user_set_roles(actor=self.request.user, user=self.object, role_codes=set(form.cleaned_data["roles"]))
        _done_message(self.request, result, f"已更新 {self.object.username} 的角色")
        return result


class UserUnlockView(UserActionView):
    scope_action = "unlock"
    form_class = ConfirmForm
    template_name = "accounts/user_roles.html"

    def perform(self, form):
        result = account_unlock(actor=self.request.user, user=self.object)
        _done_message(self.request, result, f"已解锁 {self.object.username}")
        return result


class UserPasswordResetView(UserActionView):
    """Only the security administrator resets another account's password: one-time, its sessions ended."""

    scope_action = "reset_password"
    form_class = PasswordResetForm
    title = "重置密码"
    submit_label = "重置为一次性密码"

    def perform(self, form):
        result = account_password_reset(
            actor=self.request.user, user=self.object, password=form.cleaned_data["new_password1"]
        )
        _done_message(self.request, result, f"已重置 {self.object.username} 的密码，其下次登录须修改密码")
        return result


class UserMfaResetView(UserActionView):
    scope_action = "reset_password"
    form_class = ConfirmForm
    title = "重置动态口令"
    submit_label = "确认重置（下次登录重新绑定）"

    def perform(self, form):
        result = account_mfa_reset(actor=self.request.user, user=self.object)
        _done_message(self.request, result, f"已重置 {self.object.username} 的动态口令")
        return result


class UserMoveView(UserActionView):
    """The security administrator moves an account to another org unit (also one that widens its scope)."""

    scope_action = "move"
    edits_object = True
    form_class = UserMoveForm
    title = "调整所属机构"
    submit_label = "保存"

    def object_initial(self):
        return {"org_unit": self.object.org_unit_id}

    def perform(self, form):
        org_unit = form.cleaned_data["org_unit"]
        if org_unit.pk == self.object.org_unit_id:
            return self.object
        result = user_move(actor=self.request.user, user=self.object, org_unit=org_unit)
        _done_message(self.request, result, f"已将 {self.object.username} 调至 {org_unit}")
        return result


class AccountChangeListView(ScopedListView):
    """Changes to the accounts of the three administrators, waiting for (or decided by) a second one."""

    model = AccountChangeRequest
    template_name = "accounts/change_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("user", "requested_by", "decided_by")


class AccountChangeDecideView(ScopedFormView):
    model = AccountChangeRequest
    scope_action = "approve"
    form_class = AccountChangeDecideForm
    template_name = "accounts/change_decide.html"

    def perform(self, form):
        if form.cleaned_data["decision"] == "approve":
            change = account_change_approve(actor=self.request.user, change=self.object)
            messages.success(self.request, f"已复核并执行：{change}")
        else:
            change = account_change_reject(actor=self.request.user, change=self.object)
            messages.info(self.request, f"已驳回：{change}")
        return change

    def get_success_url_for(self, saved):
        return reverse("accounts:change_list")


@unscoped("管理后台登录：统一转到平台登录页，失败同样计入锁定，成功同样审计")
class AdminLoginRedirectView(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return f"{reverse('accounts:login')}?{urlencode({'next': self.request.GET.get('next', '/admin/')})}"
