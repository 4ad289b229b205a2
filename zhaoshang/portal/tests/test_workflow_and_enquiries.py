"""Issue 21: a bureau marks, the level above approves, withdrawal is immediate, all audited; an enquiry becomes a lead
of the right county through project_create, with a reply-by date and a reference, behind spam checks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import client_for, persona
from zhaoshang.portal import services
from zhaoshang.portal.choices import AuditAction, PublicationStatus
from zhaoshang.portal.models import Enquiry, ProfileSection, ProjectListing
from zhaoshang.portal.tests.conftest import enquiry_data, stamp
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


def pending_lufeng_listing():
    return ProjectListing.objects.pending().get(project__county__code="532302")


def test_only_the_level_above_approves_and_the_public_page_names_the_publisher(client, portal):
    listing = pending_lufeng_listing()
    for name in ("lufeng_officer", "kunming_officer"):
        with pytest.raises(PermissionDenied):
            services.publication_approve(actor=persona(name), item=listing)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.publication_approve(actor=persona("chuxiong_officer"), item=listing)
    listing.refresh_from_db()
    assert listing.status == PublicationStatus.PUBLISHED and listing.approved_by == persona("chuxiong_officer")
    page = client.get(f"/invest/projects/{listing.project_id}/").content.decode()
    assert f"发布：{persona('lufeng_officer').org_unit.name}，{listing.published_at:%Y-%m-%d}" in page
    actions = list(
        AuditLog.objects.filter(object_id=str(listing.pk), object_type="portal.ProjectListing")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.MARK, AuditAction.APPROVE]


def test_withdrawal_through_the_desk_is_immediate_and_audited(client, portal):
    listing = ProjectListing.objects.published().filter(project__county__code="532302").first()
    assert client.get(f"/invest/projects/{listing.project_id}/").status_code == 200
    officer = client_for(client, "lufeng_officer")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = officer.post(f"/portal/listing/{listing.pk}/withdraw/", {"note": "项目已落地"})
    assert response.status_code == 302
    client.logout()
    assert client.get(f"/invest/projects/{listing.project_id}/").status_code == 404
    assert AuditLog.objects.filter(object_id=str(listing.pk), action=AuditAction.WITHDRAW).count() == 1


def test_a_bureau_cannot_mark_or_withdraw_outside_its_jurisdiction(client, portal):
    listing = ProjectListing.objects.published().filter(project__county__code="532302").first()
    kunming = client_for(client, "kunming_officer")
    assert kunming.post(f"/portal/listing/{listing.pk}/withdraw/").status_code == 404
    assert kunming.get(f"/portal/projects/{listing.project_id}/publish/").status_code == 404
    assert ProjectListing.objects.get(pk=listing.pk).status == PublicationStatus.PUBLISHED


def test_an_enquiry_becomes_a_lead_of_the_projects_county_with_reply_by_and_reference(client, portal):
    listing = ProjectListing.objects.published().filter(project__county__code="532302").first()
    response = client.post(f"/en/invest/projects/{listing.project_id}/", enquiry_data())
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert response["Location"] == f"/en/invest/enquiry/{enquiry.reference}/"
    assert enquiry.reference in client.get(response["Location"]).content.decode()
    lead = enquiry.lead
    assert lead.stage == Stage.LEAD and lead.county.code == "532302" and lead.investor.name == "深圳新材科技有限公司"
    assert enquiry.reply_by > enquiry.created_at.date() and enquiry.name == "王晓明"
    assert Project.objects.for_user(persona("lufeng_officer")).filter(pk=lead.pk).exists()
    assert Project.objects.for_user(persona("chuxiong_officer")).filter(pk=lead.pk).exists()
    assert not Project.objects.for_user(persona("kunming_officer")).filter(pk=lead.pk).exists()
    for name, status in (("lufeng_officer", 200), ("chuxiong_officer", 200), ("kunming_officer", 404)):
        client.logout()
        officer = client_for(client, name)
        assert officer.get(f"/portal/enquiries/{enquiry.pk}/").status_code == status
        page = officer.get(f"/projects/{lead.pk}/")
        assert page.status_code == status
        if status == 200:
            assert "13800138000" in page.content.decode() and f"{enquiry.reply_by:%Y-%m-%d}" in page.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.ENQUIRY, object_id=str(enquiry.pk)).count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"website": "http://spam.example"}, "The form could not be accepted"),
        ({"stamp": lambda: stamp(seconds_ago=0)}, "That was very fast"),
        ({"stamp": "forged:stamp"}, "The page has expired"),
        ({"consent": ""}, "Please consent"),
    ],
)
def test_spam_checks_refuse_without_creating_anything(client, portal, overrides, message):
    listing = ProjectListing.objects.published().first()
    leads = Project.objects.count()
    overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
    response = client.post(f"/en/invest/projects/{listing.project_id}/", enquiry_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Enquiry.objects.count() == 0 and Project.objects.count() == leads


def test_an_address_is_limited_to_a_few_enquiries(client, portal):
    listing = ProjectListing.objects.published().first()
    url = f"/invest/projects/{listing.project_id}/"
    statuses = [client.post(url, enquiry_data(), REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 400]
    assert client.post(url, enquiry_data(), REMOTE_ADDR="203.0.113.10").status_code == 302
    assert Enquiry.objects.count() == 4


def test_an_enquiry_about_a_park_goes_to_its_county(client, portal):
    response = client.post("/invest/parks/S539053/", enquiry_data())
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.lead.park.code == "S539053" and enquiry.path.startswith("530000/532300/532302/")


def test_a_county_marks_a_guide_section_from_the_desk_and_its_prefecture_approves_it(client, portal):
    officer = client_for(client, "lufeng_officer")
    assert (
        officer.get("/portal/?region=532302&kind=logistics")["Location"] == "/portal/regions/532302/logistics/publish/"
    )
    assert officer.get("/portal/?region=530100&kind=logistics").status_code == 200  # not in scope: the desk again
    response = officer.post(
        "/portal/regions/532302/logistics/publish/",
        {"text": "禄丰距昆明约90公里。", "text__en": "Lufeng is 90 km from Kunming."},
    )
    assert response.status_code == 302
    assert "Lufeng is 90 km" not in client.get("/en/invest/regions/532302/").content.decode()
    client.logout()
    prefecture = client_for(client, "chuxiong_officer")
    desk = prefecture.get("/portal/").content.decode()
    section = ProfileSection.objects.get(region__code="532302", kind="logistics")
    assert f"/portal/section/{section.pk}/approve/" in desk
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert prefecture.post(f"/portal/section/{section.pk}/approve/").status_code == 302
    client.logout()
    assert "Lufeng is 90 km from Kunming." in client.get("/en/invest/regions/532302/").content.decode()


def test_the_audit_trail_reads_the_publication_rows_in_words(client, portal):
    row = AuditLog.objects.filter(action=AuditAction.APPROVE).latest("id")
    page = client_for(client, "audit_admin").get(f"/audit/{row.pk}/").content.decode()
    assert "审核通过对外发布" in page and "发布状态" in page  # the audit administrator reads business values masked


def test_the_desk_exports_its_jurisdictions_content_with_typed_times_and_an_audit_row(client, portal):
    from io import BytesIO

    from openpyxl import load_workbook

    from zhaoshang.core.choices import Action

    lufeng = ProjectListing.objects.for_user(persona("lufeng_officer"))
    response = client_for(client, "lufeng_officer").get("/portal/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    listed = {row[1] for row in rows if row[0] == "招商项目发布"}
    assert listed == {listing.title for listing in lufeng} and listed
    assert all(row[4] is None or hasattr(row[4], "year") for row in rows), "标记时间 is a date cell, not text"
    kunming = client_for(client, "kunming_officer").get("/portal/?export=xlsx")
    kunming_titles = {row[1] for row in load_workbook(BytesIO(kunming.content)).active.iter_rows(values_only=True)}
    assert not listed & kunming_titles
    assert AuditLog.objects.filter(action=Action.EXPORT, object_type="portal.ProjectListing").count() == 2
