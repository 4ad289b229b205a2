"""到位 columns as ledger entries. A cumulative column (累计到位 up to a month) becomes monthly increments; a monthly
column is that month's entry. Against the ledger of a project already on the platform:

- a month the ledger already holds must agree with the file (then nothing is added: a re-import adds nothing);
  any other figure is a conflict, shown as a problem, never an overwrite;
- a cumulative figure up to a month the ledger already covers must equal the ledger's total up to that month;
- past the ledger's last month, the increment is the file's cumulative figure less what the ledger (and the
  file's earlier months) already hold; a cumulative figure that falls is a problem.

Every entry to add is checked by the ledger's own rules (``services.ledger.funding_import_problem``)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from zhaoshang.projects.models import FundingEntry
from zhaoshang.projects.services.ledger import funding_import_problem

ZERO = Decimal("0.00")


@dataclass
class Point:
    """One 到位 cell of a row: the month, the amount in 万元, cumulative or not, the column's heading."""

    month: date
    amount: Decimal
    cumulative: bool
    header: str


@dataclass
class Entry:
    number: int  # the file row
    month: date
    amount: Decimal
    header: str
    note: str


def existing_ledger(project_ids) -> dict[int, dict[date, Decimal]]:
    """Counted ledger totals per project and month."""
    ledger: dict[int, dict[date, Decimal]] = defaultdict(dict)
    ids = sorted(set(project_ids))
    for start in range(0, len(ids), 900):
        rows = (
            FundingEntry.objects.counted()
            .filter(project_id__in=ids[start : start + 900])
            .values("project_id", "month")
            .annotate(total=Sum("amount_wan"))
            .order_by()
        )
        for row in rows:
            ledger[row["project_id"]][row["month"]] = row["total"]
    return ledger


def plan(number: int, points: list[Point], ledger: dict[date, Decimal]) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Entries to add for one row and its problems as (heading, message)."""
    entries, problems = [], []
    last = max(ledger, default=None)
    monthly = [p for p in points if not p.cumulative]
    for point in monthly:
        held = ledger.get(point.month)
        if held is not None:
            if held != point.amount:
                problems.append((point.header, _conflict(point.month, held, point.amount)))
        elif point.amount < 0:
            problems.append((point.header, "到位资金不能为负数（更正请在平台录入冲销分录）"))
        elif point.amount > 0:
            entries.append(Entry(number, point.month, point.amount, point.header, "台账导入"))
    cumulative = sorted((p for p in points if p.cumulative), key=lambda p: p.month)
    running = None
    for point in cumulative:
        if last is not None and point.month <= last:
            held = sum((v for m, v in ledger.items() if m <= point.month), ZERO)
            if held != point.amount:
                problems.append(
                    (
                        point.header,
                        f"平台台账截至{point.month:%Y年%m月}累计到位{held:,.2f}万元，与文件的{point.amount:,.2f}万元不一致；"
                        "请核对，需更正的请在平台录入冲销分录",
                    )
                )
                return entries, problems
            continue
        if running is None:
            running = sum(ledger.values(), ZERO) + sum((e.amount for e in entries if e.month < point.month), ZERO)
        increment = point.amount - running
        if increment < 0:
            problems.append(
                (point.header, f"累计到位{point.amount:,.2f}万元少于此前已有的{running:,.2f}万元，累计数不应减少")
            )
            return entries, problems
        if increment > 0:
            note = "台账导入（累计到位换算为当月增量）" if running else "台账导入（截至该月的累计到位）"
            entries.append(Entry(number, point.month, increment, point.header, note))
        running = point.amount
    return entries, problems


def _conflict(month: date, held: Decimal, amount: Decimal) -> str:
    return (
        f"平台台账{month:%Y年%m月}已有到位资金{held:,.2f}万元，与文件的{amount:,.2f}万元不一致；"
        "不会覆盖，请核对后在平台更正"
    )


def check_entries(
    entries: list[Entry], *, agreed, began_on: date, path: str, locks, today: date | None = None
) -> list[tuple[str, str]]:
    return [
        (entry.header, problem)
        for entry in entries
        if (
            problem := funding_import_problem(
                month=entry.month,
                amount_wan=entry.amount,
                agreed_wan=agreed,
                began_on=began_on,
                path=path,
                locks=locks,
                today=today,
            )
        )
    ]
