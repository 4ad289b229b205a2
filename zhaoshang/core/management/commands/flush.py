"""Django's ``flush`` with the audit triggers lifted for its statement: emptying every table (test runs between
transactional tests, a development reset) deletes the audit rows too, which the triggers refuse otherwise. The
checkpoint file outside the database still names the rows, so ``verify_audit`` reports the flush afterwards."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from zhaoshang.core import audit_triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        with audit_triggers.suspended(connection):
            return super().handle(**options)
