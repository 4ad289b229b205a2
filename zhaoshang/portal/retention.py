"""Personal information of enquiries is kept only as long as it is needed to answer them (PIPL art. 19): after
PII_RETENTION_DAYS["enquiries"] days the enquirer's name and contact are erased by `manage.py pii_purge`; the
enquiry, its company, message and lead stay."""

from zhaoshang.core.retention import register_purge_rule

ERASED = "（已清理）"


def purge_enquiries(cutoff, dry_run: bool) -> int:
    from zhaoshang.portal.models import Enquiry

    rows = Enquiry.objects.filter(created_at__lt=cutoff).exclude(contact="")
    if dry_run:
        return rows.count()
    count = 0
    for enquiry in rows.iterator():
        enquiry.name, enquiry.contact = ERASED, ""
        enquiry.save(update_fields=["name", "contact", "updated_at"])
        count += 1
    return count


def register_retention() -> None:
    register_purge_rule("enquiries", "网站投资咨询的联系人和联系方式", purge_enquiries)
