"""Demo data for the chain pages (``manage.py seed_demo_chains``): projects named after chain products in every
prefecture, invested by the listed companies of the maker table and by demo enterprises, so that the chain maps
show every grade; and a few officer decisions on placements. Deterministic for a seed. Never in production.

楚雄 (532300) is given a silicon chain that is strong upstream (工业硅) and present in 拉晶 and 组件, with 光伏玻璃
left empty (a key link): the journey of the README and the browser test."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.chains.choices import AuditAction, Decision, NodeLevel
from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, IndustryChain
from zhaoshang.chains.reference import shipped_products
from zhaoshang.chains.services import chains_load_shipped, placement_decide, placement_run
from zhaoshang.core.audit import audit_record

CODE_PREFIX = "LDEMO-"
CHUXIONG = "532300"
# (chain, node key, prefecture, count): the silicon chain of 楚雄 and a few strong places elsewhere.
PINNED = [
    ("green_silicon", "metal_si_smelt", CHUXIONG, 5),
    ("green_silicon", "ingot", CHUXIONG, 3),
    ("green_silicon", "module", CHUXIONG, 2),
    ("green_silicon", "pv_central", CHUXIONG, 2),
    ("green_silicon", "pv_glass", "530300", 2),
    ("green_silicon", "slicing", "530300", 3),
    ("green_silicon", "polysi_siemens", "530600", 2),
    ("green_aluminium", "primary_smelt", "530300", 3),
    ("green_aluminium", "battery_foil", "530400", 2),
    ("phosphorus_chemical", "wet_pa_prod", "530100", 3),
    ("phosphorus_chemical", "water_soluble", "530100", 2),
    ("new_energy_battery", "lfp", "530400", 3),
    ("new_energy_battery", "lfp", "530100", 2),
    ("nonferrous_precious", "sn_smelt", "532500", 3),
    ("nonferrous_precious", "ge_refine", "530500", 2),
]
SKIP = {("green_silicon", "pv_glass", CHUXIONG)}  # the empty key link of the journey
STAGES = [("signed", 3), ("registered", 2), ("under_construction", 4), ("in_production", 4), ("negotiating", 2)]
AMOUNTS = [5000, 12000, 30000, 60000, 120000, 250000]
BRANDS = "华 鑫 恒 瑞 泰 宏 信 达 盛 嘉 隆 润 和 丰 源 昌 安 新 远 景".split()


def product_word(node: ChainNode) -> str:
    """The node's first identifying word (upper case if it is Latin: TOPCON), else its name."""
    words = node.keyword_list
    word = words[0].split("^")[0] if words else node.name
    return word.upper() if word.isascii() else word


