"""Issue 21: the public site shows only what was published, in Chinese and English, and never personal data."""

import io
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils import translation
from docx import Document

from zhaoshang.core.testing import persona
from zhaoshang.investors.models import Contact, Enterprise
from zhaoshang.portal import services
from zhaoshang.portal.models import PUBLIC_CONTACT_FIELDS, Enquiry, ParkProfile, ProjectListing, Publishable
from zhaoshang.portal.tests.conftest import enquiry_data

pytestmark = pytest.mark.django_db

PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def personal_values() -> set[str]:
    """Every phone number and e-mail address stored anywhere in our tables (personal fields decrypted), except the
    public contacts a bureau chose for publication."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("zhaoshang."):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not (issubclass(model, Publishable) and f.name in PUBLIC_CONTACT_FIELDS)
        ]
        if not fields:
            continue
        for row in _rows(model, fields):
            for value in row:
                if isinstance(value, str) and value:
                    found.update(m.group(0) for m in PHONE.finditer(value))
                    found.update(m.group(0) for m in EMAIL.finditer(value))
    return found


def _rows(model, fields):
    # Through the model (not values_list), so that encrypted personal fields come back decrypted.
    for obj in model._base_manager.all().iterator():
        yield [getattr(obj, name) for name in fields]


def public_urls() -> list[str]:
    """Every route of the public site, filled with the published objects, in both languages, and the site files."""
    enquiry = Enquiry.objects.first()
    values = {
        "pk": [str(p) for p in ProjectListing.objects.published().values_list("project_id", flat=True)],
        "code": [
            "530000",
            "532300",
            "532302",
            "530100",
            *ParkProfile.objects.published().values_list("park__code", flat=True),
        ],
        "reference": [enquiry.reference],
        "fmt": ["pdf", "docx"],
    }
    urls = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for name in _route_names():
                for args in _arguments(name, values):
                    try:
                        urls.add(reverse(f"portal:{name}", kwargs=args))
                    except NoReverseMatch:  # a park code on the book route, and the like
                        continue
    return sorted(urls) + ["/robots.txt", "/sitemap.xml"]


def _route_names() -> list[str]:
    from zhaoshang.portal import public_urls as module

    return [p.name for p in module.urlpatterns if isinstance(p, URLPattern)]


def _arguments(name, values):
    from zhaoshang.portal import public_urls as module

    pattern = next(p for p in module.urlpatterns if p.name == name)
    keys = list(pattern.pattern.regex.groupindex)
    if not keys:
        return [{}]
    combos = [{}]
    for key in keys:
        combos = [c | {key: v} for c in combos for v in values[key]]
    return combos


def page_text(response) -> str:
    content_type = response.get("Content-Type", "")
    if content_type == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "wordprocessingml" in content_type:
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    return response.content.decode()


def test_no_public_page_shows_a_phone_number_or_email_that_is_not_a_published_contact(client, portal):
    lufeng = persona("lufeng_officer")
    lufeng.phone = "13912345678"
    lufeng.save()
    enterprise = Enterprise.objects.first() or Enterprise.objects.create(name="演示投资方有限公司")
    Contact.objects.create(enterprise=enterprise, name="李四", phone="13698765432", email="lisi@example.com")
    listing = ProjectListing.objects.published().filter(project__county__code="532302").first()
    client.post(reverse("portal:project", args=[listing.project_id]), enquiry_data(contact="enquirer@example.org"))
    secrets = personal_values()
    assert {"13912345678", "13698765432", "lisi@example.com", "enquirer@example.org"} <= secrets
    assert [e.contact for e in Enquiry.objects.all()] == ["enquirer@example.org"]
    leaks, shown_pages = {}, 0
    for url in public_urls():
        response = client.get(url, follow=True)  # the province's region page redirects to the home page
        assert response.status_code in (200, 404), url  # 404: a park's code on a region route, a county's book
        if response.status_code == 404:
            continue
        shown_pages += 1
        text = page_text(response)
        if shown := [value for value in secrets if value in text]:
            leaks[url] = shown
    assert leaks == {}
    assert shown_pages > 30
    # the published office lines are shown (the search above would find them if they were not excluded)
    assert "0878-4121888" in client.get(reverse("portal:project", args=[listing.project_id])).content.decode()


def test_an_unpublished_or_withdrawn_project_is_not_found(client, portal):
    pending = ProjectListing.objects.pending().get()
    assert client.get(f"/invest/projects/{pending.project_id}/").status_code == 404
    assert client.get(f"/en/invest/projects/{pending.project_id}/").status_code == 404
    listing = ProjectListing.objects.published().filter(project__county__code="532302").first()
    url = f"/en/invest/projects/{listing.project_id}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Portal-Cache"] == "hit"
    region_page = client.get("/invest/regions/532302/").content.decode()
    assert listing.title in region_page
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.publication_withdraw(actor=persona("lufeng_officer"), item=listing)
    assert client.get(url).status_code == 404
    assert listing.title not in client.get("/invest/regions/532302/").content.decode()
    assert pending.title not in client.get("/invest/projects/").content.decode()


def test_english_page_says_when_a_text_has_no_english_version(client, portal):
    page = client.get("/en/invest/regions/532300/").content.decode()
    assert "Chuxiong Yi Autonomous Prefecture" in page
    assert "No English version of this text yet" in page  # the logistics section has Chinese only
    assert 'lang="zh"' in page
    chinese = client.get("/invest/regions/532300/").content.decode()
    assert "No English version" not in chinese and "楚雄州位于昆明以西" in chinese


def test_pages_have_titles_descriptions_and_language_alternates(client, portal):
    page = client.get("/en/invest/regions/532302/").content.decode()
    assert "<title>Lufeng City · Investment guide · Invest in Yunnan</title>" in page
    assert '<meta name="description" content="Investment guide to Lufeng City' in page
    assert 'hreflang="zh-Hans" href="http://testserver/invest/regions/532302/"' in page
    sitemap = client.get("/sitemap.xml").content.decode()
    listing = ProjectListing.objects.published().first()
    assert f"http://testserver/en/invest/projects/{listing.project_id}/" in sitemap
    assert f"/invest/projects/{ProjectListing.objects.pending().get().project_id}/" not in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /" in robots


def test_the_chuxiong_project_book_pdf_has_its_chinese_text(client, portal):
    response = client.get("/invest/book/532300.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = page_text(response)
    assert "楚雄彝族自治州招商项目册" in text
    assert "禄丰钛材深加工项目" in text and "楚雄光伏组件配套项目" in text
    assert "禄丰新型建材产业园项目" not in text  # marked, not approved
    docx = client.get("/en/invest/book/532300.docx")
    section = Document(io.BytesIO(docx.content)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), round(section.top_margin.mm)) == (210, 297, 37)
    word = page_text(docx)
    assert "Investment projects of Chuxiong Yi Autonomous Prefecture" in word
    assert "Lufeng titanium deep-processing project" in word


def test_the_park_map_reads_the_boundaries_shipped_with_the_platform(client, portal):
    points = client.get("/en/invest/map/parks.json").json()["parks"]
    assert {p["name"] for p in points} >= {"Yunnan Lufeng Industrial Park"}
    assert client.get("/invest/geo/yunnan.json")["Content-Type"] == "application/geo+json"
    page = client.get("/invest/parks/").content.decode()
    assert 'data-province-geo="/invest/geo/yunnan.json"' in page and "http" not in page.split("data-points")[1][:80]


def test_a_missing_public_page_answers_in_the_public_sites_own_layout_and_language(client, portal):
    chinese = client.get("/invest/projects/999999999/")
    assert chinese.status_code == 404
    page = chinese.content.decode()
    assert 'id="public-not-found"' in page and "返回投资指南首页" in page and "退出" not in page
    english = client.get("/en/invest/no-such-page/")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode() and 'lang="en"' in english.content.decode()
    internal = client.get("/projects/999999999/")
    assert 'id="public-not-found"' not in internal.content.decode()


def test_the_english_site_names_every_prefecture_in_english_and_keeps_a_bureaus_own_name(client, portal):
    import re

    from zhaoshang.portal.models import RegionName
    from zhaoshang.portal.reference import load_region_names
    from zhaoshang.regions.models import Region

    row = RegionName.objects.get(region__code="532300")
    row.translations = {"en": "Chuxiong Prefecture (bureau's own)"}
    row.save()
    load_region_names()
    assert RegionName.objects.get(region__code="532300").translations["en"] == "Chuxiong Prefecture (bureau's own)"
    english = {r.region.code: r.translations["en"] for r in RegionName.objects.filter(region__level__lte=2)}
    assert set(english) == set(Region.objects.filter(level__lte=2).values_list("code", flat=True))
    page = client.get("/en/invest/").content.decode()
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    for prefecture in Region.objects.filter(level=2):
        assert prefecture.name not in text, prefecture.name
