"""Keeping the ledger's monthly roll-up (``models/rollup.py``) equal to the ledger, and the figures' version.

Every write that can change what a roll-up row holds — an entry, an approved correction, a merge that moves
entries, a project moved to another county or park, a change of its category, key industry, GB/T class or source
region — runs inside ``rollup_tracking(project_ids)``: the counted ledger sums of those projects are read before and
after the write, and the difference is added to the roll-up in the same transaction. One rule for every kind of
write, so a new kind cannot forget a case; it reads only the entries of the projects written (a dozen rows each).
Bulk loaders that bypass the services (demo seeding) call ``rollup_rebuild`` at their end.
"""

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.projects.choices import CorrectionDecision
from zhaoshang.projects.models import (
    CorrectionApproval,
    FiguresVersion,
    FundingEntry,
    FundingRollup,
    Project,
    RollupKind,
)
from zhaoshang.projects.models.rollup import INDUSTRIAL_KEY_INDUSTRIES, INDUSTRIAL_SECTIONS

KEY = ("kind", "month", "path", "category", "industrial", "detail")
AMOUNTS = ("amount_cents", "outside_province_cents", "outside_prefecture_cents", "foreign_usd_cents", "entries")
LEDGER_AMOUNTS = ("amount_wan", "outside_province_wan", "outside_prefecture_wan", "foreign_usd_wan")
CHUNK = 500  # project ids per query: within SQLite's parameter limit
SEQUENCE = "projects_figures_version"  # PostgreSQL: see figures_changed


def _sums_sql(where: str = "") -> str:
    """The counted ledger (``FundingEntry.objects.counted()``) summed by month, path, category, 工业, key industry and
    source region, in cents: the one definition the roll-up is built from, kept up to date with, and checked
    against. (The constants are ours, not user input.)"""
    entry, project = FundingEntry._meta.db_table, Project._meta.db_table
    approval, key_industry = CorrectionApproval._meta.db_table, KeyIndustry._meta.db_table
    industry_class = IndustryClass._meta.db_table
    cents = ", ".join(f"SUM(CAST(ROUND(e.{column} * 100) AS BIGINT))" for column in LEDGER_AMOUNTS)
    sections = ", ".join(f"'{s}'" for s in INDUSTRIAL_SECTIONS)
    industries = ", ".join(f"'{code}'" for code in INDUSTRIAL_KEY_INDUSTRIES)
    industrial = (
        f"CASE WHEN c.section IN ({sections}) OR (p.industry_class_id IS NULL AND k.code IN ({industries})) "
        "THEN 1 ELSE 0 END"
    )
    return f"""
        SELECT e.month, p.path, p.category, {industrial}, COALESCE(k.code, ''), p.region_group, {cents}, COUNT(*)
        FROM {entry} e
        JOIN {project} p ON p.id = e.project_id
        LEFT JOIN {key_industry} k ON k.id = p.key_industry_id
        LEFT JOIN {industry_class} c ON c.id = p.industry_class_id
        WHERE p.merged_into_id IS NULL
          AND (e.reverses_id IS NULL OR EXISTS (
                SELECT 1 FROM {approval} a WHERE a.entry_id = e.id AND a.decision = '{CorrectionDecision.APPROVED}'))
          {where}
        GROUP BY e.month, p.path, p.category, {industrial}, COALESCE(k.code, ''), p.region_group
    """


def _add(into: dict, key: tuple, values: tuple) -> None:
    old = into.get(key)
    into[key] = values if old is None else tuple(a + b for a, b in zip(old, values, strict=True))


def ledger_sums(project_ids: Iterable[int] | None = None) -> dict[tuple, tuple[int, ...]]:
    """{roll-up key: (amount, 省外, 州外, 外资 in cents, entries)} of the counted ledger, of some projects or all,
    in each of the three kinds."""
    with connection.cursor() as cursor:
        if project_ids is None:
            cursor.execute(_sums_sql())
            batches = [cursor.fetchall()]
        else:
            ids, batches = sorted(set(project_ids)), []
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                cursor.execute(_sums_sql(f"AND e.project_id IN ({', '.join(['%s'] * len(chunk))})"), chunk)
                batches.append(cursor.fetchall())
    result: dict[tuple, tuple[int, ...]] = {}
    for rows in batches:
        for month, path, category, industrial, industry, source, *amounts in rows:
            if isinstance(month, str):  # SQLite hands back raw dates in raw SQL
                month = date.fromisoformat(month)
            values = tuple(int(v or 0) for v in amounts)
            common = (month, path, category, bool(industrial))
            _add(result, (RollupKind.TOTAL.value, *common, ""), values)
            _add(result, (RollupKind.INDUSTRY.value, *common, industry), values)
            _add(result, (RollupKind.SOURCE.value, *common, source), values)
    return result


