"""Reads of a chain's 靶向寻商 factor weights and their versions.

The weights live on the chain (``IndustryChain.targeting_weights``, empty = the shipped defaults); every change goes
through ``targeting_services.targeting_weights_set``, which writes one audit row with the weights before and after.
Those rows are the versions: version N is the N-th change of the weights of the chain's code (a new revision of a
chain copies its weights, so the count runs across revisions), version 0 the weights the chain started with (the
shipped defaults unless the chain's own data set them). A ranking names the
version it was scored with, so a ranking kept or exported earlier can say which weights made it."""

from dataclasses import dataclass
from datetime import datetime

from zhaoshang.chains import targeting
from zhaoshang.chains.choices import AuditAction
from zhaoshang.chains.models import IndustryChain


@dataclass(frozen=True)
class WeightsVersion:
    number: int
    weights: dict[str, float]
    set_at: datetime | None = None
    set_by: str = ""

    @property
    def label(self) -> str:
        return f"第{self.number}版" if self.number else "初始权重"

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "label": self.label,
            "set_at": self.set_at.isoformat() if self.set_at else None,
        }


def _changes(chain: IndustryChain):
    from zhaoshang.core.models import AuditLog

    ids = [str(pk) for pk in IndustryChain.objects.filter(code=chain.code).values_list("pk", flat=True)]
    return AuditLog.objects.filter(
        action=AuditAction.WEIGHTS, object_type=IndustryChain._meta.label, object_id__in=ids
    ).order_by("id")


def weights_versions(chain: IndustryChain) -> list[WeightsVersion]:
    """Every version of the chain's weights, newest first (the last one is the defaults)."""
    rows = list(_changes(chain).values_list("before", "after", "created_at", "actor_name"))
    first = (rows[0][0] or {}).get("targeting_weights") if rows else chain.targeting_weights
    versions = [WeightsVersion(0, targeting.weights_for(first))]
    for number, (_, after, at, who) in enumerate(rows, start=1):
        versions.append(WeightsVersion(number, targeting.weights_for((after or {}).get("targeting_weights")), at, who))
    return versions[::-1]


def weights_version(chain: IndustryChain) -> WeightsVersion:
    """The version the chain's weights are at now (one query)."""
    changes = _changes(chain)
    latest = changes.values_list("created_at", "actor_name").last()
    if latest is None:
        return WeightsVersion(0, targeting.weights_for(chain.targeting_weights))
    return WeightsVersion(changes.count(), targeting.weights_for(chain.targeting_weights), latest[0], latest[1])
