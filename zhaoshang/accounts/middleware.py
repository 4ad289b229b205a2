"""An account whose password is one-time (initial or reset) or older than PASSWORD_MAX_AGE_DAYS changes it before
anything else: every page sends it to the password form, and the API answers 403 for a session."""

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

# What such a session may still reach: the password form, signing out, the second factor, static files.
ALLOWED_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/accounts/mfa/", "/admin/logout/", "/static/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user.password_change_required()
        ):
            message = "密码已过期或为初始/重置密码，须先修改密码"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403, json_dumps_params={"ensure_ascii": False})
            target = reverse("accounts:password_change")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
