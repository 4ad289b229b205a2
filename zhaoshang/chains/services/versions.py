"""Versions of a chain: ``chain_draft_create`` copies a version into a draft; the node, flow and chain services change
drafts only; ``chain_approve`` makes the draft the current version, retires the one it replaces (kept as it was) and
carries the placements over by node key. ``chains_load_shipped`` loads the shipped chains the same way. Each service
runs in one transaction and writes one audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.chains.choices import AuditAction, ChainStatus, NodeLevel
from zhaoshang.chains.models import ChainFlow, ChainNode, EnterpriseNodeLink, IndustryChain, ProjectNodeLink
from zhaoshang.chains.presence import presence_refresh
from zhaoshang.chains.reference import ChainData, default_thresholds, shipped_chains
from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.projects.services.rollup import figures_changed

NODE_FIELDS = (
    "name",
    "position",
    "value_tier",
    "is_key_link",
    "keywords",
    "exclude_words",
    "gbt_codes",
    "description",
    "seq",
)
CHAIN_FIELDS = ("name", "short_name", "source", "description", "revision_note", "thresholds", "targeting_weights")
THRESHOLD_KEYS = tuple(default_thresholds())


# -- versions ------------------------------------------------------------------------------------------------------
def _require_draft(chain: IndustryChain) -> None:
    if chain.status != ChainStatus.DRAFT:
        raise ValidationError("只能修改草稿（修订中）版本；现行和历史版本保持不变，请先新建修订版")


def _copy_structure(*, source: IndustryChain, target: IndustryChain) -> dict[int, ChainNode]:
    """Copy the nodes and flows of ``source`` into ``target``, level by level; returns {old node id: new node}."""
    old_nodes = list(source.nodes.order_by("level", "seq", "id"))
    mapping: dict[int, ChainNode] = {}
    for level in (NodeLevel.SEGMENT, NodeLevel.MODULE, NodeLevel.PRODUCT):
        new = []
        for node in (n for n in old_nodes if n.level == level):
            copy = ChainNode(chain=target, parent=mapping[node.parent_id] if node.parent_id else None, key=node.key)
            for name in (*NODE_FIELDS, "level"):
                setattr(copy, name, getattr(node, name))
            new.append((node.pk, copy))
        ChainNode.objects.bulk_create([copy for _, copy in new])
        mapping.update(dict(new))
    ChainFlow.objects.bulk_create(
        ChainFlow(chain=target, source=mapping[f.source_id], target=mapping[f.target_id], note=f.note)
        for f in source.flows.all()
    )
    return mapping


def _build_from_data(*, data: ChainData, chain: IndustryChain) -> None:
    by_key: dict[str, ChainNode] = {}
    for level in (NodeLevel.SEGMENT, NodeLevel.MODULE, NodeLevel.PRODUCT):
        rows = [r for r in data.nodes if r.level == level]
        nodes = [
            ChainNode(
                chain=chain,
                parent=by_key[r.parent_key] if r.parent_key else None,
                key=r.key,
                name=r.name,
                level=r.level,
                position=r.position,
                value_tier=r.value_tier,
                is_key_link=r.is_key_link,
                keywords=r.keywords,
                exclude_words=r.exclude_words,
                gbt_codes=r.gbt_codes,
                description=r.description,
                seq=r.seq,
            )
            for r in rows
        ]
        ChainNode.objects.bulk_create(nodes)
        by_key.update({n.key: n for n in nodes})
    ChainFlow.objects.bulk_create(
        ChainFlow(chain=chain, source=by_key[a], target=by_key[b], note="供给") for a, b in data.flows
    )


def _carry_links(*, old: IndustryChain, new: IndustryChain) -> int:
    """Placements of the version being replaced, copied onto the nodes of the new version with the same key (as
    they were: decisions, evidence, who decided). Nodes the new version dropped leave their placements behind."""
    new_nodes = dict(new.nodes.values_list("key", "pk"))
    old_keys = dict(old.nodes.values_list("pk", "key"))
    copied = 0
    for model, other in ((EnterpriseNodeLink, "enterprise_id"), (ProjectNodeLink, "project_id")):
        rows = []
        for link in model.objects.filter(node__chain=old).iterator(chunk_size=5000):
            node_id = new_nodes.get(old_keys[link.node_id])
            if node_id is None:
                continue
            rows.append(
                model(
                    node_id=node_id,
                    **{other: getattr(link, other)},
                    role=link.role,
                    strength=link.strength,
                    evidence=link.evidence,
                    score=link.score,
                    decision=link.decision,
                    origin=link.origin,
                    decided_by_id=link.decided_by_id,
                    decided_at=link.decided_at,
                    note=link.note,
                )
            )
        model.objects.bulk_create(rows, batch_size=5000)
        copied += len(rows)
    return copied


def _make_current(*, chain: IndustryChain, actor) -> tuple[IndustryChain | None, int]:
    """Retire the current version of the chain's code (if any), make ``chain`` current, carry the placements."""
    previous = IndustryChain.objects.filter(code=chain.code, status=ChainStatus.CURRENT).first()
    now = timezone.now()
    copied = 0
    if previous is not None:
        previous.status, previous.retired_at = ChainStatus.RETIRED, now
        previous.save(update_fields=["status", "retired_at", "updated_at"])
        copied = _carry_links(old=previous, new=chain)
        presence_refresh(node_ids=chain.nodes.values_list("pk", flat=True))
        figures_changed()  # the placements the diagnoses count moved to the new version's nodes
    chain.status, chain.approved_at = ChainStatus.CURRENT, now
    chain.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    chain.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return previous, copied


