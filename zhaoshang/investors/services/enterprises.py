"""Enterprises, their tags, owners (专人盯) and contacts."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.core.validators import credit_code_error
from zhaoshang.investors.choices import TAG_FLAGS, TagKind
from zhaoshang.investors.models import Contact, Enterprise, EnterpriseTag
from zhaoshang.investors.names import normalise_enterprise_name

ENTERPRISE_FIELDS = (
    "chinese_name",
    "english_name",
    "short_names",
    "former_names",
    "parent",
    "hq_province",
    "hq_city",
    "country",
    "key_industry",
    "industry_class",
    "industry_text",
    "size",
    "credit_status",
    "website",
    "notes",
    "yunnan_entity",
    "is_headquarters",
)
CONTACT_SECRETS = ("name", "phone", "id_number", "email")  # personal information, shown masked until revealed


def validate_credit_code(code: str, field: str = "credit_code") -> str:
    """The code in upper case, or a ValidationError naming what is wrong (``统一社会信用代码校验位错误``)."""
    code = (code or "").strip().upper()
    if code:
        problem = credit_code_error(code)
        if problem:
            raise ValidationError({field: f"统一社会信用代码{problem}"})
    return code


def enterprise_find_duplicate(*, name: str, credit_code: str = "", exclude: Enterprise | None = None):
    """An existing enterprise with the same credit code, else the same normalised name."""
    rows = Enterprise.objects.all()
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    if credit_code:
        found = rows.filter(credit_code=credit_code).order_by("pk").first()
        if found is not None:
            return found
    normalised = normalise_enterprise_name(name)
    return rows.filter(normalised_name=normalised).order_by("pk").first() if normalised else None


@transaction.atomic
def enterprise_get_or_create(*, actor, name: str, credit_code: str = "") -> Enterprise:
    """The enterprise with this credit code, else with the same normalised name; created (and audited) if new.
    A credit code with a wrong check character is refused (ValidationError on ``investor_credit_code``)."""
    name = (name or "").strip()
    credit_code = validate_credit_code(credit_code, "investor_credit_code")
    if not normalise_enterprise_name(name):
        raise ValidationError({"investor_name": "请填写投资方企业名称"})
    found = enterprise_find_duplicate(name=name, credit_code=credit_code)
    if found is not None:
        if credit_code and not found.credit_code:  # found by name: the code fills in what it lacked
            before = snapshot(found)
            found.credit_code, found.updated_by = credit_code, actor
            found.save()
            audit_record(actor=actor, action=Action.UPDATE, obj=found, before=before, after=snapshot(found))
        return found
    enterprise = Enterprise(name=name, credit_code=credit_code, created_by=actor, updated_by=actor)
    enterprise.save()
    audit_record(actor=actor, action=Action.CREATE, obj=enterprise, after=snapshot(enterprise))
    return enterprise


def _apply(enterprise: Enterprise, fields: dict) -> None:
    for key, value in fields.items():
        if key not in ENTERPRISE_FIELDS:
            raise ValueError(f"enterprise field {key} cannot be set here")
        setattr(
            enterprise, key, "" if value is None and key not in ("parent", "key_industry", "industry_class") else value
        )
    if enterprise.chinese_name:
        enterprise.name = enterprise.chinese_name.strip()
    enterprise.full_clean(exclude=["owner", "created_by", "updated_by"])


@transaction.atomic
def enterprise_create(*, actor, name: str, credit_code: str = "", **fields) -> Enterprise:
    """A new enterprise in the library; refused when one with the same credit code or normalised name exists."""
    name = (name or "").strip()
    credit_code = validate_credit_code(credit_code)
    if not normalise_enterprise_name(name):
        raise ValidationError({"name": "请填写企业名称"})
    duplicate = enterprise_find_duplicate(name=name, credit_code=credit_code)
    if duplicate is not None:
        raise ValidationError({"name": f"企业库中已有“{duplicate.name}”（统一社会信用代码或规范名称相同）"})
    enterprise = Enterprise(name=name, credit_code=credit_code, created_by=actor, updated_by=actor)
    _apply(enterprise, fields)
    enterprise.save()
    audit_record(actor=actor, action=Action.CREATE, obj=enterprise, after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, name: str, credit_code: str = "", **fields) -> Enterprise:
    """Change an enterprise's facts. A new name keeps the old one among the former names."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = snapshot(enterprise)
    credit_code = validate_credit_code(credit_code)
    duplicate = enterprise_find_duplicate(name=name, credit_code=credit_code, exclude=enterprise)
    if duplicate is not None and (credit_code and duplicate.credit_code == credit_code):
        raise ValidationError({"credit_code": f"统一社会信用代码已属于“{duplicate.name}”"})
    old_name = enterprise.name
    enterprise.name, enterprise.credit_code, enterprise.updated_by = name.strip(), credit_code, actor
    _apply(enterprise, fields)
    if enterprise.name != old_name and old_name not in enterprise.former_name_list:
        enterprise.former_names = "\n".join([*enterprise.former_name_list, old_name])
    enterprise.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=enterprise, before=before, after=snapshot(enterprise))
    return enterprise


