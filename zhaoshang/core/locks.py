"""Named locks held to the end of the transaction. PostgreSQL only: SQLite serialises writers already (the
project's SQLite transactions are IMMEDIATE), so there the call does nothing."""

import hashlib

from django.db import connection


def transaction_lock(name: str, *, shared: bool = False) -> None:
    """Wait for ``name`` and hold it until the transaction ends. READ COMMITTED reads anew at every statement, so
    what the previous holder committed is seen by the statements after this call."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        cursor.execute(f"SELECT {function}(%s)", [key])