def chains_load_shipped(*, actor=None) -> tuple[int, int]:
    """Load the shipped chains: a chain not in the database is created as its version 1 (current); a chain whose
    shipped file changed gets a new current version, unless the administrators have revised it since it was
    loaded (their version stays). Returns (created, updated); one audit row when anything changed."""
    industries = dict(KeyIndustry.objects.values_list("code", "pk"))
    created, updated, changed = 0, 0, []
    thresholds = default_thresholds()
    with transaction.atomic():
        for data in shipped_chains():
            current = IndustryChain.objects.filter(code=data.code).exclude(status=ChainStatus.DRAFT)
            current = current.order_by("-version").first()
            if current is not None and (current.shipped_digest in ("", data.digest) or current.based_on_id):
                continue  # unchanged, or an administrator's own version
            version = (
                IndustryChain.objects.filter(code=data.code).order_by("-version").values_list("version", flat=True)
            ).first() or 0
            chain = IndustryChain.objects.create(
                code=data.code,
                name=data.name,
                short_name=data.short_name,
                key_industry_id=industries.get(data.key_industry),
                is_focus=data.is_focus,
                sort_order=data.sort_order,
                version=version + 1,
                status=ChainStatus.RETIRED,  # until _make_current below (a draft of the code may exist)
                source=data.source,
                thresholds=dict(current.thresholds) if current is not None else dict(thresholds),
                revision_note="随平台发布的产业链图谱" if current is None else "随平台更新的产业链图谱",
                shipped_digest=data.digest,
                created_by=actor,
                updated_by=actor,
            )
            _build_from_data(data=data, chain=chain)
            _make_current(chain=chain, actor=actor)
            changed.append(f"{data.code} 第{chain.version}版")
            if current is None:
                created += 1
            else:
                updated += 1
        if changed:
            audit_record(
                actor=actor,
                action=AuditAction.LOAD_CHAINS,
                actor_name="" if actor else "system",
                object_type=IndustryChain._meta.label,
                object_repr="载入随平台发布的产业链图谱",
                after={"chain_codes": changed},
            )
    return created, updated


@transaction.atomic
def chain_draft_create(*, actor, chain: IndustryChain, revision_note: str = "") -> IndustryChain:
    """A draft copy of ``chain`` (any version: drafting from an old version restores it), to be edited and
    approved. One draft per chain at a time."""
    if IndustryChain.objects.filter(code=chain.code, status=ChainStatus.DRAFT).exists():
        raise ValidationError(f"{chain.name}已有修订中的草稿，请先审定或删除该草稿")
    version = IndustryChain.objects.filter(code=chain.code).order_by("-version").values_list("version", flat=True)
    draft = IndustryChain.objects.create(
        code=chain.code,
        name=chain.name,
        short_name=chain.short_name,
        key_industry=chain.key_industry,
        is_focus=chain.is_focus,
        sort_order=chain.sort_order,
        version=version.first() + 1,
        status=ChainStatus.DRAFT,
        source=chain.source,
        description=chain.description,
        revision_note=revision_note,
        thresholds=dict(chain.thresholds),
        targeting_weights=dict(chain.targeting_weights),
        based_on=chain,
        created_by=actor,
        updated_by=actor,
    )
    _copy_structure(source=chain, target=draft)
    audit_record(
        actor=actor,
        action=AuditAction.DRAFT,
        obj=draft,
        after={"version": draft.version, "based_on": chain.pk, "revision_note": revision_note},
    )
    return draft


