"""The 工作台 (the home page of bureau staff): what waits for the user, their jurisdiction's headline figures against
elapsed time, and the latest changes in their scope. Plain data; the template only formats and links.

Every read goes through ``for_user`` (and needs the permission the linked page needs), so a to-do never counts
what its page would not show. Each to-do is a count and the filtered list it links to, where the same rows are
listed. The number of queries does not grow with the data (``tests/test_workbench.py`` counts them): counts are
aggregates, the figures are the indicator functions of the cockpit and the bulletins (cached until the figures
change, like the cockpit), and the recent changes read their names in one query per kind of object.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.changes import audit_changes, panel_rows
from zhaoshang.core.choices import Action
from zhaoshang.core.models import AuditLog
from zhaoshang.core.periods import last_complete_month
from zhaoshang.core.scope import permission_name
from zhaoshang.dashboard.cockpit import HEADLINE
from zhaoshang.investors.choices import FOLLOW_UP_DUE_DAYS
from zhaoshang.investors.models import Activity, Enterprise
from zhaoshang.projects.library_views import queue_status
from zhaoshang.projects.models import FundingEntry, LibraryEntry, LibraryLevel, MonthLock, Project
from zhaoshang.projects.services.library import actor_level
from zhaoshang.projects.services.rollup import figures_version
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.selectors import FIGURES_PERMISSION, home_region
from zhaoshang.stats.indicators import Period
from zhaoshang.stats.schedule import node_rows

RECENT_CHANGES = 10
CHANGES_PER_ROW = 3
CACHE_SECONDS = 3600
# Rows of the audit trail that change nothing a to-do or a figure reads: who signed in, what was exported or
# looked at, refused attempts, background jobs started.
NOT_CHANGES = (
    *Action.REFUSALS,
    *Action.KINDS["account"][1],
    *Action.KINDS["export"][1],
    "job_start",
)
# Rows about these are seen on their project's page: who reads projects reads their changes.
SEEN_ON_THE_PROJECT = {
    "projects.Agreement",
    "projects.IncentiveClause",
    "projects.InvestorChange",
    "projects.ProjectTransition",
    "projects.AdmissionDecision",
    "projects.CorrectionApproval",
}
LIBRARY_TODO = {
    LibraryLevel.COUNTY: "被退回、待重新申报的入库项目",
    LibraryLevel.PREFECTURE: "待州市审核的入库申报",
    LibraryLevel.PROVINCE: "待省级审定的入库申报",
}


@dataclass(frozen=True)
class Todo:
    """One kind of work waiting for the user: how many, of which overdue, and the list that shows them."""

    key: str  # data attribute for tests and scripts
    label: str
    count: int
    url: str
    overdue: int = 0
    overdue_url: str = ""  # the overdue ones only, where the list can show them apart
    note: str = ""
    items: list = field(default_factory=list)  # a few of them by name, where names help

    @property
    def due(self) -> int:
        return self.count - self.overdue


def _follow_ups(user, today: date) -> Todo | None:
    """专人盯: enterprises the user follows up, due within the week or overdue."""
    if not user.has_perm("investors.view_enterprise"):
        return None
    mine = Enterprise.objects.for_user(user).open_for(user, today)
    counts = mine.order_by().aggregate(count=Count("pk"), overdue=Count("pk", filter=Q(next_follow_up_on__lt=today)))
    overdue = list(mine.filter(next_follow_up_on__lt=today).values("pk", "name", "next_follow_up_on")[:5])
    url = reverse("investors:my_follow_ups")
    return Todo(
        key="follow_ups",
        label="专人盯企业跟进",
        count=counts["count"],
        overdue=counts["overdue"],
        url=f"{url}?due=open",
        overdue_url=f"{url}?due=overdue",
        note=f"{FOLLOW_UP_DUE_DAYS}日内到期或已逾期",
        items=[
            {
                "name": row["name"],
                "url": reverse("investors:enterprise_detail", args=[row["pk"]]),
                "on": row["next_follow_up_on"],
            }
            for row in overdue
        ],
    )


def _activity_follow_ups(user, today: date) -> Todo | None:
    """Activities in the user's scope whose 跟进期限 is near or past."""
    if not user.has_perm("investors.view_activity"):
        return None
    rows = Activity.objects.for_user(user).follow_up_open(today)
    counts = rows.order_by().aggregate(count=Count("pk"), overdue=Count("pk", filter=Q(follow_up_on__lt=today)))
    url = reverse("investors:activity_list")
    return Todo(
        key="activity_follow_ups",
        label="活动后续跟进",
        count=counts["count"],
        overdue=counts["overdue"],
        url=f"{url}?follow_up=open",
        overdue_url=f"{url}?follow_up=overdue",
        note="跟进期限已到或将到；跟进后请在活动中更新跟进期限",
    )


