"""Whose personal information did an account see or export between two times (PIPL art. 51, 等保 8.1.4.3 c).

Every path that shows personal information in full writes an audit row naming its subject: a contact revealed
(``reveal_contact``), a record opened in the admin site with its personal fields (``view_personal``), and an export
whose columns hold personal information (``export`` rows listing ``subjects``). Lists, pages, exports and the API
show personal fields masked, which is not an access to them. The audit administrator asks on ``/audit/personal/``
or with ``manage.py pii_access --user X --from … --to …``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q

from zhaoshang.core.choices import Action
from zhaoshang.core.models import AuditLog
from zhaoshang.core.pii import PiiKind, personal_fields, subject_label

# Actions that show one object's personal fields in full; ``export`` counts when its row lists its subjects.
ACCESS_ACTIONS = ("reveal_contact", "view_personal")


@dataclass(frozen=True)
class Access:
    at: datetime
    row_id: int
    action: str
    action_label: str
    subject_type: str  # the kind of record, in words
    subject_id: str
    subject: str  # masked, as the trail names it
    fields: str  # which personal fields, in words
    reason: str
    ip: str


def access_rows(*, username: str, start: datetime, end: datetime, queryset=None):
    """The audit rows of ``username``'s accesses to personal information in [start, end)."""
    rows = AuditLog.objects.all() if queryset is None else queryset
    return rows.filter(actor_name=username, created_at__gte=start, created_at__lt=end).filter(
        Q(action__in=ACCESS_ACTIONS) | Q(action=Action.EXPORT, after__has_key="subjects")
    )


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field_labels(model, names) -> str:
    if not isinstance(names, list):
        return ""
    fields = {f.name: f for f in model._meta.fields} if model is not None else {}
    kinds = {f.name: PiiKind.LABELS[f.pii] for f in personal_fields()}
    shown = [str(fields[n].verbose_name) if n in fields else kinds.get(n, n) for n in names]
    return "、".join(shown)


def pii_access(*, username: str, start: datetime, end: datetime, queryset=None) -> list[Access]:
    """One line per subject whose personal information the account saw or exported, oldest first."""
    rows = list(access_rows(username=username, start=start, end=end, queryset=queryset).order_by("created_at", "id"))
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.action == Action.EXPORT:
            subjects = row.after.get("subjects") or {}
            wanted[subjects.get("model", "")].update(str(pk) for pk in subjects.get("ids", []))
        else:
            wanted[row.object_type].add(row.object_id)
    found: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        model = _model(label)
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=[i for i in ids if str(i).isdigit()]):
            found[(label, str(obj.pk))] = subject_label(obj)

    result = []
    for row in rows:
        after = row.after if isinstance(row.after, dict) else {}
        if row.action == Action.EXPORT:
            subjects = after.get("subjects") or {}
            label, ids = subjects.get("model", ""), [str(pk) for pk in subjects.get("ids", [])]
            fields = "、".join(after.get("fields", []))
        else:
            label, ids = row.object_type, [row.object_id]
            fields = _field_labels(_model(label), after.get("fields"))
        model = _model(label)
        kind = str(model._meta.verbose_name) if model is not None else label
        for pk in ids:
            result.append(
                Access(
                    at=row.created_at,
                    row_id=row.pk,
                    action=row.action,
                    action_label=row.action_label,
                    subject_type=kind,
                    subject_id=pk,
                    subject=found.get((label, pk))
                    or f"（已删除）{row.object_repr if row.action != Action.EXPORT else ''}",
                    fields=fields,
                    reason=str(after.get("reason", "")),
                    ip=row.ip or "",
                )
            )
    return result
