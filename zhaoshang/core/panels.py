"""Panels that an app adds to a page it does not own.

Apps import downwards only (DESIGN): the home page belongs to core and the park page to regions, yet the 工作台 on
the home page reads projects, the ledger, the library and the targets, and the park page shows the park's projects,
money and 序时进度. An app above them registers a panel for the page in its ``AppConfig.ready``; the page asks for its
panels and includes each one's template with its data as ``panel``. A provider reads through its own selectors,
scoped to the request's user, and returns None when it has nothing for this user.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    data: dict = field(default_factory=dict)


Provider = Callable[..., Panel | None]
_PANELS: dict[str, list[tuple[int, str, Provider]]] = defaultdict(list)


def register_panel(page: str, provider: Provider, *, order: int = 100) -> None:
    """Add ``provider(request, **objects)`` to ``page`` ("home", "park"); lower ``order`` comes first. Registering
    the same provider twice (a second ``ready``) keeps one."""
    key = f"{provider.__module__}.{provider.__qualname__}"
    entries = [entry for entry in _PANELS[page] if entry[1] != key]
    entries.append((order, key, provider))
    _PANELS[page] = sorted(entries, key=lambda entry: (entry[0], entry[1]))


def panels_for(page: str, request, **objects) -> list[Panel]:
    """The panels of ``page`` for this request, in order, leaving out those with nothing to show."""
    panels = (provider(request, **objects) for _, _, provider in _PANELS[page])
    return [panel for panel in panels if panel is not None]
