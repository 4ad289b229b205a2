"""The services of the 台账 import: upload, the bureau's remembered mapping, and the commit — all or nothing, one
audited change (the import's audit rows carry the funds history it wrote), through ``projects_import_rows``."""

import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import ROOT_PATH, audit_record, snapshot
from zhaoshang.core.bulk import cyclic_gc_paused, insert_rows, reserve_ids
from zhaoshang.core.choices import Action
from zhaoshang.projects.models import FundingEntry, TaizhangImport, TaizhangMapping
from zhaoshang.projects.services.importing import ProjectImportError, format_problem, projects_import_rows
from zhaoshang.projects.taizhang.mapping import header_key
from zhaoshang.projects.taizhang.preview import Preview, taizhang_preview

SOURCE_NOTE = "台账导入"


class TaizhangImportError(ValidationError):
    """The file has problems; ``messages`` lists them (``第N行 列: 原因``). Nothing was written."""


@transaction.atomic
def taizhang_upload(*, actor, upload) -> TaizhangImport:
    """Keep an uploaded 台账 for its mapping and preview (checked by ``validate_upload`` before)."""
    item = TaizhangImport(filename=upload.name[:200], path=actor.scope_path or ROOT_PATH)
    item.created_by = item.updated_by = actor
    item.file.save(upload.name, upload, save=False)
    item.save()
    audit_record(actor=actor, action=Action.CREATE, obj=item, after={"filename": item.filename})
    return item


@transaction.atomic
def taizhang_mapping_save(*, actor, labels: list[str], columns: list[dict]) -> TaizhangMapping:
    """Remember a confirmed mapping for the actor's node and this layout of headings (one per layout: a new
    confirmation replaces the previous one, and its audit row shows both)."""
    path = actor.scope_path or ROOT_PATH
    key = header_key(labels)
    found = TaizhangMapping.objects.select_for_update().filter(path=path, header_key=key).first()
    before = snapshot(found) if found is not None else None
    mapping = found or TaizhangMapping(path=path, header_key=key, created_by=actor)
    mapping.headers, mapping.columns, mapping.updated_by = list(labels), columns, actor
    mapping.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE if found else Action.CREATE,
        obj=mapping,
        before=before,
        after=snapshot(mapping),
    )
    return mapping


@cyclic_gc_paused()
@transaction.atomic
def taizhang_commit(
    *,
    actor,
    content: bytes,
    source_name: str,
    mappings: dict | None = None,
    sheet: str = "",
    confirmed: dict | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    """Check the file as the preview does and, only if nothing is wrong, write its projects (new ones; a project
    already on the platform is not created again) and the funds history of new and existing projects, in one
    transaction. ``TaizhangImportError`` with every problem otherwise. Returns the summary."""

    def step(percent: int, message: str) -> None:
        if progress:
            progress(percent, message)

    step(5, "正在读取并校验台账")
    preview = taizhang_preview(actor=actor, content=content, mappings=mappings, sheet=sheet, confirmed=confirmed)
    if not preview.ok:
        raise TaizhangImportError(preview.messages())
    step(55, "正在写入项目")
    digest = hashlib.sha256(content).hexdigest()

    def write_funds(ids: dict[int, int]) -> dict:
        return _write_entries(actor=actor, preview=preview, ids=ids | preview.confirmed) | {
            "source": SOURCE_NOTE,
            "sha256": digest,
            "skipped_rows": sum(len(s.skipped) for s in preview.sheets),
            "confirmed_same_project": {str(n): pk for n, pk in preview.confirmed.items()},
        }

    steps = iter(range(60, 100, 8))
    try:
        outcome = projects_import_rows(
            actor=actor,
            rows=[r for r in preview.project_rows if r.number not in preview.confirmed],
            source_name=source_name,
            progress=lambda message: step(next(steps, 99), message),
            after_write=write_funds,
            check=preview.check,  # checked a moment ago in this transaction
        )
    except ProjectImportError as error:  # changed since the preview (another officer's entry meanwhile)
        raise TaizhangImportError(
            [f"{preview.where(n)} {h}: {m}" for n, h, m in error.problems]
            or [format_problem(p) for p in error.problems]
        ) from None
    return {
        "created": outcome.created,
        "existing": outcome.existing + len(preview.confirmed),
        "enterprises_created": outcome.enterprises_created,
        "transitions": outcome.transitions,
        "agreements": outcome.agreements,
        "funding_entries": len(preview.entries),
        "funding_total_wan": sum((e.amount for e in preview.entries), Decimal("0.00")),
        "skipped_rows": sum(len(s.skipped) for s in preview.sheets),
    }


def _write_entries(*, actor, preview: Preview, ids: dict[int, int]) -> dict:
    now = timezone.now()
    rows = [
        {
            "id": pk,
            "project_id": ids[entry.number],
            "month": entry.month,
            "amount_wan": entry.amount,
            "note": entry.note,
        }
        for pk, entry in zip(reserve_ids(FundingEntry, len(preview.entries)), preview.entries, strict=True)
    ]
    insert_rows(FundingEntry, rows, shared={"entered_by_id": actor.pk, "entered_at": now})
    total = sum((e.amount for e in preview.entries), Decimal("0.00"))
    return {"funding_entries": len(rows), "funding_total_wan": str(total)}


@transaction.atomic
def taizhang_import_confirm(*, actor, item: TaizhangImport, mappings: dict, preview: dict) -> TaizhangImport:
    """Keep the mapping the officer confirmed for each sheet and the dry run it gave."""
    item = TaizhangImport.objects.select_for_update().get(pk=item.pk)
    before = {"mappings": item.mappings, "status": item.status}
    item.mappings, item.preview, item.updated_by = mappings, preview, actor
    item.status = "previewed"
    item.save(update_fields=["mappings", "preview", "status", "updated_by", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=item, before=before, after={"mappings": mappings})
    return item


@transaction.atomic
def taizhang_import_confirm_duplicates(
    *, actor, item: TaizhangImport, confirmed: dict, preview: dict
) -> TaizhangImport:
    """Keep the officer's 甄别 decisions (row → the existing project it is) and the dry run they gave."""
    item = TaizhangImport.objects.select_for_update().get(pk=item.pk)
    before = {"confirmed": item.confirmed}
    item.confirmed, item.preview, item.updated_by = confirmed, preview, actor
    item.save(update_fields=["confirmed", "preview", "updated_by", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=item, before=before, after={"confirmed": confirmed})
    return item


@transaction.atomic
def taizhang_import_mark(*, actor, item: TaizhangImport, status: str, job=None) -> TaizhangImport:
    item = TaizhangImport.objects.select_for_update().get(pk=item.pk)
    before = {"status": item.status}
    item.status, item.updated_by = status, actor
    if job is not None:
        item.job = job
    item.save(update_fields=["status", "job", "updated_by", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=item, before=before, after={"status": status})
    return item
