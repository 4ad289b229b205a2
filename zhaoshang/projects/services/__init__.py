"""Project services: every write of the projects app goes through one of these (keyword-only, atomic, audited)."""

from zhaoshang.projects.services.admission import Admission, AdmissionRejected, admission_evaluate
from zhaoshang.projects.services.decision import collective_decision_agreed, decision_record
from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.importing import (
    ProjectImportError,
    ProjectRow,
    projects_import_problems,
    projects_import_rows,
)
from zhaoshang.projects.services.ledger import (
    correction_decide,
    funding_before_project,
    funding_correct,
    funding_record,
    month_lock,
    month_lock_for,
    month_unlock,
    prefecture_path,
)
from zhaoshang.projects.services.library import (
    library_approve,
    library_decide,
    library_return,
    library_review,
    library_submit,
    library_threshold_set,
)
from zhaoshang.projects.services.lifecycle import agreement_create, project_advance, transition_problem
from zhaoshang.projects.services.plan import PROJECT_FIELDS, names_similar
from zhaoshang.projects.services.projects import (
    LikelyDuplicate,
    project_change_investor,
    project_create,
    project_duplicates,
    project_merge,
    project_update,
)

__all__ = [
    "Admission",
    "AdmissionRejected",
    "PROJECT_FIELDS",
    "IllegalTransition",
    "LikelyDuplicate",
    "ProjectImportError",
    "ProjectRow",
    "admission_evaluate",
    "agreement_create",
    "collective_decision_agreed",
    "correction_decide",
    "decision_record",
    "funding_before_project",
    "funding_correct",
    "funding_record",
    "library_approve",
    "library_decide",
    "library_return",
    "library_review",
    "library_submit",
    "library_threshold_set",
    "month_lock",
    "month_lock_for",
    "month_unlock",
    "names_similar",
    "prefecture_path",
    "project_advance",
    "project_change_investor",
    "project_create",
    "project_duplicates",
    "project_merge",
    "project_update",
    "projects_import_problems",
    "projects_import_rows",
    "transition_problem",
]
