"""Placements: ``placement_run`` places enterprises and projects automatically (``placement.py``) and keeps every
officer's decision; ``placement_decide`` confirms or rejects placements in bulk, inside the officer's scope."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.chains.choices import AuditAction, Decision, Origin, Strength
from zhaoshang.chains.models import EnterpriseNodeLink, IndustryChain, ProjectNodeLink
from zhaoshang.chains.placement import Matcher, enterprise_sources, project_sources
from zhaoshang.chains.presence import presence_after_placement
from zhaoshang.chains.reference import shipped_products
from zhaoshang.chains.selectors import node_specs
from zhaoshang.core.audit import audit_record
from zhaoshang.core.scope import OutOfScope
from zhaoshang.projects.services.rollup import figures_changed


# -- placements ----------------------------------------------------------------------------------------------------
@dataclass
class PlacementSummary:
    enterprise_links: int = 0
    project_links: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0
    by_chain: dict = field(default_factory=lambda: defaultdict(int))


def _sync_links(model, other: str, wanted: dict[tuple[int, int], object], objects: set[int], node_ids, summary):
    """Make the automatic links of ``objects`` on ``node_ids`` what ``wanted`` says; officers' links stay."""
    existing = {
        (link.node_id, getattr(link, other)): link
        for link in model.objects.filter(**{f"{other}__in": objects}, node_id__in=node_ids)
    }
    create, update, delete = [], [], []
    for key, match in wanted.items():
        link = existing.get(key)
        if link is not None and link.origin == Origin.OFFICER:
            summary.kept += 1
            continue
        values = {
            "role": match.role,
            "strength": match.strength,
            "evidence": match.evidence,
            "score": match.score,
            "decision": match.decision,
        }
        if link is None:
            create.append(model(node_id=key[0], **{other: key[1]}, origin=Origin.AUTO, **values))
        elif any(getattr(link, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(link, k, v)
            update.append(link)
    for key, link in existing.items():
        if key not in wanted and link.origin == Origin.AUTO:
            delete.append(link.pk)
        elif key not in wanted:
            summary.kept += 1
    model.objects.bulk_create(create, batch_size=2000)
    model.objects.bulk_update(update, ["role", "strength", "evidence", "score", "decision"], batch_size=2000)
    model.objects.filter(pk__in=delete).delete()
    summary.created += len(create)
    summary.updated += len(update)
    summary.removed += len(delete)


def _matcher(chains=None) -> tuple[Matcher, list[int]]:
    specs = node_specs(chains)
    return Matcher(specs), [s.id for s in specs]


def placement_run(*, actor, enterprises=None, projects=None, chains=None) -> PlacementSummary:
    """Place the given enterprises and projects (querysets; None = all) on the current versions of ``chains``
    (None = all current chains). Automatic links are added, refreshed or removed; an officer's decision stays."""
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project

    matcher, node_ids = _matcher(chains)
    products = {name: text for name, text in shipped_products().items()}
    classes = dict(IndustryClass.objects.filter(level=4).values_list("pk", "code"))
    industries = dict(KeyIndustry.objects.values_list("pk", "code"))
    summary = PlacementSummary()
    with transaction.atomic():
        if enterprises is not None or projects is None:
            rows = (enterprises if enterprises is not None else Enterprise.objects.all()).values_list(
                "pk", "name", "notes", "industry_text", "industry_class_id", "key_industry_id", "is_chain_leader"
            )
            for chunk in _chunks(rows.order_by("pk"), 2000):
                wanted = {}
                for pk, name, notes, industry_text, class_id, industry_id, leader in chunk:
                    sources = enterprise_sources(
                        name=name, products=products.get(name, ""), notes=notes, industry_text=industry_text
                    )
                    for match in matcher.place(
                        sources,
                        gbt_code=classes.get(class_id, ""),
                        key_industry=industries.get(industry_id, ""),
                        leader=leader,
                    ):
                        wanted[(match.node_id, pk)] = match
                _sync_links(EnterpriseNodeLink, "enterprise_id", wanted, {r[0] for r in chunk}, node_ids, summary)
                summary.enterprise_links += len(wanted)
        if projects is not None or enterprises is None:
            rows = (projects if projects is not None else Project.objects.all()).values_list(
                "pk", "name", "description", "industry_class_id", "key_industry_id", "is_chain_leader"
            )
            for chunk in _chunks(rows.order_by("pk"), 2000):
                wanted = {}
                for pk, name, description, class_id, industry_id, leader in chunk:
                    for match in matcher.place(
                        project_sources(name=name, description=description),
                        gbt_code=classes.get(class_id, ""),
                        key_industry=industries.get(industry_id, ""),
                        leader=leader,
                    ):
                        wanted[(match.node_id, pk)] = match
                _sync_links(ProjectNodeLink, "project_id", wanted, {r[0] for r in chunk}, node_ids, summary)
                summary.project_links += len(wanted)
        presence_after_placement(enterprises=enterprises, projects=projects)  # also the projects' own facts
        if summary.created or summary.updated or summary.removed:
            figures_changed()  # the diagnoses count confirmed placements: their cached base figures are stale
        audit_record(
            actor=actor,
            action=AuditAction.PLACE,
            actor_name="" if actor else "system",
            object_type=IndustryChain._meta.label,
            object_repr="企业和项目自动挂链",
            after={
                "enterprise_links": summary.enterprise_links,
                "project_links": summary.project_links,
                "created": summary.created,
                "updated": summary.updated,
                "removed_links": summary.removed,
                "kept_decisions": summary.kept,
            },
        )
    return summary


def _chunks(rows, size: int):
    chunk = []
    for row in rows.iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def placement_decide(*, actor, decision: str, enterprise_links=(), project_links=(), note: str = "") -> int:
    """Confirm or reject placements in bulk. A confirmation is the strongest evidence (officer-confirmed); a
    rejection keeps the link, so the automatic placement never puts it back. Project placements must lie in the
    officer's scope (``for_user(actor, "change")``); enterprises are shared reference data. Returns the count."""
    if decision not in (Decision.CONFIRMED, Decision.REJECTED):
        raise ValidationError("结论只能是确认或否定")
    enterprise_ids = sorted({int(pk) for pk in enterprise_links})
    project_ids = sorted({int(pk) for pk in project_links})
    if not enterprise_ids and not project_ids:
        raise ValidationError("请至少选择一条挂链")
    if enterprise_ids and not actor.has_perm("chains.change_enterprisenodelink"):
        raise PermissionDenied("您没有确认企业挂链的权限")
    visible = set(
        ProjectNodeLink.objects.for_user(actor, "change").filter(pk__in=project_ids).values_list("pk", flat=True)
    )
    if len(visible) != len(project_ids):
        raise OutOfScope("所选项目挂链不在您的辖区范围内")
    if len(set(EnterpriseNodeLink.objects.filter(pk__in=enterprise_ids).values_list("pk", flat=True))) != len(
        enterprise_ids
    ):
        raise ValidationError("所选企业挂链不存在")
    now = timezone.now()
    values = {"decision": decision, "origin": Origin.OFFICER, "decided_by": actor, "decided_at": now, "note": note}
    if decision == Decision.CONFIRMED:
        values["strength"] = Strength.STRONG
    EnterpriseNodeLink.objects.filter(pk__in=enterprise_ids).update(**values)
    ProjectNodeLink.objects.filter(pk__in=project_ids).update(**values)
    presence_after_placement(enterprise_links=enterprise_ids, project_links=project_ids)
    figures_changed()  # a confirmation counts in the diagnoses, a rejection stops counting
    audit_record(
        actor=actor,
        action=AuditAction.DECIDE,
        object_type=ProjectNodeLink._meta.label if project_ids else EnterpriseNodeLink._meta.label,
        object_repr=f"{Decision(decision).label}挂链 {len(enterprise_ids) + len(project_ids)} 条",
        after={
            "decision": decision,
            "enterprise_links": enterprise_ids,
            "project_links": project_ids,
            "note": note,
        },
    )
    return len(enterprise_ids) + len(project_ids)


def projects_written_place(*, actor, project_ids: list[int], investor_ids: list[int]) -> None:
    """The projects services' hook (``projects.hooks``): a project created, changed or imported, and its investor,
    are placed on the current chains at once, in the same transaction, instead of on the next ``load_chains``."""
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project

    if not IndustryChain.objects.current().exists():
        return
    placement_run(
        actor=actor,
        enterprises=Enterprise.objects.filter(pk__in=investor_ids),
        projects=Project.objects.filter(pk__in=project_ids),
    )
