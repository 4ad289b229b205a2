"""Writing a checked import: investors, projects, transitions and agreements in bulk, audited once per node."""

from collections import defaultdict
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import ROOT_PATH, audit_record_many, snapshot
from zhaoshang.core.bulk import insert_rows, reserve_ids
from zhaoshang.core.choices import Action
from zhaoshang.core.scope import user_node_path
from zhaoshang.investors.models import Enterprise
from zhaoshang.projects.choices import AgreementKind, ProjectSource, Stage
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import Agreement, Project, ProjectTransition
from zhaoshang.projects.services.importing.checks import ImportCheck, _admission_fields, _check
from zhaoshang.projects.services.importing.rows import BATCH, IMPORT_NOTE, ImportOutcome, ProjectImportError, ProjectRow
from zhaoshang.projects.services.rollup import figures_changed


def _resolve_enterprises(
    *, actor, rows: Sequence[ProjectRow], lookups: tuple[dict, dict], audits: list, now
) -> tuple[dict[int, int], dict[str, int]]:
    """Investor per row, as ``enterprise_get_or_create`` would find or create it (``lookups``: the enterprises
    with the rows' credit codes and normalised names, read once), and the new enterprises (id → first row)."""
    by_code, by_name = dict(lookups[0]), lookups[1]
    chosen, new, backfill = {}, {}, {}
    first_rows = {}  # normalised name of a new enterprise → the file row that created it
    for row in rows:
        code, name, normalised = row.credit_code, row.investor_name.strip(), row.investor_normalised
        enterprise = by_code.get(code) if code else None
        if enterprise is None:
            enterprise = by_name.get(normalised) or new.get(normalised)
            if enterprise is not None and code and not _get(enterprise, "credit_code"):
                if isinstance(enterprise, Enterprise):
                    backfill[enterprise.pk] = (enterprise, snapshot(enterprise))
                    enterprise.credit_code = code
                else:
                    enterprise["credit_code"] = code
                by_code[code] = enterprise
        if enterprise is None:
            enterprise = {
                "name": name,
                "normalised_name": normalised,
                "credit_code": code,
                "created_by_id": actor.pk,
                "updated_by_id": actor.pk,
                "created_at": now,
                "updated_at": now,
            }
            new[normalised], first_rows[normalised] = enterprise, row.number
            if code:
                by_code[code] = enterprise
        chosen[row.number] = enterprise
    created = list(new.values())
    for pk, row in zip(reserve_ids(Enterprise, len(created)), created, strict=True):
        row["id"] = pk
    insert_rows(Enterprise, created)
    for enterprise, _ in backfill.values():
        enterprise.updated_by, enterprise.updated_at = actor, now
    Enterprise.objects.bulk_update(
        [e for e, _ in backfill.values()], ["credit_code", "updated_by", "updated_at"], batch_size=BATCH
    )
    audits.extend(
        (Action.UPDATE, "investors.Enterprise", e.pk, str(e), None, before, snapshot(e))
        for e, before in backfill.values()
    )
    new_rows = {str(row["id"]): first_rows[normalised] for normalised, row in new.items()}
    return {number: _get(e, "id") for number, e in chosen.items()}, new_rows


def _get(enterprise, name: str):
    return enterprise[name] if isinstance(enterprise, dict) else getattr(enterprise, "pk" if name == "id" else name)


def _import_audits(
    source_name: str, projects: list[dict], numbers: list[int], new_enterprises: dict, node: str, summary: dict
) -> list[tuple]:
    """One import row per node that received projects, plus the importer's own node (the summary, and the new
    investors, which are not scoped to a node); each lists what it created as {id: row number}."""
    created_by_node = defaultdict(dict)
    for project, number in zip(projects, numbers, strict=True):
        created_by_node[project["path"]][str(project["id"])] = number
    created_by_node.setdefault(node, {})
    entries = []
    for path, created in sorted(created_by_node.items()):
        after = {"file": source_name, "objects": {"project": created}}
        count = len(created)
        if path == node:
            after.update(summary)
            after["objects"]["enterprise"] = new_enterprises
            count = summary["created"]
        title = f"Excel导入项目：{source_name or '文件'}（{count}个）"
        entries.append((Action.IMPORT, "projects.Project", "", title, path, None, after))
    return entries


