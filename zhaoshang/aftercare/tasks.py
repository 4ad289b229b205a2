"""Background work of the aftercare app: the daily clock of requests and promises, on the task queue."""

from django.tasks import task

TICK_KIND = "aftercare_tick"


@task
def aftercare_tick_task(*, today: str = "") -> dict:
    """Reminders at 50 % and 80 %, 督办 when overdue, escalation one level up every 5 working days overdue, and
    the promises' conditions and due dates. Idempotent: each mark is acted on once per clock."""
    from datetime import date

    from zhaoshang.aftercare.services.promises import promises_tick
    from zhaoshang.aftercare.services.tickets import tickets_tick

    day = date.fromisoformat(today) if today else None
    return tickets_tick(today=day) | promises_tick(today=day)
