import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhaoshang.accounts.models import User
from zhaoshang.accounts.services import user_set_roles
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona


@pytest.mark.parametrize(
    "password",
    ["Ab1#", "abcdefgh", "abcdefg1", "ABCDEFG1", "12345678!"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Kdhwqzx7", "kdhwq1#z", "Kdhw#2026"])
def test_passwords_with_three_character_classes_pass(password):
    validate_password(password)


def test_a_password_similar_to_the_username_is_refused():
    with pytest.raises(ValidationError):
        validate_password("Lufeng_officer1", user=User(username="lufeng_officer"))


@pytest.mark.django_db
def test_one_account_cannot_hold_two_separated_admin_roles():
    user = persona("system_admin")
    with pytest.raises(ValidationError, match="不同账户"):
        user_set_roles(actor=persona("province_admin"), user=user, role_codes={"system_admin", "audit_admin"})
    assert user.role_codes == {"system_admin"}


@pytest.mark.django_db
def test_a_separated_admin_cannot_also_hold_a_business_role():
    with pytest.raises(ValidationError):
        user_set_roles(actor=None, user=persona("audit_admin"), role_codes={"audit_admin", "province_admin"})


@pytest.mark.django_db
def test_setting_roles_is_audited():
    user = persona("leader_province")
    user_set_roles(actor=persona("province_admin"), user=user, role_codes={"leader", "county_officer"})
    row = AuditLog.objects.filter(action="set_roles").latest("id")
    assert row.before == {"roles": ["leader"]} and row.after == {"roles": ["county_officer", "leader"]}
