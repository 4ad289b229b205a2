"""The systemd units in deploy/ run commands that exist: a renamed or removed management command would otherwise
fail only on a bureau's server, at night. Every timer starts a unit that is there."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

UNITS = Path(settings.BASE_DIR) / "deploy" / "systemd"


def test_every_command_a_unit_runs_is_a_management_command_of_the_platform():
    commands = {
        command
        for unit in UNITS.glob("*.service")
        for command in re.findall(r"manage\.py (\w+)", unit.read_text(encoding="utf-8"))
    }
    assert {"backup_drill", "risk_scan", "risk_digest", "aftercare_tick", "jobs_reap"} <= commands
    assert commands <= set(get_commands()), commands - set(get_commands())


def test_every_timer_has_its_service():
    timers = list(UNITS.glob("*.timer"))
    assert len(timers) >= 4
    for timer in timers:
        assert timer.with_suffix(".service").exists(), timer.name