def _corrections(user) -> Todo | None:
    """Corrections of the ledger waiting for a second person: never the user's own."""
    if not user.has_perm("projects.approve_fundingentry"):
        return None
    count = FundingEntry.objects.for_user(user, "approve").pending().exclude(entered_by_id=user.pk).count()
    return Todo(
        key="corrections",
        label="待审核的到位资金更正",
        count=count,
        url=reverse("projects:correction_list") + "?state=for_me",
        note="由他人录入、待您审核的冲销更正",
    )


def _library(user) -> Todo | None:
    """招大引强项目库: the entries waiting for the user's step (as the queue page lists them)."""
    if not user.has_perm("projects.view_libraryentry"):
        return None
    status = queue_status(user)
    if not status:
        return None
    count = LibraryEntry.objects.for_user(user).filter(status=status).count()
    level = actor_level(user)
    return Todo(
        key="library",
        label=LIBRARY_TODO.get(level, "招大引强入库待办"),
        count=count,
        url=reverse("projects:library_queue"),
        note="按您所在层级的审核环节",
    )


def _months_to_lock(user, node: Region | None, today: date) -> Todo | None:
    """A prefecture locks each month once reported: the months of the reporting year up to the last complete month
    that are not locked (the last complete month is due, earlier ones overdue)."""
    if node is None or node.level != 2 or not user.has_perm("projects.add_monthlock"):
        return None
    year, month = last_complete_month(today)
    locked = set(
        MonthLock.objects.for_user(user)
        .active()
        .filter(prefecture=node, month__year=year)
        .values_list("month__month", flat=True)
    )
    missing = [m for m in range(1, month + 1) if m not in locked]
    return Todo(
        key="months_to_lock",
        label="待锁定的月份",
        count=len(missing),
        overdue=len([m for m in missing if m < month]),
        url=reverse("projects:month_lock"),
        note=f"{year}年：" + ("、".join(f"{m}月" for m in missing) if missing else "均已锁定"),
    )


def _stalled(user) -> Todo | None:
    if not user.has_perm("projects.view_project"):
        return None
    count = Project.objects.for_user(user).counted().stalled().count()
    return Todo(
        key="stalled",
        label="停滞项目",
        count=count,
        overdue=count,
        url=reverse("projects:project_list") + "?stalled=1",
        note="已标记停滞、需研究处置的项目",
    )


def todos(user, *, node: Region | None, today: date) -> list[Todo]:
    """My to-dos, in the order an officer works through them."""
    found = [
        _follow_ups(user, today),
        _activity_follow_ups(user, today),
        _corrections(user),
        _library(user),
        _months_to_lock(user, node, today),
    ]
    return [todo for todo in found if todo is not None]


def overdue(user, todo_list: list[Todo]) -> list[Todo]:
    """逾期事项: the overdue part of each to-do, and the stalled projects (a risk that waits for a decision)."""
    rows = [todo for todo in todo_list if todo.overdue]
    stalled = _stalled(user)
    if stalled is not None and stalled.count:
        rows.append(stalled)
    return rows


