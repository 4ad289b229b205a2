"""Panels other apps add to the project page: apps above projects (chains adds the park matching panel) register a
template and a function giving its context, since projects may not import them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectPanel:
    template: str
    context: Callable  # context(user, project) -> dict, or None to leave the panel out
    permission: str = ""


_PANELS: list[ProjectPanel] = []


def register_project_panel(panel: ProjectPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def project_panels(user, project) -> list[dict]:
    shown = []
    for panel in _PANELS:
        if panel.permission and not user.has_perm(panel.permission):
            continue
        data = panel.context(user, project)
        if data is not None:
            shown.append({"template": panel.template, "data": data})
    return shown
