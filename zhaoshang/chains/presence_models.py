"""The diagnosis's presence tables: what the placements and the projects say about who is on each node, kept up to
date by the writes themselves (``presence.py``) so that a diagnosis right after a write reads a few thousand rows
instead of joining every placement with every project of the province again.

- ``NodePresence``: one row per (node, counted project) on the node through its investor's confirmed placement or
  its own, with the project facts the figures read (investor, path, stage, first signing, money). A project placed
  both ways is one row; ``leader`` is the placement role 链主 or the project's flag, ``own_link`` says it is placed
  by its own words (then its investor's 链主 flag, read live, counts too).
- ``InvestorPresence``: one row per (node or node above it, investor) with the investor's first signing among its
  present projects there (signed or later, not terminated): the province's counts for a year are the rows signed
  by the year's end, one COUNT per node.

Neither is a source of truth: ``manage.py rebuild_chain_presence`` recomputes both from the placements and the
projects, and ``--check`` lists where the kept tables and a rebuild differ.
"""

from django.db import models

from zhaoshang.core.scope import REFERENCE, ScopedQuerySet


class NodePresence(models.Model):
    # no index of its own on the node: the (node, path) index is the one a region's read must take
    node = models.ForeignKey("chains.ChainNode", on_delete=models.CASCADE, related_name="+", db_index=False)
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+", db_index=False)
    investor_id = models.BigIntegerField()
    path = models.CharField(max_length=120)
    stage = models.CharField(max_length=20)
    first_signed_on = models.DateField(null=True)
    agreed_fen = models.BigIntegerField(default=0)  # 协议投资额 in 分, exact, as the diagnosis sums it
    leader = models.PositiveSmallIntegerField(default=0)
    own_link = models.PositiveSmallIntegerField(default=0)

    scope_field = "path"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链节点在地项目（诊断用）"
        constraints = [models.UniqueConstraint(fields=["project", "node"], name="chains_presence_unique")]
        indexes = [
            # a region's rows of a chain: the node, then the path's prefix (pattern ops on PostgreSQL, whose
            # collation is not C: a LIKE 'prefix/%' then still ranges over the index)
            models.Index(
                fields=["node", "path"], name="chains_presence_node_path", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
            models.Index(fields=["investor_id"], name="chains_presence_investor"),
        ]

    def __str__(self):
        return f"{self.project_id} @ {self.node_id}"


class InvestorPresence(models.Model):
    node = models.ForeignKey("chains.ChainNode", on_delete=models.CASCADE, related_name="+")
    investor_id = models.BigIntegerField()
    first_present_on = models.DateField()

    scope_field = REFERENCE  # the province's reference counts, the same for every region
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链节点在省企业（诊断用）"
        constraints = [models.UniqueConstraint(fields=["node", "investor_id"], name="chains_investor_presence_unique")]
        indexes = [
            models.Index(fields=["node", "first_present_on"], name="chains_ipresence_node_on"),
            models.Index(fields=["investor_id"], name="chains_ipresence_investor"),
        ]

    def __str__(self):
        return f"{self.investor_id} @ {self.node_id}"
