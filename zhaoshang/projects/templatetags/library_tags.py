"""The 招大引强项目库 panel of the project page: scoped like everything else (the entry is looked up through
``for_user``), so the project template only includes it."""

from django import template

from zhaoshang.projects.models import LibraryAction, LibraryEntry, library_threshold_wan
from zhaoshang.projects.services.library import allowed_actions, may_act, submission_problem

register = template.Library()


@register.inclusion_tag("projects/library_panel.html", takes_context=True)
def library_panel(context, project):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("projects.view_libraryentry") or project.is_merged:
        return {"show": False}
    entry = LibraryEntry.objects.for_user(user).filter(project=project).first()
    problem = submission_problem(project) if entry is None else None
    if entry is None and problem and (project.agreed_investment_wan or 0) < library_threshold_wan():
        return {"show": False}  # below the threshold: the library is not this project's concern
    return {
        "show": True,
        "project": project,
        "entry": entry,
        "steps": list(entry.steps.select_related("actor")) if entry else [],
        "actions": allowed_actions(user=user, project=project, entry=entry),
        "can_act": any(may_act(user, action) for action in LibraryAction.values),
        "problem": problem,
        "threshold_wan": library_threshold_wan(),
    }
