"""Idempotent loading of reference rows: insert what is missing, update what changed, keyed by a code; and the
registry of every app's reference loaders, run in order by ``manage.py load_reference_data``.

Core knows no domain app (DESIGN, "Directions"): each app registers its loaders in ``AppConfig.ready`` with an order
that puts what it refers to first (regions before parks, parks before the bureaus that sit in them).
"""

from collections.abc import Callable, Iterable

from django.db import models


def upsert_by_code(model: type[models.Model], rows: Iterable[dict], key: str = "code") -> tuple[int, int]:
    """Returns (created, updated). Rows are dicts of field values including the key."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=500)
    return len(to_create), len(to_update)


Loader = Callable[[], tuple[int, int]]
_LOADERS: dict[str, tuple[int, str, Loader]] = {}


def register_reference(label: str, loader: Loader, *, order: int) -> None:
    """``loader()`` returns (created, updated) and may run again without duplicating rows."""
    _LOADERS[label] = (order, label, loader)


def reference_loaders() -> list[tuple[str, Loader]]:
    return [(label, loader) for _, label, loader in sorted(_LOADERS.values(), key=lambda entry: entry[:2])]
