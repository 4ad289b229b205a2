"""Publication (mark → approve or return → withdraw) and enquiries. Each write is one transaction with its audit
row; a publication change makes every cached public page stale once it commits."""

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.aftercare.workdays import add_workdays
from zhaoshang.core.audit import audit_record, to_json
from zhaoshang.core.audit import snapshot as core_snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import ensure_path_in_scope, path_within, user_node_path
from zhaoshang.portal.cache import invalidate_on_commit
from zhaoshang.portal.choices import AuditAction, PublicationStatus
from zhaoshang.portal.models import SITE_ACCOUNT, Enquiry, ParkProfile, ProfileSection, ProjectListing, Publishable

REPLY_WORKING_DAYS = 5  # an enquiry is answered within five working days (法定节假日 and 调休 counted)
RATE_WINDOW = timedelta(minutes=10)
RATE_LIMIT = 3  # enquiries kept per address within RATE_WINDOW
DAILY_LIMIT = 10  # and per day
PHOTO_MAX_PIXELS = 1600  # the longer side of a park photo as stored


def snapshot(item) -> dict:
    """The audit snapshot of a row (core.audit.snapshot), with a stored file as its name."""
    if not any(isinstance(f, FileField) for f in item._meta.concrete_fields):
        return core_snapshot(item)
    data = {}
    for field in item._meta.concrete_fields:
        value = getattr(item, field.attname)
        data[field.attname] = value.name if isinstance(field, FileField) else value
    return to_json(data)


def _clean_translations(item: Publishable, translations: dict | None) -> dict:
    """Only the item's translatable fields, stripped; a language with no text is left out (the page says so)."""
    from zhaoshang.portal.choices import CONTENT_LANGUAGES

    result = {}
    for language, texts in (translations or {}).items():
        if language not in CONTENT_LANGUAGES:
            raise ValidationError({"translations": f"不支持的语言：{language}"})
        kept = {f: str(t).strip() for f, t in (texts or {}).items() if f in item.translatable_fields and str(t).strip()}
        if kept:
            result[language] = kept
    return result


def _mark(*, actor, item: Publishable, node_path: str, before: dict | None, fields: dict) -> Publishable:
    ensure_path_in_scope(actor, node_path)
    for name, value in fields.items():
        setattr(item, name, value)
    item.path = node_path
    item.status = PublicationStatus.PENDING
    item.marked_by = item.updated_by = actor
    if item.pk is None:
        item.created_by = actor
    item.marked_at = timezone.now()
    item.publishing_org = actor.org_unit.name if getattr(actor, "org_unit_id", None) else ""
    item.approved_by, item.published_at, item.withdrawn_at, item.review_note = None, None, None, ""
    item.full_clean(exclude=["path", "photo"])
    item.save()
    audit_record(actor=actor, action=AuditAction.MARK, obj=item, before=before, after=snapshot(item))
    invalidate_on_commit()  # an item edited after publication is off the site until approved again
    return item


@transaction.atomic
def section_mark(*, actor, region, kind: str, text: str, translations: dict | None = None) -> ProfileSection:
    """Mark a section of a region's 投资指南 for publication (new, or changed: it waits for approval again)."""
    item = ProfileSection.objects.select_for_update().filter(region=region, kind=kind).first()
    before = snapshot(item) if item else None
    item = item or ProfileSection(region=region, kind=kind)
    fields = {"text": text.strip(), "translations": _clean_translations(item, translations)}
    return _mark(actor=actor, item=item, node_path=region.path, before=before, fields=fields)


@transaction.atomic
def park_profile_mark(
    *,
    actor,
    park,
    positioning: str,
    land_ready: str = "",
    standards: str = "",
    public_phone: str = "",
    public_email: str = "",
    translations: dict | None = None,
    photo=None,
) -> ParkProfile:
    item = ParkProfile.objects.select_for_update().filter(park=park).first()
    before = snapshot(item) if item else None
    item = item or ParkProfile(park=park)
    fields = {
        "positioning": positioning.strip(),
        "land_ready": land_ready.strip(),
        "standards": standards.strip(),
        "public_phone": public_phone.strip(),
        "public_email": public_email.strip(),
        "translations": _clean_translations(item, translations),
    }
    if photo is not None:
        item.photo.save(f"{park.code}.jpg", ContentFile(resized_photo(photo)), save=False)
    return _mark(actor=actor, item=item, node_path=park.path, before=before, fields=fields)


