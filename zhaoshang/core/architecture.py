"""The apps' layers as the code has them: which app imports which (read from the source, not from memory), and the
README's architecture map built from that and from each app's own description (its AppConfig docstring). Core
knows no domain app by name: the order comes from ``settings.APP_LAYERS`` and the apps from the registry."""

import ast
import inspect
from pathlib import Path

from django.apps import apps
from django.conf import settings

MAP_START, MAP_END = "<!-- architecture-map:start -->", "<!-- architecture-map:end -->"


def package_root() -> Path:
    return Path(settings.BASE_DIR) / "zhaoshang"


def imports_by_module() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the importing modules, for every import between two of our apps; tests and
    migrations left out (a test may use any app's helpers)."""
    root, layers = package_root(), settings.APP_LAYERS
    found: dict[tuple[str, str], set[str]] = {}
    for file in sorted(root.rglob("*.py")):
        parts = file.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts or parts[0] not in layers:
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                target = module.split(".")[1] if module.startswith("zhaoshang.") else None
                if target in layers and target != parts[0]:
                    found.setdefault((parts[0], target), set()).add("/".join(parts))
    return found


def upward_imports() -> dict[tuple[str, str], set[str]]:
    layers = settings.APP_LAYERS
    return {pair: files for pair, files in imports_by_module().items() if layers.index(pair[1]) > layers.index(pair[0])}


def architecture_map() -> str:
    """The README section: each app from the bottom up with its description and the apps it really imports."""
    imports = imports_by_module()
    lines = [
        MAP_START,
        "",
        (
            "Apps from the bottom (core) up: an app may import only from the apps listed before it. The last column is"
            " what each really imports, read from the code (an app listed after it is a module still to move, kept"
            " in `NOT_YET_MOVED` of the layering test)."
        ),
        "",
    ]
    lines += ["| app | what it holds | imports from |", "|---|---|---|"]
    for label in settings.APP_LAYERS:
        config = apps.get_app_config(label)
        description = " ".join(inspect.getdoc(type(config)).split()) if type(config).__doc__ else ""
        uses = [other for other in settings.APP_LAYERS if (label, other) in imports]
        lines.append(f"| `zhaoshang/{label}/` {config.verbose_name} | {description} | {', '.join(uses) or '—'} |")
    lines += ["", MAP_END]
    return "\n".join(lines)


def readme_with_map(readme: str) -> str:
    start, end = readme.index(MAP_START), readme.index(MAP_END) + len(MAP_END)
    return readme[:start] + architecture_map() + readme[end:]
