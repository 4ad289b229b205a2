"""Bulk import of projects (Excel): the rules of ``project_create``, the lifecycle and 甄别, applied to many rows
at once, then written with bulk inserts in one transaction.

``projects_import_problems`` checks rows against the rules and the database and returns every problem as
``(row number, column header, message)``; ``projects_import_rows`` checks again inside its transaction and, only
when no row fails, writes projects, their transitions and agreements, new investors, and the audit rows: the
import is one change, recorded once per jurisdiction node it filled (so each office sees the part in its scope),
each row listing the projects it created by id and file row (``AuditLog.objects.about`` finds it from a project);
an existing investor whose credit code the file fills in gets its own before/after row.

The stable key of an imported row is its 项目编号 (``Project.external_code``, unique per county): a row whose
项目编号 already exists in its county is "already imported" and creates nothing. A row without a 项目编号 is
already imported when a project of the same county and investor has the same name; a merely similar name is
a likely duplicate (甄别) and fails the row, naming the existing project.
"""

from zhaoshang.projects.services.importing.checks import (
    ImportCheck,
    _admission_fields,
    _check,
    _chunks,
    _county_code_conditions,
    _duplicate_problems,
    _enterprises_by_code_and_name,
    _investor_key,
    _json_strings,
    _plan_problems,
    _row_problems,
    projects_import_check,
    projects_import_problems,
)
from zhaoshang.projects.services.importing.rows import (
    BATCH,
    CHUNK,
    HEADERS,
    IMPORT_NOTE,
    ImportOutcome,
    ProjectImportError,
    ProjectRow,
    format_problem,
)
from zhaoshang.projects.services.importing.writing import (
    _get,
    _import_audits,
    _resolve_enterprises,
    projects_import_rows,
)

__all__ = [
    "BATCH",
    "CHUNK",
    "HEADERS",
    "IMPORT_NOTE",
    "ImportCheck",
    "ImportOutcome",
    "ProjectImportError",
    "ProjectRow",
    "_admission_fields",
    "_check",
    "_chunks",
    "_county_code_conditions",
    "_duplicate_problems",
    "_enterprises_by_code_and_name",
    "_get",
    "_import_audits",
    "_investor_key",
    "_json_strings",
    "_plan_problems",
    "_resolve_enterprises",
    "_row_problems",
    "format_problem",
    "projects_import_check",
    "projects_import_problems",
    "projects_import_rows",
]
