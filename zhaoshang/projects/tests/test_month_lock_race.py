"""The month lock against parallel entries (issue 13 item 4), on PostgreSQL: a probe had 7 of 30 parallel entries
commit after the lock of their month. Writers and the locker each have their own connection (one per thread).

What "landed after the lock" means here: the locker counts the month's entries inside its own transaction, right
after ``month_lock`` wrote the lock; when the lock and the entries serialise, no entry can commit between that
count and the lock's commit, nor after it, so the count is final. Without the serialisation, entries that passed
the lock check before the lock was written commit later and the final count is higher.
"""

import random
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from zhaoshang.core.testing import load_platform_data, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import AgreementKind, Stage
from zhaoshang.projects.models import FundingEntry
from zhaoshang.projects.services import ledger
from zhaoshang.regions.models import Region

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs DATABASE_URL to point at PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 25
MONTH = date(2024, 4, 1)
CHUXIONG_PATH = "530000/532300"


def signed_projects(n: int):
    officer, lufeng = persona("lufeng_officer"), Region.objects.get(code="532302")
    projects = []
    for i in range(n):
        project = services.project_create(
            actor=officer,
            name=f"禄丰并发录入测试项目{i:02d}",
            investor_name=f"并发测试投资方{i:02d}有限公司",
            county=lufeng,
            on=date(2024, 1, 5),
            agreed_investment_wan=Decimal("5000"),
        )
        project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=officer, on=date(2024, 2, 1))
        services.agreement_create(
            actor=officer,
            project=project,
            signed_on=date(2024, 3, 1),
            amount_wan=Decimal("5000"),
            kind=AgreementKind.CONTRACT,
        )
        projects.append(services.project_advance(project=project, to=Stage.SIGNED, actor=officer, on=date(2024, 3, 1)))
    return projects


def test_no_entry_lands_in_a_month_after_its_lock_with_parallel_writers(monkeypatch):
    load_platform_data()  # transactional tests empty the database between them
    projects = signed_projects(WRITERS)
    officer, chuxiong = persona("lufeng_officer"), persona("chuxiong_officer")
    prefecture = Region.objects.get(code="532300")

    # Widen the window between an entry's lock check and its commit, as a slow request would.
    audit_record = ledger.audit_record

    def slow_audit_record(**kwargs):
        if kwargs.get("action") == "fund_entry":
            time.sleep(random.uniform(0, 0.06))
        return audit_record(**kwargs)

    monkeypatch.setattr(ledger, "audit_record", slow_audit_record)
    start = threading.Barrier(WRITERS + 1)
    outcomes, seen_by_locker, failures = [], [], []

    def writer(project):
        try:
            start.wait()
            time.sleep(random.uniform(0, 0.03))
            services.funding_record(actor=officer, project=project, month=MONTH, amount_wan=Decimal("10"))
            outcomes.append("committed")
        except ValidationError as error:
            outcomes.append("refused" if "锁定" in str(error) else f"error: {error}")
        except Exception as error:  # a deadlock or anything else is a failure of the test
            failures.append(repr(error))
        finally:
            connection.close()

    def locker():
        try:
            start.wait()
            time.sleep(0.015)  # entries are in flight
            with transaction.atomic():
                services.month_lock(actor=chuxiong, prefecture=prefecture, month=MONTH)
                seen_by_locker.append(
                    FundingEntry.objects.filter(month=MONTH, project__path__startswith=CHUXIONG_PATH + "/").count()
                )
        except Exception as error:
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(p,)) for p in projects] + [threading.Thread(target=locker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(outcomes) == WRITERS and all(o in ("committed", "refused") for o in outcomes), outcomes
    final = FundingEntry.objects.filter(month=MONTH, project__path__startswith=CHUXIONG_PATH + "/").count()
    landed_after_lock = final - seen_by_locker[0]
    assert landed_after_lock == 0, f"{landed_after_lock} 条到位资金在该月锁定之后提交"
    assert final == outcomes.count("committed")
