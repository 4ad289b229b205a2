"""What other apps do when a project is written: apps above projects (chains places a project on its nodes) register
a function here, since projects may not import them. The project services call ``projects_written`` at the end of
their transaction, so a hook's writes commit or roll back with the project's."""

from collections.abc import Callable, Iterable

_AFTER_WRITE: list[Callable] = []


def register_after_write(hook: Callable) -> None:
    """``hook(actor=..., project_ids=[...], investor_ids=[...])``; registered once, from an app's ``ready``."""
    if hook not in _AFTER_WRITE:
        _AFTER_WRITE.append(hook)


def projects_written(*, actor, project_ids: Iterable[int], investor_ids: Iterable[int] = ()) -> None:
    project_ids = sorted({int(pk) for pk in project_ids if pk})
    investor_ids = sorted({int(pk) for pk in investor_ids if pk})
    if not project_ids:
        return
    for hook in _AFTER_WRITE:
        hook(actor=actor, project_ids=project_ids, investor_ids=investor_ids)
