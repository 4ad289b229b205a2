"""Issue 13 item 1: every page is sent with a Content-Security-Policy that allows no inline script, and nothing the
platform serves needs one — no inline <script>, no on…= handler, no javascript: address in any template or page;
the platform's own scripts build no HTML from data without the one escaping helper (core/static/core/escape.js).

The browser side (hostile names in every chart and map, hovered, no script run, no violation reported) is in
dashboard/tests/test_xss_browser.py."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from zhaoshang.core.testing import client_for

ROOT = Path(settings.BASE_DIR) / "zhaoshang"
# Data blocks are not run (HTML spec "data block"; CSP governs script execution only): json_script writes these.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would refuse to run: inline scripts, handler attributes and
    javascript: addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src") and (values.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._inline_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


# Template source: the same, read before Django renders it ({% … %} and {{ … }} left as they are).
TEMPLATE_INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "on…= handler"),
    (re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I), "javascript: address"),
    (re.compile(r"\bhx-on(?::|-)", re.I), "hx-on handler (htmx evaluates it as code)"),
    (re.compile(r"""hx-vals\s*=\s*['"]\s*(?:js|javascript):""", re.I), "hx-vals js: (evaluated)"),
]


def project_templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.html") if "node_modules" not in p.parts)


def test_no_template_has_inline_script_handlers_or_javascript_addresses():
    offenders = [
        f"{path.relative_to(ROOT)}: {label}"
        for path in project_templates()
        for pattern, label in TEMPLATE_INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_template_check_catches_each_kind_of_inline_code():
    samples = [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<a class="x" href="javascript:history.back()">',
        '<div hx-on:click="x()">',
    ]
    assert all(any(p.search(s) for p, _ in TEMPLATE_INLINE) for s in samples)
    allowed = ['<script src="/static/core/app.js"></script>', '<script id="d" type="application/json">{}</script>']
    assert not any(p.search(s) for p, _ in TEMPLATE_INLINE for s in allowed)
    assert inline_code('<script>x()</script><img src=x onerror="y()"><a href=" JavaScript:z()">') == [
        "<script>x()…",
        "<img onerror=…>",
        "<a href= JavaScript:z()>",
    ]


# The platform's own scripts (not the vendored libraries): HTML is built from data only through escapeHtml.
RAW_HTML_SINKS = re.compile(r"\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function")


def project_scripts() -> list[Path]:
    return sorted(p for p in ROOT.rglob("static/**/*.js") if "vendor" not in p.parts)


def test_project_scripts_write_no_raw_html_and_every_chart_formatter_escapes():
    scripts = project_scripts()
    assert scripts, "the platform's scripts were not found"
    sinks = [f"{p.relative_to(ROOT)}" for p in scripts if RAW_HTML_SINKS.search(p.read_text(encoding="utf-8"))]
    assert sinks == []
    unescaped = [
        f"{p.relative_to(ROOT)}"
        for p in scripts
        if "formatter" in (text := p.read_text(encoding="utf-8")) and "escapeHtml(" not in text
    ]
    assert unescaped == [], "an ECharts formatter returns HTML: escape every value with escapeHtml (core/escape.js)"


def test_the_escaping_helper_is_loaded_once_on_every_page_before_the_page_scripts():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    helper = base.index("core/escape.js")
    assert base.count("core/escape.js") == 1
    assert helper < base.index("{% block scripts %}")
    others = [p for p in project_templates() if p.name != "base.html"]
    assert all("core/escape.js" not in p.read_text(encoding="utf-8") for p in others)


# Pages: every HTML response carries the policy, and nothing in it needs inline script.
def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and not entry.pattern.converters:
            route = prefix + str(entry.pattern)
            if "(?P<" not in route and "^" not in route and "<" not in route:
                yield "/" + route


def assert_strict_policy(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], f"{url}: {policy!r}"
    script = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, f"{url}: {policy!r}"
    assert directives.get("object-src") == ["'none'"] and directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("base-uri") == ["'none'"], f"{url}: {policy!r}"


def html_pages(client, urls):
    for url in urls:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            yield url, response


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_needs_no_inline_script(client):
    urls = sorted(set(walk(get_resolver().url_patterns)))
    anonymous = list(html_pages(client, ["/accounts/login/", "/no-such-page/", *urls]))
    client_for(client, "province_admin")
    signed_in = list(html_pages(client, [*urls, "/no-such-page/", "/admin/", "/api/docs/"]))
    pages = anonymous + signed_in
    assert len(signed_in) > 20, [url for url, _ in signed_in]
    for url, response in pages:
        assert_strict_policy(response, url)
    offenders = {url: found for url, response in pages if (found := inline_code(response.content.decode()))}
    assert offenders == {}


@pytest.mark.django_db
def test_the_api_documentation_loads_its_script_from_a_file(client):
    client_for(client, "lufeng_officer")
    page = client.get("/api/docs/")
    assert page.status_code == 200 and inline_code(page.content.decode()) == []
    script = re.search(r'<script src="([^"]*script[^"]*)"', page.content.decode())
    assert script, "the Swagger UI set-up script is served as a file"
    loaded = client.get(script.group(1).replace("&amp;", "&"))
    assert loaded.status_code == 200 and b"SwaggerUIBundle" in loaded.content


@pytest.mark.django_db
def test_a_json_response_and_a_download_carry_the_policy_too(client):
    client_for(client, "lufeng_officer")
    for url in ("/api/v1/parks/", "/parks/?export=xlsx"):
        assert_strict_policy(client.get(url), url)
