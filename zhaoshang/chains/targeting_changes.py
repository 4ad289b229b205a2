"""Which candidates a run of writes touched: read from the audit rows written since a ranking was made.

A ranking of 靶向寻商 reads enterprises, their tags, signals, placements, projects (their own and their direct
subsidiaries') and activities. Every write of those appends an audit row naming its object, so the rows since the
ranking say which enterprises to read again instead of ranking every candidate afresh (``targeting_selectors``).
The rule is conservative: a row of a model the ranking reads but that cannot be tied to its enterprises here (a
chain's nodes, an investor change, a 台账 import, a region, the catalogue, a row without a type), or too many rows,
answers ``None``, and the ranking is made afresh. Rows of models the ranking does not read are passed over."""

from collections import defaultdict

from django.apps import apps

#: Apps whose rows the ranking may read; a model of any other app (accounts, portal, aftercare …) is not read.
READ_APPS = frozenset({"investors", "projects", "chains", "regions", "catalog"})
#: Models of those apps that the ranking does not read (the ledger, the library, outcomes, park profiles …). A chain's
#: own row is in the ranking's key (its ``updated_at``), so a write of it makes a new ranking anyway.
NOT_READ = frozenset(
    {
        "investors.Contact",
        "investors.ActivityProject",
        "chains.IndustryChain",
        "chains.TargetOutcome",
        "chains.ParkProfile",
        "projects.AdmissionDecision",
        "projects.FundingEntry",
        "projects.CorrectionApproval",
        "projects.MonthLock",
        "projects.LibraryThreshold",
        "projects.LibraryEntry",
        "projects.LibraryStep",
        "projects.Agreement",
        "projects.IncentiveClause",
        "projects.FundingRollup",
        "projects.FiguresVersion",
        "projects.TaizhangMapping",
        "regions.Park",
    }
)
#: Models whose rows name their enterprise directly (the field, in the row or in its audit snapshot).
BY_ENTERPRISE = {
    "investors.EnterpriseTag": "enterprise_id",
    "investors.ActivityEnterprise": "enterprise_id",
    "chains.Signal": "enterprise_id",
    "chains.EnterpriseNodeLink": "enterprise_id",
}
#: Models whose rows name a project: its investor is touched.
BY_PROJECT = {"chains.ProjectNodeLink": "project_id", "projects.ProjectTransition": "project_id"}
#: Models the region's diagnosis does not read: when every write since is of these, the grades cannot have moved.
DIAGNOSIS_FREE = frozenset(
    {"chains.Signal", "chains.TargetOutcome", "investors.Activity", "investors.ActivityEnterprise"}
)
MOST_ROWS = 200  # more writes than this since the ranking (an import): rank afresh, it is as quick


def writes_since(audit_id: int) -> list[tuple] | None:
    """(object type, object id, before, after) of the audit rows after ``audit_id`` that record a write, oldest
    first; None when there are more than ``MOST_ROWS``. Rows that record no change of data are passed over, as by
    ``selectors.data_version``: signing in and out, exports, downloads, refusals."""
    from zhaoshang.core.choices import Action
    from zhaoshang.core.models import AuditLog

    exclude_actions = [
        Action.LOGIN,
        Action.LOGOUT,
        Action.LOGIN_FAILED,
        Action.LOCKOUT,
        Action.EXPORT,
        Action.ATTACHMENT_DOWNLOAD,
        *Action.REFUSALS,
    ]
    rows = list(
        AuditLog.objects.filter(id__gt=audit_id)
        .exclude(action__in=exclude_actions)
        .order_by("id")
        .values_list("object_type", "object_id", "before", "after")[: MOST_ROWS + 1]
    )
    return None if len(rows) > MOST_ROWS else rows


def _ids(values) -> set[int]:
    out = set()
    for value in values:
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return out


def grades_may_move(rows: list[tuple]) -> bool:
    """Whether the writes may have moved the region's diagnosis (asked again then; otherwise its grades are kept)."""
    return any(object_type not in DIAGNOSIS_FREE for object_type, *_ in rows)


def touched_enterprises(rows: list[tuple]) -> set[int] | None:
    """The enterprises whose candidate facts the writes may have changed (with their parents: a subsidiary's project
    counts for its group), or None when some write cannot be tied to enterprises."""
    from zhaoshang.investors.models import ActivityEnterprise, Enterprise
    from zhaoshang.projects.models import Project

    by_type: dict[str, set[int]] = defaultdict(set)
    named: set[int] = set()  # enterprises the snapshots name (a value before the write, gone from the row since)
    for object_type, object_id, before, after in rows:
        app = object_type.split(".", 1)[0] if object_type else ""
        if app not in READ_APPS:
            if not object_type:
                return None
            continue
        if object_type in NOT_READ:
            continue
        if (
            object_type not in BY_ENTERPRISE
            and object_type not in BY_PROJECT
            and object_type
            not in (
                "investors.Enterprise",
                "projects.Project",
                "investors.Activity",
            )
        ):
            return None
        by_type[object_type] |= _ids([object_id])
        for snap in (before, after):
            if isinstance(snap, dict):
                named |= _ids(snap.get(key) for key in ("enterprise_id", "investor_id", "parent_id"))
                if object_type == "investors.Activity" and isinstance(snap.get("enterprises"), list):
                    named |= _ids(snap["enterprises"])  # the enterprises it met, those taken off it too
    touched = set(named) | by_type.pop("investors.Enterprise", set())
    projects = by_type.pop("projects.Project", set())
    for object_type, field in BY_PROJECT.items():
        ids = by_type.pop(object_type, set())
        if ids:
            model = apps.get_model(object_type)
            projects |= set(model.objects.filter(pk__in=ids).values_list(field, flat=True))
    if projects:
        touched |= set(Project.objects.filter(pk__in=projects).values_list("investor_id", flat=True))
    activities = by_type.pop("investors.Activity", set())
    if activities:
        touched |= set(
            ActivityEnterprise.objects.filter(activity_id__in=activities).values_list("enterprise_id", flat=True)
        )
    for object_type, ids in by_type.items():
        model = apps.get_model(object_type)
        touched |= set(model.objects.filter(pk__in=ids).values_list(BY_ENTERPRISE[object_type], flat=True))
    touched.discard(None)
    if touched:
        touched |= set(
            Enterprise.objects.filter(pk__in=touched, parent__isnull=False).values_list("parent_id", flat=True)
        )
    return touched
