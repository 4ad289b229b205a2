"""Issue 21: park photos are resized on upload (and lose their metadata); enquirers' details are erased when their
retention period ends."""

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from zhaoshang.core.retention import pii_purge
from zhaoshang.core.testing import client_for, persona
from zhaoshang.portal import services
from zhaoshang.portal.models import Enquiry, ParkProfile
from zhaoshang.portal.tests.conftest import enquiry_data

pytestmark = pytest.mark.django_db


def big_photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (4000, 3000), (30, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("park.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_park_photo_is_resized_and_stripped_on_upload_and_shown_once_published(client, portal, tmp_path, settings):
    default = settings.STORAGES["default"] | {"OPTIONS": {"location": tmp_path}}
    settings.STORAGES = settings.STORAGES | {"default": default}
    park = ParkProfile.objects.get(park__code="S539053").park
    officer = client_for(client, "lufeng_officer")
    response = officer.post(
        f"/portal/parks/{park.pk}/publish/",
        {
            "positioning": "钛及钛合金",
            "land_ready": "",
            "standards": "",
            "public_phone": "0878-4121000",
            "photo": big_photo(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = ParkProfile.objects.get(park=park)
    stored = Image.open(profile.photo.open("rb"))
    assert max(stored.size) == services.PHOTO_MAX_PIXELS and not stored.getexif()
    client.logout()
    assert client.get("/invest/parks/S539053/photo.jpg").status_code == 404  # changed: waits for approval again
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.publication_approve(actor=persona("chuxiong_officer"), item=profile)
    assert client.get("/invest/parks/S539053/photo.jpg")["Content-Type"] == "image/jpeg"
    assert 'id="park-photo"' in client.get("/en/invest/parks/S539053/").content.decode()


def test_not_an_image_is_refused(client, portal):
    park = ParkProfile.objects.get(park__code="S539053").park
    officer = client_for(client, "lufeng_officer")
    fake = SimpleUploadedFile("park.jpg", b"not an image", content_type="image/jpeg")
    response = officer.post(f"/portal/parks/{park.pk}/publish/", {"positioning": "钛", "photo": fake})
    assert response.status_code == 200 and ParkProfile.objects.get(park=park).is_published


def test_an_enquirers_details_are_erased_after_the_retention_period(client, portal):
    from zhaoshang.portal.models import ProjectListing

    listing = ProjectListing.objects.published().first()
    assert client.post(f"/invest/projects/{listing.project_id}/", enquiry_data()).status_code == 302
    enquiry = Enquiry.objects.get()
    old = timezone.now() - timedelta(days=django_settings.PII_RETENTION_DAYS["enquiries"] + 1)
    Enquiry.objects.filter(pk=enquiry.pk).update(created_at=old)
    assert pii_purge()["网站投资咨询的联系人和联系方式"] == 1
    enquiry.refresh_from_db()
    assert enquiry.contact == "" and enquiry.name == "（已清理）" and enquiry.lead_id and enquiry.message