class ChainSeeder:
    def __init__(self, *, rng: random.Random, actor, today: date):
        from zhaoshang.regions.models import Region

        self.rng, self.actor, self.today = rng, actor, today
        self.counties: dict[str, list] = {}
        for county in Region.objects.counties().order_by("code"):
            self.counties.setdefault(county.path.split("/")[1], []).append(county)
        self.prefectures = sorted(self.counties)
        self.makers = self._makers()

    def _makers(self) -> dict[int, list]:
        """Listed companies of the maker table by the node they are placed on."""
        from zhaoshang.investors.models import Enterprise

        names = list(shipped_products())
        enterprises = {e.pk: e for e in Enterprise.objects.filter(name__in=names, source_key__startswith="ashare:")}
        by_node: dict[int, list] = {}
        for link in EnterpriseNodeLink.objects.filter(enterprise_id__in=enterprises, decision=Decision.CONFIRMED):
            by_node.setdefault(link.node_id, []).append(enterprises[link.enterprise_id])
        return by_node

    def plan(self) -> list[tuple[ChainNode, str]]:
        """(node, prefecture code) for every project to create."""
        chains = {c.code: c for c in IndustryChain.objects.current()}
        wanted = []
        for code, key, prefecture, count in PINNED:
            node = ChainNode.objects.get(chain=chains[code], key=key)
            wanted += [(node, prefecture)] * count
        for chain in chains.values():
            products = list(chain.nodes.filter(level=NodeLevel.PRODUCT).order_by("seq", "id"))
            for node in self.rng.sample(products, k=min(len(products), 12)):
                for prefecture in self.rng.sample(self.prefectures, k=self.rng.randint(1, 3)):
                    if (chain.code, node.key, prefecture) not in SKIP:
                        wanted.append((node, prefecture))
        return wanted

    def investor(self, node: ChainNode, prefecture: str):
        from zhaoshang.investors.models import Enterprise
        from zhaoshang.investors.names import normalise_enterprise_name

        makers = self.makers.get(node.pk)
        if makers and self.rng.random() < 0.6:
            return self.rng.choice(makers)
        name = f"云南{self.rng.choice(BRANDS)}{self.rng.choice(BRANDS)}{node.name[:6]}有限公司（演示）"
        enterprise = Enterprise.objects.filter(name=name).first()
        if enterprise is None:
            enterprise = Enterprise.objects.create(
                name=name,
                normalised_name=normalise_enterprise_name(name),
                hq_province="云南",
                notes=f"主营{node.name}",
                created_by=self.actor,
                updated_by=self.actor,
            )
        return enterprise

    @transaction.atomic
    def run(self) -> dict:
        from zhaoshang.projects.choices import PROVINCE_GROUPS, ProjectSource
        from zhaoshang.projects.models import Agreement, FundingEntry, Project, ProjectTransition

        plans = self.plan()
        projects, steps = [], []
        for number, (node, prefecture) in enumerate(plans, start=1):
            county = self.rng.choice(self.counties[prefecture])
            investor = self.investor(node, prefecture)
            stage = self.rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]
            lead_on = self.today - timedelta(days=self.rng.randint(200, 900))
            signed_on = None if stage == "negotiating" else lead_on + timedelta(days=self.rng.randint(30, 150))
            amount = Decimal(self.rng.choice(AMOUNTS)) * Decimal(self.rng.randint(80, 120)) / 100
            word = product_word(node)
            province = investor.hq_province or "云南"
            project = Project(
                name=f"{county.short_name or county.name}{word}项目（链上演示{number}）",
                description=f"建设{word}生产线，主要产品为{node.name}",
                investor=investor,
                key_industry=node.chain.key_industry,
                county=county,
                path=county.path,
                agreed_investment_wan=amount.quantize(Decimal("0.01")),
                source_province=province,
                region_group=PROVINCE_GROUPS.get(province, ""),
                is_chain_leader=investor.source_key.startswith("ashare:") and self.rng.random() < 0.3,
                stage=stage,
                stage_on=signed_on or lead_on,
                first_signed_on=signed_on,
                external_code=f"{CODE_PREFIX}{number:04d}",
                source=ProjectSource.DEMO,
                responsible_person="演示",
                created_by=self.actor,
                updated_by=self.actor,
            )
            projects.append(project)
            steps.append((lead_on, signed_on))
        Project.objects.bulk_create(projects, batch_size=1000)
        transitions, agreements, entries = [], [], []
        path = ["lead", "negotiating", "signed", "registered", "under_construction", "in_production"]
        for project, (lead_on, signed_on) in zip(projects, steps, strict=True):
            previous = ""
            for index, stage in enumerate(path[: path.index(project.stage) + 1]):
                on = lead_on if index == 0 else (signed_on or lead_on) + timedelta(days=20 * max(0, index - 2))
                transitions.append(
                    ProjectTransition(
                        project=project,
                        from_stage=previous,
                        to_stage=stage,
                        on=min(on, self.today),
                        actor=self.actor,
                        note="演示数据",
                    )
                )
                previous = stage
            if signed_on:
                agreements.append(
                    Agreement(
                        project=project,
                        signed_on=signed_on,
                        amount_wan=project.agreed_investment_wan,
                        counted_amount_wan=project.agreed_investment_wan,
                        created_by=self.actor,
                    )
                )
                month = signed_on.replace(day=1)
                while month <= self.today.replace(day=1):
                    if project.stage != "signed" and self.rng.random() < 0.5:
                        amount = (
                            project.agreed_investment_wan / 30 * Decimal(self.rng.randint(40, 160)) / 100
                        ).quantize(Decimal("0.01"))
                        outside = Decimal("0") if project.source_province == "云南" else amount
                        entries.append(
                            FundingEntry(
                                project=project,
                                month=month,
                                amount_wan=amount,
                                outside_province_wan=outside,
                                outside_prefecture_wan=amount,
                                entered_by=self.actor,
                                note="演示数据",
                            )
                        )
                    month = (month + timedelta(days=32)).replace(day=1)
        ProjectTransition.objects.bulk_create(transitions, batch_size=2000)
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        FundingEntry.objects.bulk_create(entries, batch_size=2000)
        from zhaoshang.projects.services.rollup import rollup_rebuild

        rollup_rebuild()  # the bulk load bypassed the services that keep the ledger's roll-up
        return {"projects": projects, "transitions": len(transitions), "entries": len(entries)}


def seed_demo_chains(*, actor, seed: int = 2026) -> dict:
    """Load the chains, add the demo projects, place everything, and record a few officers' decisions."""
    from zhaoshang.projects.models import Project

    chains_load_shipped(actor=None)
    if Project.objects.filter(external_code__startswith=CODE_PREFIX).exists():
        return {}
    seeder = ChainSeeder(rng=random.Random(seed), actor=actor, today=timezone.localdate())
    created = seeder.run()
    summary = placement_run(actor=actor)
    # An officer's review: weak enterprise placements by name only are rejected, weak ones by a label confirmed.
    weak = list(
        EnterpriseNodeLink.objects.filter(decision=Decision.UNCERTAIN, node__chain__status="current")
        .order_by("pk")
        .values_list("pk", "evidence")
    )
    by_name = [pk for pk, evidence in weak if all(e.get("source") == "企业名称" for e in evidence)][:20]
    by_label = [pk for pk, evidence in weak if any(e.get("source") == "行业标签" for e in evidence)][:20]
    if by_name:
        placement_decide(
            actor=actor,
            decision=Decision.REJECTED,
            enterprise_links=by_name,
            note="仅凭企业名称，经核实不做该环节（演示）",
        )
    if by_label:
        placement_decide(
            actor=actor, decision=Decision.CONFIRMED, enterprise_links=by_label, note="经核实主营该环节（演示）"
        )
    counts = {
        "项目": len(created["projects"]),
        "阶段变更": created["transitions"],
        "到位资金分录": created["entries"],
        "项目挂链": summary.project_links,
        "企业挂链": summary.enterprise_links,
        "否定": len(by_name),
        "确认": len(by_label),
    }
    audit_record(actor=actor, action=AuditAction.SEED, object_repr="产业链演示数据", after={"rows": counts})
    return counts