def resized_photo(upload) -> bytes:
    """The uploaded image as a JPEG of at most PHOTO_MAX_PIXELS on its longer side, without its metadata (a phone's
    photo carries where and when it was taken)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError({"photo": "无法识别的图片文件"}) from error
    image = image.convert("RGB")
    image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
    out = BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


@transaction.atomic
def listing_mark(
    *,
    actor,
    project,
    title: str,
    summary: str,
    industry: str,
    investment_wan: Decimal,
    cooperation_mode: str,
    land: str = "",
    public_phone: str = "",
    public_email: str = "",
    translations: dict | None = None,
) -> ProjectListing:
    """Mark a project as a published 招商项目 (what investors see; the project's own record is not changed)."""
    if project.merged_into_id:
        raise ValidationError("已合并的项目不能对外发布")
    item = ProjectListing.objects.select_for_update().filter(project=project).first()
    before = snapshot(item) if item else None
    item = item or ProjectListing(project=project)
    fields = {
        "title": title.strip(),
        "summary": summary.strip(),
        "industry": industry.strip(),
        "investment_wan": investment_wan,
        "cooperation_mode": cooperation_mode,
        "land": land.strip(),
        "public_phone": public_phone.strip(),
        "public_email": public_email.strip(),
        "translations": _clean_translations(item, translations),
    }
    return _mark(actor=actor, item=item, node_path=project.path, before=before, fields=fields)


def owner_region_path(item: Publishable) -> str:
    """The jurisdiction whose bureau owns the item: the level above it approves."""
    if isinstance(item, ProfileSection):
        return item.region.path
    if isinstance(item, ParkProfile):
        return item.park.region.path
    return item.project.county.path


def can_approve(actor, item: Publishable) -> bool:
    """The level above the owning bureau (a prefecture for its counties, the province for all). The province has no
    level above it: its own sections are approved by a provincial officer holding the permission."""
    if not actor.has_perm(f"portal.approve_{item._meta.model_name}"):
        return False
    if actor.is_superuser:
        return True
    node, owner = user_node_path(actor), owner_region_path(item)
    if not node:
        return False
    if owner == node:
        return "/" not in owner
    return path_within(owner, node)


def _locked(item: Publishable) -> Publishable:
    return type(item).objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def publication_approve(*, actor, item: Publishable, note: str = "") -> Publishable:
    item = _locked(item)
    if item.status != PublicationStatus.PENDING:
        raise ValidationError("只有待审核的内容可以审核")
    if not can_approve(actor, item):
        raise PermissionDenied("对外发布由上一级审核")
    before = snapshot(item)
    item.status, item.approved_by, item.published_at = PublicationStatus.PUBLISHED, actor, timezone.now()
    item.review_note, item.updated_by = note.strip()[:300], actor
    item.save()
    audit_record(actor=actor, action=AuditAction.APPROVE, obj=item, before=before, after=snapshot(item))
    invalidate_on_commit()
    return item


@transaction.atomic
def publication_return(*, actor, item: Publishable, note: str) -> Publishable:
    item = _locked(item)
    if item.status != PublicationStatus.PENDING:
        raise ValidationError("只有待审核的内容可以退回")
    if not can_approve(actor, item):
        raise PermissionDenied("对外发布由上一级审核")
    if not note.strip():
        raise ValidationError({"note": "请填写退回理由"})
    before = snapshot(item)
    item.status, item.review_note, item.updated_by = PublicationStatus.RETURNED, note.strip()[:300], actor
    item.save()
    audit_record(actor=actor, action=AuditAction.RETURN, obj=item, before=before, after=snapshot(item))
    invalidate_on_commit()
    return item


@transaction.atomic
def publication_withdraw(*, actor, item: Publishable, note: str = "") -> Publishable:
    """Off the public site at once: the owning bureau or any level above it may withdraw."""
    item = _locked(item)
    ensure_path_in_scope(actor, item.path)
    if item.status == PublicationStatus.WITHDRAWN:
        raise ValidationError("该内容已撤回")
    before = snapshot(item)
    item.status, item.withdrawn_at, item.updated_by = PublicationStatus.WITHDRAWN, timezone.now(), actor
    item.review_note = note.strip()[:300]
    item.save()
    audit_record(actor=actor, action=AuditAction.WITHDRAW, obj=item, before=before, after=snapshot(item))
    invalidate_on_commit()
    return item


# --- enquiries ------------------------------------------------------------------------------------------------------


def site_account():
    """The account the site files its leads under: the provincial bureau's node (every county is below it), no
    password, inactive — nobody signs in as it; the audit trail names it."""
    from zhaoshang.accounts.choices import OrgKind
    from zhaoshang.accounts.models import OrgUnit, User

    user = User.objects.select_related("org_unit").filter(username=SITE_ACCOUNT).first()
    if user is None:
        org = OrgUnit.objects.filter(path="530000", kind=OrgKind.PROVINCIAL_BUREAU).order_by("id").first()
        org = org or OrgUnit.objects.filter(path="530000").order_by("id").first()
        user = User(username=SITE_ACCOUNT, full_name="投资云南网站（系统）", org_unit=org, is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def address_digest(address: str | None) -> str:
    """The sender's address as a keyed digest: enough to limit the rate, not kept in clear."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def reply_by(day: date) -> date:
    """REPLY_WORKING_DAYS working days after the enquiry, on the one working-day calendar (aftercare.workdays)."""
    return add_workdays(day, REPLY_WORKING_DAYS)


def check_rate(digest: str) -> None:
    now = timezone.now()
    recent = Enquiry.objects.from_address_since(digest, now - RATE_WINDOW).count()
    today = Enquiry.objects.from_address_since(digest, now - timedelta(days=1)).count()
    if recent >= RATE_LIMIT or today >= DAILY_LIMIT:
        raise ValidationError(_("提交过于频繁，请稍后再试"), code="rate")


def _reference(today: date) -> str:
    return f"TZ{today:%y%m%d}-{secrets.token_hex(3).upper()}"


@transaction.atomic
def enquiry_submit(
    *,
    name: str,
    company: str,
    contact: str,
    message: str,
    language: str,
    address: str | None,
    listing: ProjectListing | None = None,
    park_profile: ParkProfile | None = None,
) -> Enquiry:
    """An investor's enquiry about a published project or park: kept for the county concerned, with a reply-by
    date and a reference number, and entered as a lead (线索) through ``project_create``. A lead the admission
    check refuses (不招) is not created; the enquiry stays, saying why, for the bureau to answer."""
    from zhaoshang.projects.services import project_create
    from zhaoshang.projects.services.admission import AdmissionRejected

    target = listing or park_profile
    if target is None or not target.is_published:
        raise ValidationError(_("该内容未发布"))
    digest = address_digest(address)
    check_rate(digest)
    today = timezone.localdate()
    if listing is not None:
        county, park = listing.project.county, listing.project.park
    else:
        region = park_profile.park.region
        county, park = (region, park_profile.park) if region.level == 3 else (None, park_profile.park)
    path = park.path if park is not None and county is not None else (county.path if county else park.region.path)
    enquiry = Enquiry(
        listing=listing,
        park_profile=park_profile,
        name=name.strip(),
        company=company.strip(),
        contact=contact.strip(),
        message=message.strip(),
        language=language[:10],
        consent_at=timezone.now(),
        reply_by=reply_by(today),
        address_digest=digest,
        path=path,
    )
    enquiry.reference = _reference(today)
    while Enquiry.objects.filter(reference=enquiry.reference).exists():
        enquiry.reference = _reference(today)
    enquiry.full_clean(exclude=["path", "address_digest"])
    actor = site_account()
    if county is not None:
        try:
            with transaction.atomic():
                enquiry.lead = project_create(
                    actor=actor,
                    name=f"网站咨询：{target}（{enquiry.company}）"[:200],
                    investor_name=enquiry.company,
                    county=county,
                    park=park,
                    on=today,
                    description=f"投资云南网站咨询 {enquiry.reference}：{enquiry.message}"[:5000],
                    lead_department=(target.publishing_org or "")[:100],
                )
        except AdmissionRejected as error:
            enquiry.lead_problem = ("准入检查未通过（不招），未生成线索：" + "；".join(error.messages))[:300]
        except ValidationError as error:
            enquiry.lead_problem = ("未生成线索：" + "；".join(error.messages))[:300]
    else:
        enquiry.lead_problem = "园区隶属州市，未生成县级线索，请州市直接答复"
    enquiry.save()
    audit_record(
        actor=actor,
        action=AuditAction.ENQUIRY,
        obj=enquiry,
        after={"reference": enquiry.reference, "reply_by": enquiry.reply_by, "lead_id": enquiry.lead_id}
        | ({"lead_problem": enquiry.lead_problem} if enquiry.lead_problem else {}),
    )
    return enquiry


def enquiry_mark_replied(*, actor, enquiry: Enquiry) -> Enquiry:
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        ensure_path_in_scope(actor, enquiry.path)
        if enquiry.replied_at is None:
            enquiry.replied_at, enquiry.updated_by = timezone.now(), actor
            enquiry.save(update_fields=["replied_at", "updated_by", "updated_at"])
            audit_record(actor=actor, action=Action.UPDATE, obj=enquiry, after={"replied_at": enquiry.replied_at})
    return enquiry
