"""Project services: every write of the projects app goes through one of these (keyword-only, atomic, audited)."""

from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.ledger import (
    correction_decide,
    funding_correct,
    funding_record,
    month_lock,
    month_lock_for,
    prefecture_path,
)
from zhaoshang.projects.services.lifecycle import agreement_create, project_advance, transition_problem
from zhaoshang.projects.services.projects import (
    PROJECT_FIELDS,
    names_similar,
    project_change_investor,
    project_create,
    project_duplicates,
    project_merge,
    project_update,
)

__all__ = [
    "PROJECT_FIELDS",
    "IllegalTransition",
    "agreement_create",
    "correction_decide",
    "funding_correct",
    "funding_record",
    "month_lock",
    "month_lock_for",
    "names_similar",
    "prefecture_path",
    "project_advance",
    "project_change_investor",
    "project_create",
    "project_duplicates",
    "project_merge",
    "project_update",
    "transition_problem",
]
