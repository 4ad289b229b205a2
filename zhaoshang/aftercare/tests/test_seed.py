from django.core.management import call_command

from zhaoshang.aftercare.choices import PromiseState, TicketState
from zhaoshang.aftercare.models import Promise, Ticket
from zhaoshang.core.testing import persona


def test_demo_enterprise_can_walk_the_journeys(db):
    call_command("seed_aftercare_demo", stdout=open("/dev/null", "w"))
    call_command("seed_aftercare_demo", stdout=open("/dev/null", "w"))  # idempotent
    user = persona("enterprise_user")
    assert user.enterprise_scope_id
    states = set(Ticket.objects.for_user(user).values_list("state", flat=True))
    assert {TicketState.SUBMITTED, TicketState.IN_PROGRESS, TicketState.CLOSED} <= states
    late = Ticket.objects.for_user(user).get(title="环评批复进度")
    assert late.supervised_count == 1 and late.escalated_to is not None
    assert late.escalated_to == persona("chuxiong_officer").org_unit
    promise_states = set(Promise.objects.for_user(user).values_list("state", flat=True))
    assert {PromiseState.UNMET, PromiseState.APPLIED, PromiseState.APPROVED} <= promise_states
    # 昆明 sees its own demo enterprise's request, never 禄丰's; the demo enterprise sees only its own.
    kunming = Ticket.objects.for_user(persona("kunming_officer"))
    assert list(kunming.values_list("title", flat=True)) == ["施工许可办理"]
    assert not Ticket.objects.for_user(user).filter(title="施工许可办理").exists()
