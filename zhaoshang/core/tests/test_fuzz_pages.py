"""Issue 13 items 6 and 7 on the pages: no address, query and no form post gives a server error, whatever is typed.

Every page without arguments and every page about one object (a project, its ledger entry, a park, an enterprise,
an activity) is requested with hostile query values (20-digit years, dates of year 1, huge and non-finite
numbers, a right-to-left mark, a 5,000-character string); every form found on them is posted with hostile values in
all fields at once and in each number, date or choice field alone, as a browser posts a form. A 4xx or the form
again with its errors is fine; a 5xx fails. (The API is fuzzed by schemathesis: test_api_contract.py.)"""

import logging
from urllib.parse import urlencode

import pytest
from django import forms
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.core.testing import client_for

pytestmark = pytest.mark.django_db

QUERY_VALUES = ["99999999999999999999", "0001-01-01", "1e999999", "\u202e" + "a" * 5000]
QUERY_NAMES = ["year", "month", "page", "page_size", "q", "sort", "region", "indicator", "stage", "county", "park"]
QUERY_NAMES += ["industry", "due", "kind", "on", "level", "status", "a", "b", "parent", "into", "start", "end"]
FORM_VALUES = ["99999999999999999999", "-99999999999999999999.99", "99999999999999999999-01-01", "1e999999"]
FORM_VALUES += ["NaN", "1900-01", "\x07", "a" * 3000, ""]
SKIPPED = ("logout", "admin/", "api/", "static/")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def page_urls() -> list[str]:
    from zhaoshang.investors.models import Activity, Enterprise
    from zhaoshang.projects.models import FundingEntry, Project
    from zhaoshang.regions.models import Park

    project = Project.objects.filter(first_signed_on__isnull=False).order_by("id").first()
    objects = {
        "projects/<int:pk>/": project,
        "projects/<int:project_pk>/": project,
        "funds/<int:pk>/": FundingEntry.objects.filter(project=project).first(),
        "parks/<int:pk>/": Park.objects.order_by("id").first(),
        "enterprises/<int:pk>/": Enterprise.objects.order_by("id").first(),
        "activities/<int:pk>/": Activity.objects.order_by("id").first(),
    }
    urls = []
    for route in sorted(set(walk(get_resolver().url_patterns))):
        if "(?P" in route or "^" in route or route.startswith(SKIPPED) or "logout" in route:
            continue
        if "<" not in route:
            urls.append("/" + route)
            continue
        for prefix, obj in objects.items():
            if route.startswith(prefix) and obj is not None and route.count("<") == 1:
                urls.append("/" + route.replace(prefix.split("/")[1], str(obj.pk), 1))
    return urls


def posted(client, url: str, data: dict):
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def test_no_page_query_or_form_post_gives_a_server_error(client):
    call_command("seed_demo", projects=30, seed=13, verbosity=0)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    try:
        client_for(client, "province_admin")
        urls = page_urls()
        errors, form_pages = [], []
        for url in urls:
            for value in QUERY_VALUES:
                if (status := client.get(url, dict.fromkeys(QUERY_NAMES, value)).status_code) >= 500:
                    errors.append(f"GET {url} ?…={value[:20]!r}: {status}")
            page = client.get(url)
            form = page.context.get("form") if page.status_code == 200 and page.context else None
            if form is None or not hasattr(form, "fields"):
                continue
            form_pages.append(url)
            names = [form.add_prefix(name) for name in form.fields]
            for value in FORM_VALUES:
                if (status := posted(client, url, dict.fromkeys(names, value)).status_code) >= 500:
                    errors.append(f"POST {url} all={value[:20]!r}: {status}")
            # Each number, date and choice field alone (text fields take anything; the posts above cover them).
            for name, field in form.fields.items():
                if isinstance(field, forms.CharField):
                    continue
                value = "0001-01-01" if isinstance(field, forms.DateField) else "99999999999999999999"
                if (status := posted(client, url, {form.add_prefix(name): value}).status_code) >= 500:
                    errors.append(f"POST {url} {name}={value!r}: {status}")
            client_for(client, "province_admin")  # a form may have signed the user out (the password page)
    finally:
        logging.getLogger("django.request").setLevel(logging.NOTSET)
    assert len(urls) > 50 and len(form_pages) > 20, (len(urls), form_pages)
    assert errors == []
