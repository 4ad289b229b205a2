"""The small world of the chains tests, shared by the fixtures (``conftest.py``), the browser test and the export
test of the dashboard: the shipped chains loaded, and enterprises and projects on the silicon chain — 楚雄 strong in
工业硅 (禄丰 holds part of it), present in 拉晶, empty in 光伏玻璃 (a key link, made in 曲靖 and by a company of the
library), 昆明 in 组件."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhaoshang.chains.models import ChainNode, IndustryChain
from zhaoshang.chains.services import placement_run
from zhaoshang.core.testing import persona

YEAR = 2025


def node(chain: IndustryChain, key: str) -> ChainNode:
    return ChainNode.objects.get(chain=chain, key=key)


def make_enterprise(name: str, **fields):
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.investors.names import normalise_enterprise_name

    return Enterprise.objects.create(name=name, normalised_name=normalise_enterprise_name(name), **fields)


def make_project(
    *,
    name: str,
    county: str,
    investor,
    description: str = "",
    stage: str = "in_production",
    signed_on: date | None = date(YEAR - 1, 5, 10),
    amount: str = "50000",
    park: str | None = None,
    **fields,
):
    """A counted project straight in the database (the lifecycle services are tested elsewhere)."""
    from zhaoshang.projects.models import Agreement, Project
    from zhaoshang.regions.models import Park, Region

    region = Region.objects.get(code=county)
    place = Park.objects.get(code=park) if park else None
    if stage in ("lead", "negotiating"):
        signed_on = None
    project = Project.objects.create(
        name=name,
        description=description,
        investor=investor,
        county=region,
        park=place,
        path=place.path if place else region.path,
        agreed_investment_wan=Decimal(amount),
        stage=stage,
        stage_on=signed_on or date(YEAR - 1, 1, 5),
        first_signed_on=signed_on,
        **fields,
    )
    if signed_on:
        Agreement.objects.create(
            project=project,
            signed_on=signed_on,
            amount_wan=project.agreed_investment_wan,
            counted_amount_wan=project.agreed_investment_wan,
        )
    return project


def fund(project, month: date, amount: str):
    from zhaoshang.projects.models import FundingEntry

    return FundingEntry.objects.create(
        project=project, month=month, amount_wan=Decimal(amount), entered_by=persona("province_admin")
    )


@dataclass
class World:
    silicon: IndustryChain
    projects: dict
    enterprises: dict


def build_world(silicon: IndustryChain) -> World:
    e = {
        "hesheng": make_enterprise("合盛测试硅业有限公司", hq_province="浙江", is_chain_leader=True),
        "yunsi": make_enterprise("云南测试永昌硅业有限公司", hq_province="云南"),
        "lufeng_si": make_enterprise("禄丰测试新材料有限公司", hq_province="四川"),
        "longji": make_enterprise("隆基测试绿能有限公司", hq_province="陕西"),
        "glass": make_enterprise("曲靖测试光伏玻璃有限公司", hq_province="广东"),
        "kunming_module": make_enterprise("昆明测试光伏科技有限公司", hq_province="江苏"),
        "flat": make_enterprise("福莱特测试玻璃集团", hq_province="浙江", notes="主营光伏压延玻璃、光伏背板玻璃"),
    }
    p = {
        "chuxiong_si": make_project(
            name="楚雄年产20万吨工业硅项目",
            county="532301",
            investor=e["hesheng"],
            description="建设矿热炉及配套微硅粉回收",
            amount="300000",
        ),
        "chuxiong_si2": make_project(name="牟定工业硅冶炼项目", county="532323", investor=e["yunsi"], amount="80000"),
        "lufeng_si": make_project(
            name="禄丰工业硅及硅材料项目", county="532302", investor=e["lufeng_si"], park="S539053", amount="60000"
        ),
        "lufeng_ingot": make_project(
            name="禄丰单晶硅棒拉晶项目",
            county="532302",
            investor=e["longji"],
            description="建设单晶炉拉晶车间",
            amount="120000",
            signed_on=date(YEAR, 3, 1),
        ),
        "lufeng_lead": make_project(
            name="禄丰光伏组件项目", county="532302", investor=e["kunming_module"], stage="negotiating", amount="20000"
        ),
        "qujing_glass": make_project(
            name="曲靖光伏玻璃生产线项目",
            county="530302",
            investor=e["glass"],
            description="年产光伏压延玻璃",
            amount="90000",
        ),
        "kunming_module": make_project(
            name="昆明高效光伏组件项目", county="530112", investor=e["kunming_module"], amount="40000"
        ),
    }
    fund(p["chuxiong_si"], date(YEAR, 2, 1), "1200.50")
    fund(p["lufeng_ingot"], date(YEAR, 4, 1), "800")
    place_world(e)
    return World(silicon=silicon, projects=p, enterprises=e)


def place_world(enterprises: dict) -> None:
    """Place the test's enterprises, the listed companies of the maker table (the nation's library) and every
    project (the whole library would take seconds)."""
    from zhaoshang.chains.reference import shipped_products
    from zhaoshang.investors.models import Enterprise
    from zhaoshang.projects.models import Project

    ids = [e.pk for e in enterprises.values()]
    library = Enterprise.objects.filter(name__in=list(shipped_products())) | Enterprise.objects.filter(pk__in=ids)
    placement_run(actor=None, enterprises=library, projects=Project.objects.all())