def sync_flags(enterprise: Enterprise) -> list[str]:
    """Mirror the 500强 / 链主 tags on the enterprise's boolean flags; the changed flag names."""
    kinds = set(enterprise.tags.values_list("kind", flat=True))
    changed = []
    for kind, flag in TAG_FLAGS.items():
        value = kind in kinds
        if getattr(enterprise, flag) != value:
            setattr(enterprise, flag, value)
            changed.append(flag)
    return changed


@transaction.atomic
def enterprise_set_tag(
    *, actor, enterprise: Enterprise, kind: str, year: int | None = None, rank: int | None = None, code: str = ""
) -> EnterpriseTag:
    if kind not in TagKind.values:
        raise ValidationError({"kind": "未知的标签"})
    if kind == TagKind.LISTED and not code:
        raise ValidationError({"code": "上市企业请填写股票代码"})
    tag, created = EnterpriseTag.objects.update_or_create(
        enterprise=enterprise, kind=kind, year=year, code=code or "", defaults={"rank": rank}
    )
    before = snapshot(enterprise)
    if sync_flags(enterprise):
        enterprise.updated_by = actor
        enterprise.save()
    audit_record(
        actor=actor,
        action="set_tag",
        obj=enterprise,
        before=before,
        after={**snapshot(enterprise), "tag": str(tag), "created": created},
    )
    return tag


@transaction.atomic
def enterprise_set_follow_up(*, actor, enterprise: Enterprise, owner, next_follow_up_on: date | None) -> Enterprise:
    """专人盯: who follows this enterprise and when next."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = snapshot(enterprise)
    if owner is None and next_follow_up_on is not None:
        raise ValidationError({"owner": "设置跟进日期须指定责任人"})
    enterprise.owner, enterprise.next_follow_up_on, enterprise.updated_by = owner, next_follow_up_on, actor
    enterprise.save()
    audit_record(actor=actor, action="set_follow_up", obj=enterprise, before=before, after=snapshot(enterprise))
    return enterprise


def contact_snapshot(contact: Contact) -> dict:
    """A contact for the audit trail: ``snapshot`` masks its personal fields (the audit log is read widely)."""
    return snapshot(contact)


@transaction.atomic
def contact_create(
    *,
    actor,
    enterprise: Enterprise,
    name: str,
    title: str = "",
    phone: str = "",
    id_number: str = "",
    email: str = "",
    note: str = "",
) -> Contact:
    if not (name or "").strip():
        raise ValidationError({"name": "请填写联系人姓名"})
    id_number = (id_number or "").strip().upper()
    if id_number and (len(id_number) != 18 or not id_number[:17].isdigit()):
        raise ValidationError({"id_number": "身份证号应为18位"})
    contact = Contact(
        enterprise=enterprise,
        name=name.strip(),
        title=title.strip(),
        phone=(phone or "").strip(),
        id_number=id_number,
        email=email.strip(),
        note=note.strip(),
        created_by=actor,
        updated_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(actor=actor, action=Action.CREATE, obj=contact, after=contact_snapshot(contact))
    return contact


@transaction.atomic
def contact_reveal(*, actor, contact: Contact, reason: str) -> dict:
    """The contact's personal information in full (name, phone, ID number, e-mail), for a user holding
    ``investors.reveal_contact`` who gives a reason. Every reveal is audited with the reason."""
    if not actor.has_perm("investors.reveal_contact"):
        raise ValidationError("您没有查看联系人完整信息的权限")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写查看原因（至少4个字）"})
    audit_record(
        actor=actor,
        action="reveal_contact",
        obj=contact,
        after={"reason": reason, "fields": list(CONTACT_SECRETS), "enterprise": contact.enterprise_id},
    )
    return {field: getattr(contact, field) for field in CONTACT_SECRETS}
