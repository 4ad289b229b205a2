"""Deterministic demo projects for all 129 counties over three years: every stage, agreements, monthly ledgers, and
big-project library (招大引强) submissions of signed projects of 10 亿元 or more, where users of each level exist."""

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.roles import ROLES
from zhaoshang.catalog.admission import Thresholds
from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.catalog.services import admission_batch, thresholds_for
from zhaoshang.core.audit import audit_record
from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.investors.groups import NO_GROUP, group_flags_many
from zhaoshang.investors.models import Enterprise
from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import (
    PROVINCE_GROUPS,
    SIGNED_OR_LATER,
    STAGE_PATH,
    AgreementKind,
    ProjectSource,
    Stage,
)
from zhaoshang.projects.models import Agreement, FundingEntry, IncentiveClause, Project, ProjectTransition
from zhaoshang.projects.models.library import (
    DEFAULT_THRESHOLD_WAN,
    LibraryAction,
    LibraryEntry,
    LibraryLevel,
    LibraryStatus,
    LibraryStep,
    LibraryThreshold,
)
from zhaoshang.projects.services.library import (
    APPROVE_PERMISSION,
    REVIEW_PERMISSION,
    SUBMIT_PERMISSION,
    actor_level,
)
from zhaoshang.projects.services.plan import ADMISSION, PlanLookups, WriteFacts, project_plan
from zhaoshang.projects.services.rollup import rollup_rebuild
from zhaoshang.regions.models import Park, Region

BATCH = 2000
STAGE_WEIGHTS = {
    Stage.LEAD: 14,
    Stage.NEGOTIATING: 14,
    Stage.SIGNED: 14,
    Stage.REGISTERED: 12,
    Stage.UNDER_CONSTRUCTION: 18,
    Stage.IN_PRODUCTION: 18,
    Stage.TERMINATED: 10,
}
BRANDS = "华 鑫 恒 瑞 泰 宏 信 达 盛 嘉 隆 润 和 丰 源 昌 安 新 远 景 诚 联 成 普 锦 中 天 海 金 博".split()
TRADES = {
    "plateau_agriculture": ("农业科技", "咖啡精深加工", "花卉产业园", "高原蔬菜冷链"),
    "green_aluminium": ("铝材深加工", "再生铝", "铝合金轮毂", "铝箔"),
    "green_silicon": ("单晶硅棒", "光伏组件", "工业硅", "硅基新材料"),
    "advanced_manufacturing": ("装备制造", "新能源汽车零部件", "智能制造", "电机"),
    "green_energy": ("风电", "光伏电站", "储能电站", "抽水蓄能"),
    "new_materials": ("磷酸铁锂", "稀贵金属新材料", "锗材料", "钛材"),
    "biomedicine": ("中药饮片", "生物制药", "医疗器械", "三七精深加工"),
    "digital_economy": ("数据中心", "软件园", "电子信息", "算力中心"),
    "tourism_wellness": ("文旅康养小镇", "温泉度假区", "旅游综合体", "康养社区"),
    "modern_logistics": ("物流园", "冷链物流", "国际陆港", "仓储配送中心"),
    "export_oriented": ("出口加工", "跨境电商产业园", "进出口加工", "外贸服装"),
    "tobacco": ("烟草配套", "卷烟辅料", "烟机配件", "烟草物流"),
}
KINDS = ["实业", "科技", "能源", "集团", "新材料", "投资"]
PROVINCES = [p for p in PROVINCE_GROUPS if p != "云南"] + ["云南"] * 8
AMOUNTS_WAN = [800, 2000, 5000, 8000, 12000, 20000, 30000, 50000, 80000, 120000, 200000, 500000]
# Land use against the standard the admission check applies where the project sits (the park's, else the county's
# or the province's 投资强度 and 亩均税收, 万元/亩), in hundredths: most projects are above it; a share of the leads
# and negotiations is below it, so that the demo shows refusals (不招) — and only those are refused.
INTENSITY_FACTOR = (115, 300)
TAX_FACTOR = (110, 250)
BELOW_STANDARD_FACTOR = (30, 80)
BELOW_STANDARD_SHARE = 0.1  # of the projects still at 线索 or 在谈
# 项目简介 where a trade word alone leaves the check unsure (a 再生铝 plant below 1万吨/年 is 淘汰类).
DESCRIPTIONS = {"再生铝": "建设年产10万吨再生铝及铝合金锭生产线"}
# The library flow a submitted project has gone through (weights): each is a list of (action, acting level).
LIBRARY_FLOWS = [
    (3, [(LibraryAction.SUBMIT, LibraryLevel.COUNTY)]),
    (3, [(LibraryAction.SUBMIT, LibraryLevel.COUNTY), (LibraryAction.REVIEW, LibraryLevel.PREFECTURE)]),
    (
        5,
        [
            (LibraryAction.SUBMIT, LibraryLevel.COUNTY),
            (LibraryAction.REVIEW, LibraryLevel.PREFECTURE),
            (LibraryAction.APPROVE, LibraryLevel.PROVINCE),
        ],
    ),
    (2, [(LibraryAction.SUBMIT, LibraryLevel.COUNTY), (LibraryAction.RETURN, LibraryLevel.PREFECTURE)]),
    (
        1,
        [
            (LibraryAction.SUBMIT, LibraryLevel.COUNTY),
            (LibraryAction.REVIEW, LibraryLevel.PREFECTURE),
            (LibraryAction.RETURN, LibraryLevel.PROVINCE),
        ],
    ),
    (
        2,
        [  # returned, completed by the county and submitted again
            (LibraryAction.SUBMIT, LibraryLevel.COUNTY),
            (LibraryAction.RETURN, LibraryLevel.PREFECTURE),
            (LibraryAction.SUBMIT, LibraryLevel.COUNTY),
        ],
    ),
]
RETURN_REASONS = {
    LibraryLevel.PREFECTURE: [
        "协议投资额与投资协议不一致，请核实后重新申报",
        "缺少项目投资协议扫描件和企业营业执照",
        "项目用地预审意见未提供，请补充",
    ],
    LibraryLevel.PROVINCE: [
        "项目实际开工进度与申报材料不符，请州市复核",
        "投资方履约能力说明不足，请补充近三年财务报表",
    ],
}
STEP_STATUS = {
    LibraryAction.SUBMIT: LibraryStatus.SUBMITTED,
    LibraryAction.REVIEW: LibraryStatus.REVIEWED,
    LibraryAction.APPROVE: LibraryStatus.APPROVED,
    LibraryAction.RETURN: LibraryStatus.RETURNED,
}
LIBRARY_SHARE = 0.6  # of the eligible projects, the share that has been submitted


