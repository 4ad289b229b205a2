"""Bulk writes for imports: ids reserved up front, rows inserted with one COPY (PostgreSQL) or one executemany
(SQLite), without building model instances. Callers check every rule themselves first (``save()`` and
``clean()`` do not run), so this is for services that validated their rows."""

import gc
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

from django.db import connection
from django.db.models import DateField, DateTimeField, DecimalField, JSONField

from zhaoshang.core.audit import JSONText, canonical_json


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector while an import holds its rows. Reference counting still frees what the rows
    drop; what the collector would do is walk the tens of thousands of live row objects again and again (measured:
    a quarter of a 20,000-row dry run). It runs as usual once the work is done; a pause inside a pause leaves the
    collector to the outer one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=32)
def field_defaults(model) -> tuple[tuple[str, object], ...]:
    return tuple((f.attname, f.get_default()) for f in model._meta.concrete_fields)


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for ``count`` new rows, taken before inserting so that children can point at them. Runs inside
    the write transaction: SQLite holds its write lock from BEGIN IMMEDIATE, PostgreSQL hands out sequence values."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is named once: in the select list, pg_get_serial_sequence would run for every id.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, count])
            return cursor.fetchone()[0]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(start, found[0] if found else 0) + 1
    return list(range(start, start + count))


def _converter(model_field):
    """How a Python value becomes a database value for this field, once per column instead of per value."""
    if isinstance(model_field, JSONField):
        return lambda value: value if value is None or isinstance(value, JSONText) else canonical_json(value)
    if connection.vendor != "sqlite":
        return None  # psycopg adapts dates, datetimes and Decimals itself
    ops = connection.ops
    if isinstance(model_field, DateTimeField):
        return lru_cache(maxsize=64)(ops.adapt_datetimefield_value)  # an import writes one timestamp
    if isinstance(model_field, DateField):
        return lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    if isinstance(model_field, DecimalField):
        digits, places = model_field.max_digits, model_field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    return None


def insert_rows(model, rows: list[dict], shared: dict | None = None) -> None:
    """Insert rows given as {attname: value}, the primary key included; every row has the keys of the first.
    ``shared`` holds the values that are the same in every row; other fields take their defaults."""
    if not rows:
        return
    fields = model._meta.concrete_fields
    unknown = (set(rows[0]) | set(shared or {})) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no columns {sorted(unknown)}")
    given = [f.attname for f in fields if f.attname in rows[0]]
    pick = itemgetter(*given)
    rows_values = map(pick, rows) if len(given) > 1 else ((pick(row),) for row in rows)
    given_columns = dict(zip(given, zip(*rows_values, strict=True), strict=True))
    constants = dict(field_defaults(model)) | (shared or {})
    columns_values = [given_columns.get(f.attname) or (constants[f.attname],) * len(rows) for f in fields]
    for index, model_field in enumerate(fields):
        convert = _converter(model_field)
        if convert is not None:
            columns_values[index] = list(map(convert, columns_values[index]))
    values = list(zip(*columns_values, strict=True))
    table = model._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({placeholders})', values)
