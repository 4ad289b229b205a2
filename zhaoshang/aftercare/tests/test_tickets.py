"""The request's closed loop (issue 17, Done when 1) through the services and the pages, and its clock."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.aftercare.choices import EventKind, Rating, TicketCategory, TicketState
from zhaoshang.aftercare.models import Notification, Ticket
from zhaoshang.aftercare.services import tickets
from zhaoshang.aftercare.services.clock import clock_status
from zhaoshang.aftercare.workdays import add_workdays, is_workday, workdays_between
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import persona

pytestmark = pytest.mark.django_db


def submit(user, project, **kwargs):
    kwargs.setdefault("category", TicketCategory.POWER)
    return tickets.ticket_submit(
        actor=user,
        title="新建厂房需增容用电",
        description="申请10千伏双回路供电，需协调供电局。",
        project=project,
        **kwargs,
    )


def test_working_days_follow_the_holiday_calendar():
    assert not is_workday(date(2026, 10, 1))  # 国庆
    assert is_workday(date(2026, 12, 1))
    # Thursday 2026-09-24 + 1 working day skips 中秋 (Friday the 25th) and the weekend: Monday the 28th.
    assert add_workdays(date(2026, 9, 24), 1) == date(2026, 9, 28)
    # 2026-09-30 + 1 working day skips 国庆 (1–7 October); Saturday 10 October is a 调休 working day.
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 7)) == 0


def test_an_unverified_enterprise_cannot_submit(lufeng, officer):
    from zhaoshang.aftercare.services.companies import company_register

    user = company_register(
        credit_code="91530100MA6K0YQ418",
        name="云南储能科技有限公司",
        contact_name="张经理",
        contact_phone="13800000000",
        region=lufeng,
        username="ent_new",
        password="Dianchi#Lake-2741",
    )
    assert user.enterprise_scope_id is None
    with pytest.raises(PermissionDenied):
        tickets.ticket_submit(actor=user, category="power", title="用电", description="用电", region=lufeng)


def test_closed_loop_with_co_handling_reopen_and_close(ent_a, lufeng_project, officer):
    ticket = submit(ent_a, lufeng_project)
    assert ticket.path == lufeng_project.path and ticket.state == TicketState.SUBMITTED
    assert ticket.clock == "sign" and ticket.due_on >= date.today()
    assert Notification.objects.filter(recipient=officer, ticket=ticket).exists()

    tickets.ticket_accept(actor=officer, ticket=ticket)
    tickets.ticket_dispatch(actor=officer, ticket=ticket, handler=officer.org_unit)
    ticket = tickets.ticket_sign(actor=officer, ticket=ticket)
    assert ticket.signed_on_time and ticket.clock == "answer"
    # coordination: 13 working days to answer
    assert workdays_between(ticket.clock_start, ticket.due_on) == 13
    power = OrgUnit.objects.create(
        code="DEPT-532302-POWER", name="禄丰供电局", kind="department", region=lufeng_project.county
    )
    tickets.ticket_add_unit(actor=officer, ticket=ticket, org_unit=power)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.IN_PROGRESS
    tickets.ticket_offline(actor=officer, ticket=ticket, kind="meeting", on=date.today(), note="召开供电协调会")
    tickets.ticket_answer(actor=officer, ticket=ticket, answer="已协调供电局，30日内完成接入。")
    tickets.ticket_visit(actor=officer, ticket=ticket, note="电话回访")

    ticket = tickets.ticket_rate(actor=ent_a, ticket=ticket, rating=Rating.UNSATISFIED, note="时间太长")
    assert ticket.state == TicketState.IN_PROGRESS and ticket.reopen_count == 1 and ticket.clock == "answer"
    with pytest.raises(ValidationError):
        tickets.ticket_close(actor=officer, ticket=ticket)
    tickets.ticket_answer(actor=officer, ticket=ticket, answer="已协调提前至15日内接入。")
    tickets.ticket_visit(actor=officer, ticket=ticket, note="上门回访")
    tickets.ticket_rate(actor=ent_a, ticket=ticket, rating=Rating.SATISFIED)
    ticket = tickets.ticket_close(actor=officer, ticket=ticket)
    assert ticket.state == TicketState.CLOSED and ticket.closed_at
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.ANSWER) == 2 and EventKind.REOPEN in kinds and EventKind.CO_HANDLER in kinds
    # The co-handling unit's staff see the request they were given.
    assert ticket.units.get().org_unit == power


def test_the_enterprise_cannot_handle_and_the_bureau_cannot_rate(ent_a, lufeng_project, officer):
    ticket = submit(ent_a, lufeng_project)
    with pytest.raises(PermissionDenied):
        tickets.ticket_accept(actor=ent_a, ticket=ticket)  # it sees its request, but does not handle it
    with pytest.raises(OutOfScope):
        tickets.ticket_rate(actor=officer, ticket=ticket, rating=Rating.SATISFIED)  # only its enterprise rates


def test_withdraw_and_its_follow_up_check(ent_a, lufeng_project, officer):
    ticket = submit(ent_a, lufeng_project)
    ticket = tickets.ticket_withdraw(actor=ent_a, ticket=ticket, reason="问题已自行解决")
    assert ticket.state == TicketState.WITHDRAWN and not ticket.withdraw_checked
    ticket = tickets.ticket_withdraw_check(actor=officer, ticket=ticket, note="电话核实，确系企业自愿撤单")
    assert ticket.withdraw_checked


def test_reminders_then_supervision_then_escalation_to_chuxiong(
    ent_a, lufeng_project, officer, django_capture_on_commit_callbacks
):
    ticket = submit(ent_a, lufeng_project, nature="consult")
    tickets.ticket_accept(actor=officer, ticket=ticket)
    tickets.ticket_dispatch(actor=officer, ticket=ticket, handler=officer.org_unit)
    ticket = tickets.ticket_sign(actor=officer, ticket=ticket)
    start, due = ticket.clock_start, ticket.due_on  # consultation: 3 working days
    assert workdays_between(start, due) == 3
    mail.outbox.clear()

    day2 = add_workdays(start, 2)  # 2 of 3 used: 67 % → the 50 % reminder only
    assert tickets.ticket_tick(ticket=ticket, today=day2) == ["answer:50"]
    assert tickets.ticket_tick(ticket=ticket, today=day2) == []  # once
    assert tickets.ticket_tick(ticket=ticket, today=due) == ["answer:80"]
    assert Notification.objects.filter(recipient=officer, text__contains="时限提醒").count() == 2

    overdue1 = add_workdays(due, 1)
    assert tickets.ticket_tick(ticket=ticket, today=overdue1) == ["answer:overdue"]
    ticket.refresh_from_db()
    assert ticket.supervised_count == 1 and ticket.escalation_level == 0
    assert clock_status(ticket, overdue1).overdue_days == 1

    chuxiong = persona("chuxiong_officer")
    User.objects.filter(pk=chuxiong.pk).update(email="chuxiong@example.com")
    overdue5 = add_workdays(due, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tickets.ticket_tick(ticket=ticket, today=overdue5) == ["escalate:1"]
    # In-app and by e-mail (Django's mail backend).
    assert [m.to for m in mail.outbox if "逐级上报" in m.subject] == [["chuxiong@example.com"]]
    ticket.refresh_from_db()
    assert ticket.escalated_to == chuxiong.org_unit
    assert Notification.objects.filter(recipient=chuxiong, ticket=ticket, text__contains="逐级上报").exists()
    # kunming is never told, and never sees it
    assert not Ticket.objects.for_user(persona("kunming_officer")).filter(pk=ticket.pk).exists()
    overdue10 = add_workdays(due, 10)
    assert tickets.ticket_tick(ticket=ticket, today=overdue10) == ["escalate:2"]
    ticket.refresh_from_db()
    assert ticket.escalated_to.path == "530000"


def test_the_tick_command_runs_the_job(ent_a, lufeng_project, officer):
    from django.core.management import call_command

    submit(ent_a, lufeng_project)
    call_command("aftercare_tick", "--now", "--today", (date.today() + timedelta(days=30)).isoformat())
    ticket = Ticket.objects.get()
    assert ticket.supervised_count == 1  # the sign-for clock ran out


def test_extension_needs_a_bureau_above_and_moves_the_due_date(ent_a, lufeng_project, officer):
    ticket = submit(ent_a, lufeng_project)
    tickets.ticket_accept(actor=officer, ticket=ticket)
    tickets.ticket_dispatch(actor=officer, ticket=ticket, handler=officer.org_unit)
    ticket = tickets.ticket_sign(actor=officer, ticket=ticket)
    due = ticket.due_on
    tickets.ticket_request_extension(actor=officer, ticket=ticket, days=5, reason="需等待省电网批复")
    with pytest.raises(PermissionDenied):
        tickets.ticket_decide_extension(actor=officer, ticket=ticket, approve=True)
    ticket = tickets.ticket_decide_extension(actor=persona("chuxiong_officer"), ticket=ticket, approve=True)
    assert ticket.due_on == add_workdays(due, 5)


def test_request_numbers_never_collide_when_the_days_numbers_have_a_gap(ent_a, lufeng_project):
    """The number was the day's count plus one: after a gap (a number taken out of order, or a submission racing
    another) the next request took a number already used and failed. It takes the next free one now."""
    first = submit(ent_a, lufeng_project)
    prefix = first.number[:-4]
    Ticket.objects.filter(pk=first.pk).update(number=f"{prefix}0002")  # the day's numbers: 0002 only
    second = submit(ent_a, lufeng_project)
    third = submit(ent_a, lufeng_project)
    assert (second.number, third.number) == (f"{prefix}0003", f"{prefix}0004")


@pytest.fixture
def platform_loaded(transactional_db):
    """Transactional tests empty the database between them: reference data and demo accounts first."""
    from zhaoshang.core.testing import load_platform_data

    load_platform_data()


@pytest.mark.skipif("postgresql" not in __import__("django.db").db.connection.vendor, reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_each_get_a_number(platform_loaded, ent_a, lufeng_project):
    import threading

    from django.db import connection

    results, barrier = [], threading.Barrier(6)

    def file_one():
        try:
            barrier.wait()
            results.append(submit(ent_a, lufeng_project).number)
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(number, str) for number in results), results
    assert len(set(results)) == 6