@transaction.atomic
def projects_import_rows(
    *,
    actor,
    rows: Sequence[ProjectRow],
    source_name: str = "",
    progress: Callable[[str], None] | None = None,
    after_write: Callable[[dict[int, int]], dict] | None = None,
    check: ImportCheck | None = None,
) -> ImportOutcome:
    """Create the projects of ``rows`` in one transaction, or nothing: every row is checked first (scope, place,
    lifecycle needs, duplicates) and any problem raises ``ProjectImportError`` with all of them. Rows already
    imported are skipped. Projects come in as 线索 and move through each stage up to the row's, with an
    agreement before 签约, as ``project_advance`` and ``agreement_create`` would record them.

    ``after_write(row number → project id, new and already imported)`` runs in the same transaction once the
    projects exist (the 台账 import writes their funds history there); what it returns joins the summary of the
    import's audit row, so the whole import stays one recorded change. It raises ``ProjectImportError`` to undo
    everything. ``check``: the result of ``projects_import_check`` on the same rows earlier in the caller's
    transaction, used instead of checking again."""
    if check is not None and transaction.get_connection().in_atomic_block and check.numbers == {r.number for r in rows}:
        problems, existing, lookups = check.problems, check.existing, check.lookups
    else:
        problems, existing, lookups = _check(actor, rows)
    if problems:
        raise ProjectImportError(problems)
    todo = [row for row in rows if row.number not in existing]
    outcome = ImportOutcome(existing=len(existing))
    today, now = timezone.localdate(), timezone.now()
    audits: list = []
    if progress:
        progress("正在写入投资方")
    investors, new_enterprises = _resolve_enterprises(actor=actor, rows=todo, lookups=lookups, audits=audits, now=now)
    outcome.enterprises_created = len(new_enterprises)
    if progress:
        progress("正在写入项目")
    projects, transitions, agreements = [], [], []
    ids = iter(reserve_ids(Project, len(todo)))
    for row in todo:
        steps = row.steps(today)
        signed_on = row.signed_on if row.stage != Stage.LEAD else None
        # Everything derived (place, region group, the group's flags, the verdict) is the row's plan; the import
        # adds what only it knows: the id, the investor it resolved, the stages the file gives and their dates.
        project = row.plan.row() | {
            "id": next(ids),
            "investor_id": investors[row.number],
            "stage": steps[-1][0],
            # The row's 阶段日期, else (a 在谈 row without one) the latest date known: the earliest the next
            # stage can be dated. The transition itself stays undated.
            "stage_on": next(day for _, day in reversed(steps) if day is not None),
            "first_signed_on": signed_on,
            "external_code": row.external_code or "",
            **_admission_fields(row.admission),
        }
        projects.append(project)
        previous = ""
        for stage, on in steps:
            note = "" if stage == Stage.LEAD else IMPORT_NOTE
            transitions.append(
                {"project_id": project["id"], "from_stage": previous, "to_stage": stage, "on": on, "note": note}
            )
            previous = stage
        if signed_on is not None:
            # A first agreement counts whole.
            amount = row.amount_wan
            agreements.append(
                {
                    "project_id": project["id"],
                    "signed_on": signed_on,
                    "amount_wan": amount,
                    "counted_amount_wan": amount,
                }
            )
    stamped = {"created_by_id": actor.pk, "created_at": now}
    insert_rows(
        Project,
        projects,
        shared=stamped | {"updated_by_id": actor.pk, "updated_at": now, "source": ProjectSource.IMPORT},
    )
    if progress:
        progress("正在写入阶段记录和协议")
    for model, batch, shared in (
        (ProjectTransition, transitions, {"actor_id": actor.pk, "created_at": now}),
        (Agreement, agreements, stamped | {"kind": AgreementKind.CONTRACT, "note": IMPORT_NOTE}),
    ):
        for pk, item in zip(reserve_ids(model, len(batch)), batch, strict=True):
            item["id"] = pk
        insert_rows(model, batch, shared=shared)
    extra = {}
    if after_write is not None:
        extra = after_write(dict(existing) | {row.number: p["id"] for row, p in zip(todo, projects, strict=True)})
    if progress:
        progress("正在写入审计记录")
    summary = {
        "rows": len(rows),
        "created": len(projects),
        "already_imported": outcome.existing,
        "enterprises_created": outcome.enterprises_created,
        "transitions": len(transitions),
        "agreements": len(agreements),
        **(extra or {}),
    }
    node = user_node_path(actor) or ROOT_PATH
    audits.extend(_import_audits(source_name, projects, [row.number for row in todo], new_enterprises, node, summary))
    audit_record_many(actor=actor, entries=audits, path=node, at=now)
    # New projects bring no ledger rows (the roll-up is unchanged); their signings and agreements are figures.
    figures_changed()
    outcome.created = [p["id"] for p in projects]
    projects_written(actor=actor, project_ids=outcome.created, investor_ids={p["investor_id"] for p in projects})
    outcome.transitions, outcome.agreements = len(transitions), len(agreements)
    return outcome