def headline(user, node: Region | None, period: Period) -> list | None:
    """The node's headline indicators with 序时进度 (the cockpit's, computed by the same functions), or None when
    the user does not read targets or has no region of their own."""
    if node is None or not user.has_perm("stats.view_target"):
        return None
    codes = HEADLINE if node.level == 1 else ["funds_outside_prefecture", *HEADLINE]
    key = f"workbench:v3:{node.code}:{period.year}-{period.month}:{figures_version()}"
    return cache.get_or_set(key, lambda: node_rows(node, period, codes), timeout=CACHE_SECONDS)


def _links(user, rows: list[AuditLog]) -> dict[tuple[str, str], str]:
    """(object type, id) → the object's page, for the objects of ``rows`` the user may open (one query per kind)."""
    from django.apps import apps

    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.object_type and row.object_id:
            wanted.setdefault(row.object_type, set()).add(row.object_id)
        project_id = _project_of(row)
        if project_id:
            wanted.setdefault("projects.Project", set()).add(project_id)
    links = {}
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not hasattr(model, "get_absolute_url") or not hasattr(model.objects, "for_user"):
            continue
        pks = [int(pk) for pk in ids if str(pk).isdigit()]
        for pk in model.objects.for_user(user).filter(pk__in=pks).values_list("pk", flat=True):
            links[(label, str(pk))] = model(pk=pk).get_absolute_url()
    return links


def _project_of(row: AuditLog) -> str:
    """The project a ledger, agreement or library row is about (its page is where the change is seen)."""
    for side in (row.after, row.before):
        if isinstance(side, dict) and side.get("project_id") and row.object_type != "projects.Project":
            return str(side["project_id"])
    return ""


def readable_kinds(user) -> list[str]:
    """The kinds of object (``app.Model``) whose changes the user may read: those the user may view (a project's
    agreements, steps and the like with the project). A security administrator's scope holds no business data."""
    from django.apps import apps

    kinds = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("zhaoshang."):
            continue
        needed = "projects.view_project" if label in SEEN_ON_THE_PROJECT else permission_name(model, "view")
        if user.has_perm(needed):
            kinds.append(label)
    return sorted(kinds)


def recent_changes(user, *, limit: int = RECENT_CHANGES) -> list[dict]:
    """The latest changes in the user's scope to objects the user may read (refusals, sign-ins, exports and jobs
    left out), each with up to three changed fields in words (``core.changes``) and a link to the object where the
    user may open it."""
    kinds = readable_kinds(user)
    if not kinds:
        return []
    rows = AuditLog.objects.for_user(user, action=None).exclude(action__in=NOT_CHANGES).filter(object_type__in=kinds)
    rows = list(rows.order_by("-id")[:limit])
    links = _links(user, rows)
    result = []
    for row, changes in zip(rows, audit_changes(rows), strict=True):
        shown, more = panel_rows(changes, action=row.action)
        url = links.get((row.object_type, row.object_id)) or links.get(("projects.Project", _project_of(row)), "")
        result.append(
            {
                "pk": row.pk,
                "at": row.created_at,
                "actor": row.actor_name,
                "action": row.action,
                "action_label": row.action_label,
                "kind": row.object_type_label,
                "object": row.object_repr,
                "url": url,
                "changes": shown[:CHANGES_PER_ROW],
                "more": more + max(0, len(shown) - CHANGES_PER_ROW),
            }
        )
    return result


def own_park(user) -> Park | None:
    """A park committee's park (its node is the park's)."""
    path = getattr(user, "scope_path", None)
    if not path or not user.has_perm("regions.view_park"):
        return None
    return Park.objects.for_user(user).filter(path=path).first()


def workbench(user, *, today: date | None = None) -> dict:
    """Everything the 工作台 shows, for a bureau user."""
    today = today or timezone.localdate()
    period = Period.default(today)
    node = home_region(user)
    todo_list = todos(user, node=node, today=today)
    return {
        "today": today,
        "period": period,
        "node": node,
        "park": own_park(user) if node is None else None,
        "todos": todo_list,
        "overdue": overdue(user, todo_list),
        "headline": headline(user, node, period),
        "changes": recent_changes(user),
        "can_schedule": node is not None and user.has_perms(["stats.view_target", FIGURES_PERMISSION]),
    }
