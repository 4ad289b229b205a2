"""Control characters are refused on input, in one place for every channel (issue 13 item 6).

- Every text field of every Django form (pages, admin, filters) and of every DRF serializer (the API) refuses
  them with a field error: ``install_text_field_guards`` adds the check to the two base classes' ``to_python`` /
  ``to_internal_value``, so forms and serializers written later are covered without opting in, whenever their
  fields were created. Tab, line feed and carriage return stay allowed (text areas).
- Addresses and query strings carrying them, and form or JSON bodies carrying a NUL, are refused with 400 before
  any view runs (``ControlCharacterMiddleware``): search boxes, sort keys, filters, codes looked up and path
  segments reach the database or the file system directly, and PostgreSQL fails on a NUL (a 500 before).

Excel exports strip them from rows stored before (``core.excel.strip_control``)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from rest_framework import serializers

from zhaoshang.core.validators import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE

CODE = "control_characters"


def install_text_field_guards() -> None:
    """Called once from ``CoreConfig.ready``; installing twice changes nothing. Also guards the lookups by code."""
    if getattr(forms.CharField.to_python, "control_guarded", False):
        return
    form_to_python = forms.CharField.to_python
    api_to_internal_value = serializers.CharField.to_internal_value

    def to_python(self, value):
        value = form_to_python(self, value)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code=CODE)
        return value

    def to_internal_value(self, data):
        value = api_to_internal_value(self, data)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise serializers.ValidationError(CONTROL_CHARACTERS_MESSAGE, code=CODE)
        return value

    to_python.control_guarded = to_internal_value.control_guarded = True
    forms.CharField.to_python = to_python
    serializers.CharField.to_internal_value = to_internal_value
    _guard_lookups()


def _has_control_value(value) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in values)


def _guard_lookups() -> None:
    """A value looked up by a code (a county, a park, an industry: ``SlugRelatedField``, ``ModelChoiceField`` with
    ``to_field_name``) never reaches the database with a control character: "no such choice" instead, as for any
    unknown code. A NUL in such a lookup failed on PostgreSQL (a multipart body, which the middleware leaves to the
    upload handlers, got through to it)."""
    slug_to_internal_value = serializers.SlugRelatedField.to_internal_value
    choice_to_python = forms.ModelChoiceField.to_python
    multiple_check_values = forms.ModelMultipleChoiceField._check_values

    def slug_lookup(self, data):
        if _has_control_value(data):
            self.fail("invalid")
        return slug_to_internal_value(self, data)

    def choice_lookup(self, value):
        if _has_control_value(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return choice_to_python(self, value)

    def multiple_lookup(self, value):
        if _has_control_value(list(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""})
        return multiple_check_values(self, value)

    serializers.SlugRelatedField.to_internal_value = slug_lookup
    forms.ModelChoiceField.to_python = choice_lookup
    forms.ModelMultipleChoiceField._check_values = multiple_lookup


# A NUL escaped in JSON ("\u0000"), not preceded by an escaping backslash.
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _has_control(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def _body_has_nul(request) -> bool:
    """A NUL in a form or JSON body: PostgreSQL cannot compare or store it, and a lookup field (a code, a slug)
    would fail with a 500. Other control characters in bodies get a field error from the text fields instead."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    kind = request.content_type or ""
    if kind == "application/x-www-form-urlencoded":
        body = request.body
        return b"\x00" in body or b"%00" in body
    if kind == "application/json" or kind.endswith("+json"):
        body = request.body
        return b"\x00" in body or bool(JSON_NUL.search(body))
    return False


class ControlCharacterMiddleware:
    """400 for an address, query string or body that carries what no field may hold, before any view runs: a
    control character in the path or query string, a NUL in a form or JSON body. A cookie with one is dropped
    (a forged session cookie would otherwise reach the session table)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if _has_control(name) or _has_control(value)]:
            del request.COOKIES[name]
        if (
            _has_control(request.path)
            or any(_has_control(key) or any(_has_control(v) for v in values) for key, values in request.GET.lists())
            or _body_has_nul(request)
        ):
            message = "地址、查询条件或提交的内容中含有控制字符，请求未处理"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"reason": message}, status=400)
        return self.get_response(request)