def clean_thresholds(values: dict) -> dict:
    """The grade thresholds as numbers, every key present (a missing one takes the shipped default)."""
    defaults = default_thresholds()
    cleaned, errors = {}, {}
    for key in THRESHOLD_KEYS:
        value = values.get(key, defaults[key])
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[key] = "必须为数字"
            continue
        if number < 0:
            errors[key] = "不能为负数"
        cleaned[key] = int(number) if isinstance(defaults[key], int) else number
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def chain_update(*, actor, chain: IndustryChain, **fields) -> IndustryChain:
    """Name, source, notes and grade thresholds of a draft."""
    _require_draft(chain)
    unknown = set(fields) - set(CHAIN_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    if "thresholds" in fields:
        fields["thresholds"] = clean_thresholds(fields["thresholds"])
    before = snapshot(chain)
    for name, value in fields.items():
        setattr(chain, name, value)
    chain.full_clean(exclude=["based_on", "key_industry"])
    after = snapshot(chain)
    if after != before:
        chain.updated_by = actor
        chain.save()
        audit_record(actor=actor, action=AuditAction.EDIT, obj=chain, before=before, after=snapshot(chain))
    return chain


def _check_node(node: ChainNode) -> None:
    node.full_clean(exclude=["chain", "parent"])
    node.clean()
    siblings = ChainNode.objects.filter(chain=node.chain, key=node.key).exclude(pk=node.pk)
    if siblings.exists():
        raise ValidationError({"key": "本产业链已有同一标识的节点"})


@transaction.atomic
def node_create(*, actor, chain: IndustryChain, parent: ChainNode | None, key: str, name: str, **fields) -> ChainNode:
    """A new node of a draft: a segment (no parent, with its position), or a module or product below a node;
    below a segment a node takes the segment's position."""
    _require_draft(chain)
    if parent is not None and parent.chain_id != chain.pk:
        raise ValidationError({"parent": "上级节点必须属于本产业链"})
    level = NodeLevel.SEGMENT if parent is None else parent.level + 1
    if level > NodeLevel.PRODUCT:
        raise ValidationError({"parent": "产品/技术节点下不能再设下级节点"})
    node = ChainNode(chain=chain, parent=parent, key=key, name=name, level=level)
    for attr, value in fields.items():
        if attr not in NODE_FIELDS:
            raise ValidationError(f"不能设置：{attr}")
        setattr(node, attr, value)
    if parent is not None:
        node.position = parent.position
    _check_node(node)
    node.save()
    audit_record(
        actor=actor,
        action=AuditAction.EDIT,
        obj=chain,
        after={"change": f"新增节点“{node.name}”", "node": snapshot(node)},
    )
    return node


@transaction.atomic
def node_update(*, actor, node: ChainNode, **fields) -> ChainNode:
    """Change a node of a draft. A segment's position is passed down to its modules and products."""
    _require_draft(node.chain)
    before = snapshot(node)
    for attr, value in fields.items():
        if attr not in NODE_FIELDS:
            raise ValidationError(f"不能修改：{attr}")
        setattr(node, attr, value)
    if node.parent_id:
        node.position = node.parent.position
    _check_node(node)
    after = snapshot(node)
    if after == before:
        return node
    node.save()
    if node.level == NodeLevel.SEGMENT:
        ChainNode.objects.filter(pk__in=node.subtree_ids() - {node.pk}).update(position=node.position)
    audit_record(
        actor=actor,
        action=AuditAction.EDIT,
        obj=node.chain,
        before={"node": before},
        after={"change": f"修改节点“{node.name}”", "node": after},
    )
    return node


@transaction.atomic
def node_delete(*, actor, node: ChainNode) -> None:
    """Remove a node of a draft with the nodes below it and their flows."""
    chain = node.chain
    _require_draft(chain)
    names = list(ChainNode.objects.filter(pk__in=node.subtree_ids()).values_list("name", flat=True))
    before = snapshot(node)
    node.delete()
    audit_record(
        actor=actor,
        action=AuditAction.EDIT,
        obj=chain,
        before={"node": before},
        after={"change": f"删除节点“{before['name']}”及其下级（共{len(names)}个：{'、'.join(names)}）"},
    )


@transaction.atomic
def flow_create(*, actor, chain: IndustryChain, source: ChainNode, target: ChainNode, note: str = "") -> ChainFlow:
    _require_draft(chain)
    flow = ChainFlow(chain=chain, source=source, target=target, note=note)
    flow.clean()
    if ChainFlow.objects.filter(source=source, target=target).exists():
        raise ValidationError("该供给关系已存在")
    flow.save()
    audit_record(
        actor=actor, action=AuditAction.EDIT, obj=chain, after={"change": f"新增供给关系“{source} → {target}”"}
    )
    return flow


@transaction.atomic
def flow_delete(*, actor, flow: ChainFlow) -> None:
    chain = flow.chain
    _require_draft(chain)
    text = str(flow)
    flow.delete()
    audit_record(actor=actor, action=AuditAction.EDIT, obj=chain, after={"change": f"删除供给关系“{text}”"})


@transaction.atomic
def chain_approve(*, actor, chain: IndustryChain) -> IndustryChain:
    """Publish a draft: it becomes the current version; the version it replaces is kept unchanged as history;
    placements carry over to the nodes with the same key."""
    _require_draft(chain)
    if not actor.has_perm("chains.approve_industrychain"):
        raise PermissionDenied("您没有审定发布产业链版本的权限")
    if not chain.nodes.exists():
        raise ValidationError("草稿没有节点，不能审定")
    previous, copied = _make_current(chain=chain, actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.APPROVE,
        obj=chain,
        after={
            "version": chain.version,
            "retired_version": previous.version if previous else None,
            "node_count": chain.nodes.count(),
            "flow_count": chain.flows.count(),
            "copied_links": copied,
        },
    )
    return chain


@transaction.atomic
def chain_draft_delete(*, actor, chain: IndustryChain) -> None:
    _require_draft(chain)
    before = {"version": chain.version, "name": chain.name}
    audit_record(actor=actor, action=AuditAction.EDIT, obj=chain, before=before, after={"change": "删除草稿"})
    chain.delete()
