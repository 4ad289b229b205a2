from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views import View
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from zhaoshang.accounts.forms import LoginForm
from zhaoshang.accounts.services import account_login_succeeded
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.views import unscoped


@unscoped("登录页：尚未登录，不显示任何辖区数据")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        account_login_succeeded(user=form.get_user(), via="web")
        return response


@unscoped("退出登录：只结束本人会话")
class LogoutView(View):
    def post(self, request):
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=Action.LOGOUT, obj=request.user)
        logout(request)
        return HttpResponseRedirect(reverse("accounts:login"))


@unscoped("API 令牌：以用户名密码换取本人的令牌，失败同样计入锁定")
class TokenView(ObtainAuthToken):
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        account_login_succeeded(user=user, via="api-token")
        return Response({"token": token.key})
