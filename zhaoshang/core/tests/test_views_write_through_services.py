"""Views write through services (DESIGN, "Where logic lives"; issue 14 item 5): a view, an API view or a
serializer in a view module that saves, creates, updates or deletes a model itself skips the service's scope
re-check and its audit row. The test reads every view module and fails on such a call; a write belongs in a
``services`` function that the view calls."""

import ast
from pathlib import Path

from django.conf import settings

# Calls that write whatever they are called on.
WRITING_METHODS = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "create"}
# Calls that write when called on a queryset: ``Model.objects.filter(...).update(...)`` (a dict's ``update`` is
# called on a name or an attribute, never on the result of a call).
QUERYSET_WRITES = {"update"}


def is_view_module(path: Path) -> bool:
    stem = path.stem
    return stem in {"views", "api"} or stem.endswith(("_views", "_api")) or path.parent.name == "views"


def writes_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, receiver = node.func.attr, node.func.value
        if method in WRITING_METHODS or (method in QUERYSET_WRITES and isinstance(receiver, ast.Call)):
            found.append(f"{path.name}:{node.lineno} .{method}()")
    return found


def view_modules() -> list[Path]:
    root = Path(settings.BASE_DIR) / "zhaoshang"
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and is_view_module(path)
    ]


def test_views_write_models_only_through_services():
    writes = {str(path.relative_to(settings.BASE_DIR)): found for path in view_modules() if (found := writes_in(path))}
    assert not writes, f"a view writes a model without a service: {writes}"


def test_the_guard_sees_a_direct_write(tmp_path):
    """The guard itself: a view that saves a form's model and updates a queryset is caught; a dict update is not."""
    module = tmp_path / "views.py"
    module.write_text(
        "def post(request, form, context):\n"
        "    context.update(title='x')\n"
        "    form.save()\n"
        "    Project.objects.filter(pk=1).update(name='y')\n"
        "    project.delete()\n",
        encoding="utf-8",
    )
    assert [line.split(" ")[1] for line in writes_in(module)] == [".save()", ".update()", ".delete()"]
    assert view_modules(), "no view module found: the guard would pass on nothing"
