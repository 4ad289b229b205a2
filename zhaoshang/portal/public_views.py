"""The public site (投资云南): no login, only published content, in the language of the URL. Every view here is
declared public with ``public_page`` (which caches it) or ``unscoped``; none reads a user's scope."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from zhaoshang.core.context import current
from zhaoshang.core.views import unscoped
from zhaoshang.portal import selectors
from zhaoshang.portal.cache import CSRF_MARKER, STAMP_MARKER, public_page
from zhaoshang.portal.choices import SOURCE_LANGUAGE, SectionKind
from zhaoshang.portal.forms import EnquiryForm
from zhaoshang.portal.models import Enquiry
from zhaoshang.portal.services import enquiry_submit
from zhaoshang.regions import geo

PUBLIC = "公开的投资云南网站：只显示各级部门已发布并经上级审核的内容，不含个人信息"


def _context(request, **extra) -> dict:
    language = get_language() or SOURCE_LANGUAGE
    path = request.get_full_path()
    alternates = [(code, request.build_absolute_uri(translate_url(path, code))) for code, _name in settings.LANGUAGES]
    return {
        "alternates": alternates,
        "language": language,
        "english": language != SOURCE_LANGUAGE,
        "region_names": selectors.region_names(language),
        "csrf_marker": CSRF_MARKER,
        "stamp_marker": STAMP_MARKER,
        "section_kinds": dict(SectionKind.choices),
        **extra,
    }


def _region_or_404(code: str):
    region = selectors.region_by_code(code)
    if region is None:
        raise Http404
    return region


@require_GET
@public_page(PUBLIC)
def home(request):
    province = _region_or_404(selectors.PROVINCE_CODE)
    context = _context(
        request,
        region=province,
        sections=selectors.public_sections(province),
        children=selectors.child_regions(province),
        listings=selectors.public_listings()[:12],
        parks=selectors.public_parks()[:12],
        book_code=province.code,
    )
    return render(request, "portal/home.html", context)


@require_GET
@public_page(PUBLIC)
def region(request, code):
    region = _region_or_404(code)
    if region.level == 1:
        return HttpResponseRedirect(reverse("portal:home"))
    context = _context(
        request,
        region=region,
        sections=selectors.public_sections(region),
        children=selectors.child_regions(region) if region.level == 2 else [],
        listings=selectors.public_listings(region),
        parks=selectors.public_parks(region),
        book_code=region.code if region.level == 2 else "",
    )
    return render(request, "portal/region.html", context)


@require_GET
@public_page(PUBLIC)
def park_list(request):
    return render(request, "portal/park_list.html", _context(request, parks=selectors.public_parks()))


@require_GET
@public_page(PUBLIC)
def project_list(request):
    region = selectors.region_by_code(request.GET.get("region", "")) if request.GET.get("region") else None
    listings = selectors.public_listings(region)
    return render(request, "portal/project_list.html", _context(request, listings=listings, region=region))


@require_GET
@public_page(PUBLIC)
def policies(request):
    return render(request, "portal/policies.html", _context(request, sections=selectors.public_policy_sections()))


@require_http_methods(["GET", "HEAD", "POST"])
@public_page(PUBLIC)
def project(request, pk):
    listing = selectors.public_listing(pk)
    if listing is None:
        raise Http404
    return _with_enquiry(request, "portal/project.html", {"listing": listing}, listing=listing)


@require_http_methods(["GET", "HEAD", "POST"])
@public_page(PUBLIC)
def park(request, code):
    profile = selectors.public_park(code)
    if profile is None:
        raise Http404
    listings = selectors.public_listings().filter(project__park=profile.park)
    return _with_enquiry(request, "portal/park.html", {"profile": profile, "listings": listings}, park_profile=profile)


def _with_enquiry(request, template: str, extra: dict, **target):
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            enquiry = enquiry_submit(
                name=form.cleaned_data["name"],
                company=form.cleaned_data["company"],
                contact=form.cleaned_data["contact"],
                message=form.cleaned_data["message"],
                language=get_language() or SOURCE_LANGUAGE,
                address=current.get().ip,
                **target,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            return HttpResponseRedirect(reverse("portal:enquiry_sent", args=[enquiry.reference]))
    status = 400 if request.method == "POST" else 200
    return render(request, template, _context(request, form=form, **extra), status=status)


@require_GET
@unscoped("咨询提交后的回执：只显示咨询编号和答复期限，不含个人信息")
def enquiry_sent(request, reference):
    enquiry = Enquiry.objects.filter(reference=reference).select_related("listing", "park_profile__park").first()
    if enquiry is None:
        raise Http404
    return render(request, "portal/enquiry_sent.html", _context(request, enquiry=enquiry))


@require_GET
@public_page("已发布园区的图片（上传时已缩小并去除拍摄信息）")
def park_photo(request, code):
    profile = selectors.public_park(code)
    if profile is None or not profile.photo:
        raise Http404
    with profile.photo.open("rb") as handle:
        return HttpResponse(handle.read(), content_type="image/jpeg")


@require_GET
@public_page(PUBLIC)
def map_points(request):
    return JsonResponse({"parks": selectors.map_points(get_language())}, json_dumps_params={"ensure_ascii": False})


@require_GET
@public_page("云南省州市边界（公开的参考地理数据）")
def geo_province(request):
    return HttpResponse(geo.prefectures_geojson(), content_type="application/geo+json")


@require_GET
@public_page("州市内县市区边界（公开的参考地理数据）")
def geo_prefecture(request, code):
    content = geo.counties_geojson(code)
    if content is None:
        raise Http404
    return HttpResponse(content, content_type="application/geo+json")


@require_GET
@public_page(PUBLIC)
def book(request, code, fmt):
    from zhaoshang.portal.book import book_docx, book_pdf

    region = _region_or_404(code)
    if region.level > 2:
        raise Http404
    listings = list(selectors.public_listings(region))
    names = selectors.region_names(get_language())
    if fmt == "pdf":
        content, content_type = book_pdf(region=region, listings=listings, names=names), "application/pdf"
    else:
        from zhaoshang.core.documents import DOCX_TYPE

        content, content_type = book_docx(region=region, listings=listings, names=names), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="investment-projects-{region.code}.{fmt}"'
    return response


@require_GET
@unscoped("robots.txt：公开网站的抓取规则")
def robots(request):
    lines = ["User-agent: *", "Allow: /invest/", "Allow: /en/invest/", "Disallow: /"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@public_page("站点地图：公开网站已发布页面的地址")
def sitemap(request):
    from zhaoshang.portal.choices import CONTENT_LANGUAGES

    def addresses():
        yield reverse("portal:home"), None
        yield reverse("portal:park_list"), None
        yield reverse("portal:project_list"), None
        yield reverse("portal:policies"), None
        for region in selectors.Region.objects.filter(level__in=(2, 3)).order_by("code"):
            yield reverse("portal:region", args=[region.code]), None
        for profile in selectors.public_parks():
            yield reverse("portal:park", args=[profile.park.code]), profile.published_at
        for listing in selectors.public_listings():
            yield reverse("portal:project", args=[listing.project_id]), listing.published_at

    entries = []
    languages = [SOURCE_LANGUAGE, *CONTENT_LANGUAGES]
    for path, modified in addresses():
        for language in languages:  # the paths are reversed in the request's language, then translated
            entries.append((request.build_absolute_uri(translate_url(path, language)), modified))
    context = {"entries": entries}
    return render(request, "portal/sitemap.xml", context, content_type="application/xml")


def not_found(request):
    """The public site's own 404, in the language of its address, with the way back to the guide."""
    language = "en" if request.path.startswith("/en/") else SOURCE_LANGUAGE
    with translation.override(language):
        return render(request, "portal/404.html", _context(request), status=404)
