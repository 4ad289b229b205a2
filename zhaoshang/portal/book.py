"""招商项目册 of the province or a prefecture: the published projects as a PDF (WeasyPrint, Noto CJK fonts, which
`make test` installs as fonts-noto-cjk) and as a Word book in 公文 layout (core.documents)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhaoshang.core.documents import document_bytes, gongwen_document
from zhaoshang.portal.choices import SOURCE_LANGUAGE
from zhaoshang.portal.templatetags.portal import investment, localized


def _rows(listings) -> list[dict]:
    rows = []
    for listing in listings:
        project = listing.project
        rows.append(
            {
                "title": localized(listing, "title"),
                "summary": localized(listing, "summary"),
                "industry": localized(listing, "industry"),
                "land": localized(listing, "land"),
                "investment": investment(listing.investment_wan),
                "mode": listing.get_cooperation_mode_display(),
                "place": " · ".join(filter(None, [project.county.name, project.park.name if project.park_id else ""])),
                "contact": " / ".join(filter(None, [listing.public_phone, listing.public_email])),
                "publisher": listing.publishing_org,
                "published": timezone.localtime(listing.published_at).date() if listing.published_at else None,
            }
        )
    return rows


def _title(region, names) -> str:
    return _("%(region)s招商项目册") % {"region": names.get(region.pk) or region.name}


def book_pdf(*, region, listings, names) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "portal/book.html",
        {
            "title": _title(region, names),
            "rows": _rows(listings),
            "today": timezone.localdate(),
            "english": (get_language() or SOURCE_LANGUAGE) != SOURCE_LANGUAGE,
        },
    )
    return HTML(string=html).write_pdf()


def book_docx(*, region, listings, names) -> bytes:
    document = gongwen_document()
    document.add_heading(_title(region, names), level=0)
    document.add_paragraph(_("编印日期：%(day)s") % {"day": timezone.localdate().isoformat()})
    for number, row in enumerate(_rows(listings), start=1):
        document.add_heading(f"{number}. {row['title'].text}", level=1)
        for label, value in (
            (_("所属产业"), row["industry"].text),
            (_("拟投资额"), row["investment"]),
            (_("合作方式"), row["mode"]),
            (_("项目地点"), row["place"]),
            (_("用地情况"), row["land"].text),
            (_("项目概况"), row["summary"].text),
            (_("联系方式"), row["contact"]),
            (_("发布单位"), row["publisher"]),
        ):
            if value:
                document.add_paragraph(f"{label}：{value}")
    if not listings:
        document.add_paragraph(_("暂无已发布的招商项目。"))
    return document_bytes(document)
