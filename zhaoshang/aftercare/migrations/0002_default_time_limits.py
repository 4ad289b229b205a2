from django.db import migrations

# The defaults of issue 17, as data (editable later): sign-for 1 working day (urgent: the same day), answer in 3
# working days for a consultation and 13 for a matter needing coordination, 回访 within 1 working day, and one
# level of escalation for every 5 working days overdue.
LIMITS = [
    ("sign", "签收", 1),
    ("sign_urgent", "紧急诉求签收", 0),
    ("answer_consult", "咨询类答复", 3),
    ("answer_coordination", "需协调事项答复", 13),
    ("visit", "答复后回访", 1),
    ("escalate_after", "逾期后逐级上报", 5),
]


def add_limits(apps, schema_editor):
    TimeLimit = apps.get_model("aftercare", "TimeLimit")
    for code, label, days in LIMITS:
        TimeLimit.objects.get_or_create(code=code, defaults={"label": label, "working_days": days})


class Migration(migrations.Migration):
    dependencies = [("aftercare", "0001_requests_and_promises")]
    operations = [migrations.RunPython(add_limits, migrations.RunPython.noop)]