class Command(BaseCommand):
    help = (
        "生成确定性的演示项目数据（全部129个县市区、三年、各阶段、协议、到位资金与招大引强申报）。已有演示数据时跳过。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=3000, help="项目数量")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, projects: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产模式下生成")
        if Project.objects.filter(source=ProjectSource.DEMO).exists():
            self.stdout.write("已有演示项目，跳过（不重复生成）")
            return
        actor = User.objects.filter(username="province_admin").first()
        if actor is None:
            raise CommandError("请先运行 load_reference_data 和 create_demo_accounts")
        counts = Seeder(rng=random.Random(seed), actor=actor, today=timezone.localdate()).run(projects)
        self.stdout.write("演示数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))


class Seeder:
    def __init__(self, *, rng: random.Random, actor, today: date):
        self.rng, self.actor, self.today = rng, actor, today
        # Whose scope the plan checks: the seeding account (the province); a seeder built without one (a test of the
        # generated names) plans as the system, for the whole province.
        self.planner = actor if actor is not None else SimpleNamespace(is_superuser=True)
        self.groups = {}  # enterprise id → its group's flags, read once the enterprises exist
        self.start = date(today.year - 2, 1, 1)
        self.counties = list(Region.objects.counties().order_by("code"))
        self.parks = {}
        for park in Park.objects.active().order_by("code"):
            self.parks.setdefault(park.region_id, []).append(park)
        self.industries = list(KeyIndustry.objects.order_by("sort_order"))
        self.classes = list(IndustryClass.objects.small_classes().filter(section="C").order_by("code"))
        self.standards: dict[tuple[str, str], Thresholds] = {}

    @transaction.atomic
    def run(self, total: int) -> dict:
        enterprises = self.enterprises(max(20, total // 3))
        self.groups = group_flags_many(enterprises)
        with admission_batch():  # the land-use standards are read once
            plans = [self.plan(i, enterprises) for i in range(total)]
        Project.objects.bulk_create([p["project"] for p in plans], batch_size=BATCH)
        transitions, agreements, entries = [], [], []
        for plan in plans:
            project = plan["project"]
            previous = ""
            for stage, day in plan["steps"]:
                transitions.append(
                    ProjectTransition(
                        project=project, from_stage=previous, to_stage=stage, on=day, actor=self.actor, note="演示数据"
                    )
                )
                previous = stage
            if project.first_signed_on:
                agreements.append(self.agreement(project))
                entries.extend(self.ledger(project))
        ProjectTransition.objects.bulk_create(transitions, batch_size=BATCH)
        firsts = [a for a, _ in agreements]
        Agreement.objects.bulk_create(firsts, batch_size=BATCH)
        upgrades = []
        for first, upgrade in agreements:
            if upgrade is not None:
                upgrade.upgrades = first
                upgrades.append(upgrade)
        Agreement.objects.bulk_create(upgrades, batch_size=BATCH)
        clauses = [
            IncentiveClause(
                agreement=a,
                content=self.rng.choice(["地方留成税收前三年全额奖励", "固定资产投资补助", "标准厂房租金减免"]),
                amount_wan=Decimal(self.rng.choice([50, 100, 300, 800])),
                conditions="按期开工投产",
                due_on=a.signed_on + timedelta(days=365 * 3),
            )
            for a in firsts
            if self.rng.random() < 0.5
        ]
        IncentiveClause.objects.bulk_create(clauses, batch_size=BATCH)
        FundingEntry.objects.bulk_create(entries, batch_size=BATCH)
        rollup_rebuild()  # the bulk load bypassed the services that keep the roll-up
        staff = self.bureau_staff()
        library_entries, library_steps = self.library([plan["project"] for plan in plans])
        counts = {
            "演示用干部账号": staff,
            "项目": len(plans),
            "企业": len(enterprises),
            "阶段变更": len(transitions),
            "协议": len(firsts) + len(upgrades),
            "到位资金分录": len(entries),
            "招大引强申报": library_entries,
            "招大引强审核记录": library_steps,
        }
        audit_record(actor=None, action="seed_demo", actor_name="system", after=counts)
        return counts

    # -- 招大引强项目库 ------------------------------------------------------------------------------------------
    def bureau_staff(self) -> int:
        """An officer account for each prefecture and county bureau that has none (the README's demo accounts
        cover 楚雄, 禄丰 and 昆明), so that the library holds submissions from all of Yunnan. They cannot sign in
        (no usable password) and their names say they belong to the demo data."""
        roles = {
            OrgKind.PREFECTURE_BUREAU: Group.objects.get(name=ROLES["prefecture_officer"].name),
            OrgKind.COUNTY_BUREAU: Group.objects.get(name=ROLES["county_officer"].name),
        }
        staffed = set(User.objects.filter(groups__in=roles.values()).values_list("org_unit_id", flat=True))
        created = 0
        for org in OrgUnit.objects.filter(kind__in=roles).select_related("region").order_by("code"):
            if org.pk in staffed:
                continue
            user = User(username=f"staff_{org.region.code}", full_name=f"{org.name}招商干部（演示数据）", org_unit=org)
            user.set_unusable_password()
            user.save()
            user.groups.set([roles[org.kind]])
            created += 1
        return created

    def library_actors(self) -> dict[str, list[tuple[str, User]]]:
        """Users who may act at each level, with their node: the county submits, the prefecture reviews (and
        returns), the province approves (and returns), as ``services.library`` requires."""
        needed = {
            LibraryLevel.COUNTY: SUBMIT_PERMISSION,
            LibraryLevel.PREFECTURE: REVIEW_PERMISSION,
            LibraryLevel.PROVINCE: APPROVE_PERMISSION,
        }
        actors = {level: [] for level in needed}
        for user in User.objects.filter(is_active=True).select_related("org_unit").order_by("username"):
            node, level = user_node_path(user), actor_level(user)
            if node and level in needed and user.has_perm(needed[level]):
                actors[level].append((node, user))
        return actors

    def threshold_on(self, thresholds: list[LibraryThreshold], day: date) -> Decimal:
        """``library_threshold_wan(day)`` without a query per project (``thresholds``: newest first)."""
        return next((t.threshold_wan for t in thresholds if t.effective_from <= day), DEFAULT_THRESHOLD_WAN)

    def library(self, projects: list[Project]) -> tuple[int, int]:
        """Library submissions of signed projects at or above the threshold, in bulk, each step dated after the
        signing and after the step before, taken by a user of the right level whose jurisdiction covers the
        project (projects that no such users cover are left out): some waiting for the prefecture or the
        province, some approved, some returned with a reason (a few of them submitted again)."""
        actors = self.library_actors()
        thresholds = list(LibraryThreshold.objects.order_by("-effective_from", "-id"))
        weights, flows = [w for w, _ in LIBRARY_FLOWS], [f for _, f in LIBRARY_FLOWS]
        entries = []
        for project in projects:
            if project.stage not in SIGNED_OR_LATER or project.first_signed_on is None:
                continue
            covering = {
                level: next((u for node, u in users if path_within(project.path, node)), None)
                for level, users in actors.items()
            }
            if None in covering.values() or self.rng.random() >= LIBRARY_SHARE:
                continue
            # Submitted some days after the signing, at the threshold in force on that day.
            day = self.day_after(project.first_signed_on, 10, 90)
            if self.today - day < timedelta(days=3) or project.agreed_investment_wan < self.threshold_on(
                thresholds, day
            ):
                continue
            flow = self.rng.choices(flows, weights=weights)[0]
            entry = LibraryEntry(project=project, amount_wan=project.agreed_investment_wan)
            entry_steps, status = [], ""
            for index, (action, level) in enumerate(flow):
                if index:
                    day += timedelta(days=self.rng.randint(3, 45))
                    if day > self.today:
                        break  # the next step has not happened yet: the entry waits where it is
                actor = covering[level]
                reason = ""
                if action == LibraryAction.RETURN:
                    reason = self.rng.choice(RETURN_REASONS[level])
                    entry.last_reason = reason
                elif action == LibraryAction.SUBMIT:
                    entry.year, entry.submitted_by = day.year, actor
                    entry.submitted_at = self.moment(day, index)
                    entry.threshold_wan = self.threshold_on(thresholds, day)
                elif action == LibraryAction.APPROVE:
                    entry.approved_on = day
                to_status = STEP_STATUS[action]
                entry_steps.append(
                    LibraryStep(
                        action=action,
                        level=level,
                        from_status=status,
                        to_status=to_status,
                        on=day,
                        actor=actor,
                        reason=reason,
                        created_at=self.moment(day, index),
                    )
                )
                status = to_status
            entry.status = status
            entry.step = {
                LibraryStatus.SUBMITTED: LibraryLevel.PREFECTURE,
                LibraryStatus.REVIEWED: LibraryLevel.PROVINCE,
                LibraryStatus.APPROVED: LibraryLevel.DONE,
                LibraryStatus.RETURNED: LibraryLevel.COUNTY,
            }[status]
            entries.append((entry, entry_steps))
        LibraryEntry.objects.bulk_create([entry for entry, _ in entries], batch_size=BATCH)
        for entry, entry_steps in entries:
            for step in entry_steps:
                step.entry = entry
        all_steps = [step for _, entry_steps in entries for step in entry_steps]
        LibraryStep.objects.bulk_create(all_steps, batch_size=BATCH)
        return len(entries), len(all_steps)

    def moment(self, day: date, index: int):
        """A working-hours time on ``day`` (later steps of one day later), in the project's time zone."""
        return timezone.make_aware(datetime.combine(day, time(9 + min(index, 8), 30)))

    def enterprises(self, count: int) -> list[Enterprise]:
        names, rows = set(), []
        while len(rows) < count:
            province = self.rng.choice(PROVINCES)
            prefix = "境外" if province == "境外" else province
            kind = self.rng.choice(KINDS)
            name = f"{prefix}{self.rng.choice(BRANDS)}{self.rng.choice(BRANDS)}{kind}有限公司"
            if name in names:
                continue
            names.add(name)
            rows.append(
                Enterprise(
                    name=name,
                    normalised_name=normalise_enterprise_name(name),
                    hq_province=province,
                    is_global500=self.rng.random() < 0.03,
                    is_china500=self.rng.random() < 0.08,
                    is_private500=self.rng.random() < 0.08,
                    created_by=self.actor,
                    updated_by=self.actor,
                )
            )
        return Enterprise.objects.bulk_create(rows, batch_size=BATCH)

    def day_after(self, day: date, low: int, high: int) -> date:
        return min(self.today, day + timedelta(days=self.rng.randint(low, high)))

    def plan(self, i: int, enterprises: list[Enterprise]) -> dict:
        rng = self.rng
        county = self.counties[i % len(self.counties)]
        parks = self.parks.get(county.pk, [])
        park = rng.choice(parks) if parks and rng.random() < 0.5 else None
        industry = rng.choice(self.industries) if rng.random() < 0.85 else None
        investor = rng.choice(enterprises)
        final = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
        lead_on = self.start + timedelta(days=rng.randint(0, max(1, (self.today - self.start).days - 200)))
        steps, day = [(Stage.LEAD, lead_on)], lead_on
        target = final if final != Stage.TERMINATED else rng.choice(STAGE_PATH[:4])
        for stage in STAGE_PATH[1 : STAGE_PATH.index(target) + 1]:
            day = self.day_after(day, 15, 150)
            steps.append((stage, day))
        if final == Stage.TERMINATED:
            day = self.day_after(day, 30, 200)
            steps.append((Stage.TERMINATED, day))
        signed_on = next((d for s, d in steps if s == Stage.SIGNED), None)
        trade = (
            rng.choice(TRADES[industry.code]) if industry else rng.choice(["商贸综合体", "房地产开发", "城市基础设施"])
        )
        amount = Decimal(rng.choice(AMOUNTS_WAN)) * Decimal(rng.randint(80, 120)) / 100
        below_standard = final in (Stage.LEAD, Stage.NEGOTIATING) and rng.random() < BELOW_STANDARD_SHARE
        land_mu, tax_wan = self.land_use(county, park, amount, below_standard=below_standard)
        province = investor.hq_province
        facts = WriteFacts(
            name=f"{county.short_name or county.name}{trade}项目（演示{i + 1}）",
            investor_name=investor.name,
            investor_credit_code=investor.credit_code,
            county=county,
            park=park,
            fields={
                "description": DESCRIPTIONS.get(trade, ""),
                "key_industry": industry,
                "industry_class": rng.choice(self.classes) if self.classes and industry else None,
                "agreed_investment_wan": amount.quantize(Decimal("0.01")),
                "source_province": province,
                "currency": "USD" if province == "境外" else "CNY",
                "is_china500": investor.is_china500,
                "is_private500": investor.is_private500,
                "is_chain_leader": rng.random() < 0.05,
                "is_headquarters": rng.random() < 0.03,
                "land_mu": land_mu,
                "expected_annual_tax_wan": tax_wan,
                "jobs": rng.randint(20, 3000),
                "responsible_person": rng.choice(["张", "李", "王", "杨", "赵", "刘"])
                + rng.choice(["明", "华", "强", "丽"]),
                "lead_department": f"{county.name}投资促进局",
                "stalled": final in (Stage.SIGNED, Stage.REGISTERED) and rng.random() < 0.2,
            },
        )
        # The one plan of every project write (placement, region group, the group's flags, the verdict). The demo
        # states its industries (no suggestion), and keeps the few leads planned below the land-use standard: they
        # are there to show a 不招 verdict, recorded as the plan gives it.
        planned = project_plan(
            facts=facts,
            actor=self.planner,
            on=lead_on,
            lookups=PlanLookups(group=self.groups.get(investor.pk, NO_GROUP)),
        )
        if any(problem.code != ADMISSION for problem in planned.problems):
            raise CommandError(f"演示项目不合规则：{facts.name} {planned.problems}")
        project = planned.apply(
            Project(
                investor=investor,
                stage=steps[-1][0],
                stage_on=steps[-1][1],
                first_signed_on=signed_on,
                source=ProjectSource.DEMO,
                created_by=self.actor,
                updated_by=self.actor,
            )
        )
        return {"project": project, "steps": steps}

    def standard(self, county: Region, park: Park | None) -> Thresholds:
        """The 投资强度 and 亩均税收 standard the admission check applies to a project there."""
        key = (park.code if park else "", county.code)
        if key not in self.standards:
            self.standards[key] = thresholds_for(park_code=key[0], region_code=key[1])
        return self.standards[key]

    def land_use(self, county: Region, park: Park | None, amount: Decimal, *, below_standard: bool):
        """用地 (whole 亩) and 预期年税收 (万元) whose 投资强度 and 亩均税收 are a few times the standard (above it
        whatever the rounding), or, ``below_standard``, a fraction of it."""
        standard = self.standard(county, park)
        low, high = BELOW_STANDARD_FACTOR if below_standard else INTENSITY_FACTOR
        intensity = standard.min_intensity_wan_per_mu * Decimal(self.rng.randint(low, high)) / 100
        land = max(Decimal(1), (amount / intensity).quantize(Decimal(1), rounding=ROUND_DOWN))
        low, high = BELOW_STANDARD_FACTOR if below_standard else TAX_FACTOR
        tax_per_mu = standard.min_tax_wan_per_mu * Decimal(self.rng.randint(low, high)) / 100
        return land, (land * tax_per_mu).quantize(Decimal("0.01"))

    def agreement(self, project: Project):
        amount = project.agreed_investment_wan
        if self.rng.random() < 0.1:  # a framework agreement later upgraded (升格) to a contract
            framework_amount = (amount * Decimal("0.8")).quantize(Decimal("0.01"))
            first = Agreement(
                project=project,
                kind=AgreementKind.FRAMEWORK,
                signed_on=project.first_signed_on,
                amount_wan=framework_amount,
                counted_amount_wan=framework_amount,
                created_by=self.actor,
            )
            upgrade = Agreement(
                project=project,
                kind=AgreementKind.CONTRACT,
                signed_on=self.day_after(project.first_signed_on, 30, 180),
                amount_wan=amount,
                counted_amount_wan=amount - framework_amount,
                term_years=self.rng.choice([10, 20, 30]),
                created_by=self.actor,
            )
            return first, upgrade
        first = Agreement(
            project=project,
            kind=AgreementKind.CONTRACT,
            signed_on=project.first_signed_on,
            amount_wan=amount,
            counted_amount_wan=amount,
            term_years=self.rng.choice([10, 20, 30]),
            created_by=self.actor,
        )
        return first, None

    def ledger(self, project: Project) -> list[FundingEntry]:
        if project.stage in (Stage.SIGNED, Stage.TERMINATED) and self.rng.random() < 0.7:
            return []
        entries = []
        month = project.first_signed_on.replace(day=1)
        last = self.today.replace(day=1)
        monthly = project.agreed_investment_wan / Decimal(36)
        outside_share = Decimal("0") if project.source_province == "云南" else Decimal("0.9")
        while month <= last:
            if self.rng.random() < 0.6:
                amount = (monthly * Decimal(self.rng.randint(30, 170)) / 100).quantize(Decimal("0.01"))
                if amount > 0:
                    entries.append(
                        FundingEntry(
                            project=project,
                            month=month,
                            amount_wan=amount,
                            outside_province_wan=(amount * outside_share).quantize(Decimal("0.01")),
                            outside_prefecture_wan=(amount * max(outside_share, Decimal("0.6"))).quantize(
                                Decimal("0.01")
                            ),
                            entered_by=self.actor,
                            note="演示数据",
                        )
                    )
            month = (month + timedelta(days=32)).replace(day=1)
        return entries
