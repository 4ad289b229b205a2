"""Enterprise accounts: self-registration with the unified social credit code, verification by the bureau of the
county where the enterprise invests (or the province), more users of a verified enterprise, and the bureau's link
of the enterprise to its library record and its projects."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.choices import CompanyStatus
from zhaoshang.accounts.models import Company, User
from zhaoshang.accounts.roles import ROLES
from zhaoshang.aftercare.models import CompanyLink
from zhaoshang.aftercare.services.notify import bureau_at, notify, staff_of
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.scope import OutOfScope, ensure_path_in_scope
from zhaoshang.core.validators import credit_code_error


def _enterprise_user(*, username: str, password: str, full_name: str, company: Company, email: str = "") -> User:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": "请填写登录账号"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该登录账号已被使用"})
    user = User(username=username, full_name=(full_name or "").strip()[:50], company=company, email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=ROLES["enterprise"].name)])
    return user


@transaction.atomic
def company_register(
    *,
    credit_code: str,
    name: str,
    contact_name: str,
    contact_phone: str,
    region,
    username: str,
    password: str,
    email: str = "",
) -> User:
    """Self-registration: the enterprise (待核验) and its first account. The account signs in at once but acts for
    the enterprise only after the bureau verifies it; a credit code already registered is refused (the enterprise
    asks its administrator for another account instead)."""
    code = (credit_code or "").strip().upper()
    if problem := credit_code_error(code):
        raise ValidationError({"credit_code": f"统一社会信用代码{problem}"})
    if Company.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": "该企业已注册；如需新增账号，请联系本企业已有账号或投资所在地投促部门"})
    name = (name or "").strip()
    if len(name) < 4:
        raise ValidationError({"name": "请填写营业执照上的企业全称"})
    if not (contact_name or "").strip() or not (contact_phone or "").strip():
        raise ValidationError({"contact_name": "请填写联系人和联系电话"})
    company = Company.objects.create(
        credit_code=code,
        name=name[:200],
        contact_name=contact_name.strip()[:50],
        contact_phone=contact_phone.strip()[:20],
        region=region,
    )
    user = _enterprise_user(username=username, password=password, full_name=contact_name, company=company, email=email)
    audit_record(
        actor=None,
        action="company_register",
        obj=company,
        after=snapshot(company) | {"user": username},
        actor_name=username,
    )
    notify(staff_of(bureau_at(company.path)), f"企业注册待核验：{company.name}（{company.credit_code}）")
    return user


@transaction.atomic
def company_verify(*, actor, company: Company, approve: bool, note: str = "") -> Company:
    """The bureau where the enterprise invests (or one above it) checks the registration against the business
    licence and verifies it, or refuses it with the reason."""
    if not actor.has_perm("accounts.verify_company"):
        raise PermissionDenied("您没有核验企业账户的权限")
    company = Company.objects.select_for_update().get(pk=company.pk)
    ensure_path_in_scope(actor, company.path)
    if company.status == CompanyStatus.VERIFIED and approve:
        raise ValidationError("该企业已核验")
    if not approve and not note.strip():
        raise ValidationError({"note": "请写明未通过核验的原因"})
    before = snapshot(company)
    company.status = CompanyStatus.VERIFIED if approve else CompanyStatus.REJECTED
    company.decided_by, company.decided_at, company.decision_note = actor, timezone.now(), note.strip()[:300]
    company.save()
    audit_record(actor=actor, action="company_verify", obj=company, before=before, after=snapshot(company))
    text = "已通过核验，可以提交诉求" if approve else f"未通过核验：{note.strip()}"
    notify(list(company.users.filter(is_active=True)), f"企业账户{text}")
    return company


@transaction.atomic
def company_add_user(*, actor, username: str, password: str, full_name: str, email: str = "") -> User:
    """A verified enterprise's account adds a colleague (an enterprise may have several users)."""
    company_id = getattr(actor, "enterprise_scope_id", None)
    if not company_id:
        raise PermissionDenied("企业账户核验后才能添加同事账号")
    company = Company.objects.get(pk=company_id)
    user = _enterprise_user(username=username, password=password, full_name=full_name, company=company, email=email)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    audit_record(actor=actor, action="company_add_user", obj=company, after={"user": username})
    return user


@transaction.atomic
def company_link(*, actor, company: Company, project=None, investor=None) -> CompanyLink:
    """Link the enterprise to one of the bureau's projects (its promises then show to the enterprise) or to its
    record in the enterprise library."""
    if not actor.has_perm("accounts.verify_company"):
        raise PermissionDenied("您没有关联企业的权限")
    if not Company.objects.for_user(actor, "view").filter(pk=company.pk).exists() and project is None:
        raise OutOfScope("不在您的辖区范围内")
    if project is None and investor is None:
        raise ValidationError({"project": "请选择项目或企业库记录"})
    path = company.path
    if project is not None:
        ensure_path_in_scope(actor, project.path)
        path = project.path
        if CompanyLink.objects.filter(company=company, project=project).exists():
            raise ValidationError({"project": "已关联该项目"})
    else:
        ensure_path_in_scope(actor, company.path)
    link = CompanyLink.objects.create(company=company, project=project, investor=investor, path=path, linked_by=actor)
    audit_record(
        actor=actor,
        action="company_link",
        obj=company,
        path=path,
        after={"project": getattr(project, "pk", None), "investor": getattr(investor, "pk", None)},
    )
    return link
