from django.core.exceptions import ValidationError
from django.db import transaction

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.choices import Action
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.names import normalise_enterprise_name


@transaction.atomic
def enterprise_get_or_create(*, actor, name: str, credit_code: str = "") -> Enterprise:
    """The enterprise with this credit code, else with the same normalised name; created (and audited) if new."""
    name, credit_code = (name or "").strip(), (credit_code or "").strip().upper()
    if not normalise_enterprise_name(name):
        raise ValidationError({"investor_name": "请填写投资方企业名称"})
    if credit_code:
        found = Enterprise.objects.filter(credit_code=credit_code).first()
        if found is not None:
            return found
    found = Enterprise.objects.named(name).order_by("pk").first()
    if found is not None:
        if credit_code and not found.credit_code:
            before = snapshot(found)
            found.credit_code, found.updated_by = credit_code, actor
            found.save()
            audit_record(actor=actor, action=Action.UPDATE, obj=found, before=before, after=snapshot(found))
        return found
    enterprise = Enterprise(name=name, credit_code=credit_code, created_by=actor, updated_by=actor)
    enterprise.save()
    audit_record(actor=actor, action=Action.CREATE, obj=enterprise, after=snapshot(enterprise))
    return enterprise
