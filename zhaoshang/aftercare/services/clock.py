"""The request's clock in working days: which step is timed, its limit (``TimeLimit`` rows), the share used, the
working days overdue. Reminders at 50 % and 80 %, 督办 when overdue, one level up every 5 working days overdue."""

from dataclasses import dataclass
from datetime import date

from zhaoshang.aftercare.choices import ClockKind, TicketNature
from zhaoshang.aftercare.models import Ticket, TimeLimit
from zhaoshang.aftercare.workdays import add_workdays, workdays_between

DEFAULT_LIMITS = {  # used when a row is missing; the rows are seeded by migration and editable in the admin
    "sign": ("签收", 1),
    "sign_urgent": ("紧急诉求签收", 0),
    "answer_consult": ("咨询类答复", 3),
    "answer_coordination": ("需协调事项答复", 13),
    "visit": ("答复后回访", 1),
    "escalate_after": ("逾期后逐级上报", 5),
}
REMINDER_MARKS = (50, 80)


def limit_days(code: str) -> int:
    row = TimeLimit.objects.filter(code=code).first()
    return row.working_days if row else DEFAULT_LIMITS[code][1]


def clock_limit_code(ticket: Ticket, kind: str) -> str:
    if kind == ClockKind.SIGN:
        return "sign_urgent" if ticket.urgent else "sign"
    if kind == ClockKind.ANSWER:
        return "answer_consult" if ticket.nature == TicketNature.CONSULT else "answer_coordination"
    return "visit"


def clock_set(ticket: Ticket, kind: str, start: date) -> None:
    """Start the clock of a step (not saved: the caller saves the ticket with the step)."""
    ticket.clock, ticket.clock_start = kind, start
    ticket.due_on = add_workdays(start, limit_days(clock_limit_code(ticket, kind)))
    ticket.reminded, ticket.extension_days = [], 0


def clock_stop(ticket: Ticket) -> None:
    ticket.clock, ticket.clock_start, ticket.due_on, ticket.reminded = "", None, None, []


@dataclass(frozen=True)
class ClockStatus:
    kind: str
    label: str
    start: date
    due_on: date
    used_percent: int
    workdays_left: int
    overdue_days: int

    @property
    def level(self) -> str:
        """For the page's colour: ok, warn (≥ 50 %), danger (≥ 80 % or overdue)."""
        if self.overdue_days or self.used_percent >= 80:
            return "danger"
        return "warn" if self.used_percent >= 50 else "ok"

    @property
    def text(self) -> str:
        if self.overdue_days:
            return f"{self.label}已超时 {self.overdue_days} 个工作日（时限 {self.due_on:%Y-%m-%d}）"
        return (
            f"{self.label}时限 {self.due_on:%Y-%m-%d}，剩余 {self.workdays_left} 个工作日（已用 {self.used_percent}%）"
        )


def clock_status(ticket: Ticket, today: date) -> ClockStatus | None:
    if not ticket.clock or ticket.due_on is None or ticket.clock_start is None:
        return None
    total = max(workdays_between(ticket.clock_start, ticket.due_on), 1)
    used = workdays_between(ticket.clock_start, min(today, ticket.due_on))
    overdue = workdays_between(ticket.due_on, today) if today > ticket.due_on else 0
    percent = 100 if today > ticket.due_on else min(100, round(used * 100 / total))
    return ClockStatus(
        kind=ticket.clock,
        label=ClockKind(ticket.clock).label,
        start=ticket.clock_start,
        due_on=ticket.due_on,
        used_percent=percent,
        workdays_left=max(workdays_between(today, ticket.due_on), 0),
        overdue_days=overdue,
    )