def rollup_rows() -> dict[tuple, tuple[int, ...]]:
    """The roll-up as stored, in the shape of ``ledger_sums`` (rows that hold nothing left out)."""
    rows = FundingRollup.objects.values_list(*KEY, *AMOUNTS)
    return {tuple(row[:6]): tuple(row[6:]) for row in rows if row[-1]}


def _apply(delta: dict[tuple, tuple[int, ...]]) -> None:
    """Add ``delta`` to the roll-up: one upsert per row, in key order (two writers lock rows in the same order)."""
    changed = sorted((key, values) for key, values in delta.items() if any(values))
    if not changed:
        return
    table = FundingRollup._meta.db_table
    columns = (*KEY, *AMOUNTS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in AMOUNTS)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *values) for key, values in changed])
        # A combination no entry belongs to any more (its project moved away) is removed, not kept at zero.
        months = sorted({key[1] for key, _ in changed})
        paths = sorted({key[2] for key, _ in changed})
        cursor.execute(
            f"DELETE FROM {table} WHERE entries = 0 AND month IN ({', '.join(['%s'] * len(months))}) "
            f"AND path IN ({', '.join(['%s'] * len(paths))})",
            [*months, *paths],
        )


def _difference(after: dict, before: dict) -> dict:
    zero = (0,) * len(AMOUNTS)
    return {
        key: tuple(a - b for a, b in zip(after.get(key, zero), before.get(key, zero), strict=True))
        for key in after.keys() | before.keys()
    }


@contextmanager
def rollup_tracking(project_ids: Iterable[int]) -> Iterator[None]:
    """Wrap a write that can change what the ledger of ``project_ids`` adds up to (inside its transaction): the
    roll-up takes the difference, and the figures' version moves."""
    ids = sorted({pk for pk in project_ids if pk is not None})
    before = ledger_sums(ids)
    yield
    _apply(_difference(ledger_sums(ids), before))
    figures_changed()


@transaction.atomic
def rollup_rebuild() -> int:
    """Recompute the whole roll-up from the ledger (after a bulk load that bypassed the services, or a repair);
    returns the number of rows."""
    FundingRollup.objects.all().delete()
    rows = [
        FundingRollup(**dict(zip(KEY, key, strict=True)), **dict(zip(AMOUNTS, values, strict=True)))
        for key, values in ledger_sums().items()
    ]
    FundingRollup.objects.bulk_create(rows, batch_size=5000)
    figures_changed()
    return len(rows)


def rollup_differences() -> list[str]:
    """Where the roll-up and the ledger disagree, in words (none: they agree)."""
    stored, expected = rollup_rows(), ledger_sums()
    return [
        f"{key}: 汇总 {stored.get(key)}，台账 {expected.get(key)}"
        for key in sorted(stored.keys() | expected.keys())
        if stored.get(key) != expected.get(key)
    ]


def _bump() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT nextval('{SEQUENCE}')")
            return
    # A random number, not number + 1: a rolled-back write (a test, a failed import) or a restored copy would
    # hand out a number again, and a cache still holding figures under it would serve them for other data.
    number = secrets.randbits(62)
    if not FiguresVersion.objects.filter(pk=1).update(number=number):
        FiguresVersion.objects.get_or_create(pk=1, defaults={"number": number})


def figures_changed() -> None:
    """The figures changed: move their version now (this transaction, and a test inside one, reads the new key)
    and again once the write has committed. PostgreSQL takes it from a sequence, which no transaction locks (a
    counter row would serialise every write until its commit); a reader that took the in-flight number and cached
    the figures before the commit is superseded by the second move. On SQLite writers are serialised anyway."""
    _bump()
    transaction.on_commit(_bump)


def figures_version() -> int:
    """The current version of the figures: part of every cache key of the cockpit and the 工作台's figures."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT last_value + CASE WHEN is_called THEN 0 ELSE -1 END FROM {SEQUENCE}")
            return cursor.fetchone()[0]
    return FiguresVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
