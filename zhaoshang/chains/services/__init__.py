"""Writes of the chains app, one module per topic: versions of a chain (``versions``) and placements of enterprises
and projects on its nodes (``placements``). Each service runs in one transaction and writes one audit row."""

from zhaoshang.chains.services.placements import (
    PlacementSummary,
    placement_decide,
    placement_run,
    projects_written_place,
)
from zhaoshang.chains.services.versions import (
    CHAIN_FIELDS,
    NODE_FIELDS,
    THRESHOLD_KEYS,
    chain_approve,
    chain_draft_create,
    chain_draft_delete,
    chain_update,
    chains_load_shipped,
    clean_thresholds,
    flow_create,
    flow_delete,
    node_create,
    node_delete,
    node_update,
)

__all__ = [
    "CHAIN_FIELDS",
    "NODE_FIELDS",
    "THRESHOLD_KEYS",
    "PlacementSummary",
    "chain_approve",
    "chain_draft_create",
    "chain_draft_delete",
    "chain_update",
    "chains_load_shipped",
    "clean_thresholds",
    "flow_create",
    "flow_delete",
    "node_create",
    "node_delete",
    "node_update",
    "placement_decide",
    "placement_run",
    "projects_written_place",
]
