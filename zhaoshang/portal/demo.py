"""Demo content of the public site for `make run`: the province's, 楚雄's and 禄丰's guide, three parks and a few
招商项目 in 禄丰 and 楚雄, marked by their bureaus and approved one level up, as the workflow does it. One project
stays unpublished (marked, not approved) and one section has no English text, so both cases can be seen.

The public contacts are invented office lines of the 0878 (楚雄) and 0871 (昆明) areas, not real numbers."""

from datetime import date
from decimal import Decimal

from zhaoshang.portal import services
from zhaoshang.portal.models import ParkProfile, ProfileSection, ProjectListing, RegionName
from zhaoshang.regions.models import Park, Region

NAMES_EN = {
    "530000": "Yunnan Province",
    "532300": "Chuxiong Yi Autonomous Prefecture",
    "532301": "Chuxiong City",
    "532302": "Lufeng City",
    "530100": "Kunming City",
}
SECTIONS = [
    # (region, kind, marking persona, approving persona, Chinese, English or "")
    (
        "530000",
        "industries",
        "province_admin",
        "province_admin",
        "云南省重点发展绿色能源、绿色铝谷、光伏、新材料、生物医药、高原特色农业和文旅康养等产业，建设面向南亚东南亚辐射中心。",
        "Yunnan focuses on green energy, the green aluminium valley, photovoltaics, new materials, biomedicine, "
        "plateau agriculture, and culture, tourism and wellness, as a hub facing South and Southeast Asia.",
    ),
    (
        "530000",
        "policies",
        "province_admin",
        "province_admin",
        "对新引进的重大产业项目，按有关规定在用地、用能、人才和物流等方面给予支持。具体以各级政府公开发布的政策文件为准。",
        "Major new industrial projects receive support for land, energy, talent and logistics under the applicable "
        "rules. The policy documents published by each government prevail.",
    ),
    (
        "532300",
        "industries",
        "chuxiong_officer",
        "province_admin",
        "楚雄州围绕绿色硅光伏、钛及钛合金、冶金化工和生物医药布局产业链，重点延链补链。",
        "Chuxiong builds chains in green silicon and photovoltaics, titanium and titanium alloys, metallurgy and "
        "chemicals, and biomedicine.",
    ),
    (
        "532300",
        "logistics",
        "chuxiong_officer",
        "province_admin",
        "楚雄州位于昆明以西约150公里，广大铁路、杭瑞高速、昆楚大高速贯穿全境。",
        "",
    ),
    (
        "532302",
        "industries",
        "lufeng_officer",
        "chuxiong_officer",
        "禄丰市以钛产业、冶金化工、新型建材和恐龙文化旅游为主导产业。",
        "Lufeng's leading industries are titanium, metallurgy and chemicals, new building materials and "
        "dinosaur-themed tourism.",
    ),
    (
        "532302",
        "land",
        "lufeng_officer",
        "chuxiong_officer",
        "园区工业用地按国家最低价标准出让，标准厂房可租可售；工业用电执行云南省绿色电价政策。",
        "Industrial land is sold at the national minimum price standard; standard factory buildings can be rented "
        "or bought; industrial power follows Yunnan's green electricity pricing.",
    ),
]
PARKS = [
    # (park code, marking persona, approving persona, positioning, English name, English positioning, office line)
    (
        "S539053",
        "lufeng_officer",
        "chuxiong_officer",
        "钛及钛合金、冶金化工、新型建材",
        "Yunnan Lufeng Industrial Park",
        "Titanium and titanium alloys, metallurgy and chemicals, new building materials",
        "0878-4121000",
    ),
    (
        "S537004",
        "chuxiong_officer",
        "province_admin",
        "绿色硅光伏、生物医药、装备制造",
        "Yunnan Chuxiong Economic Development Zone",
        "Green silicon and photovoltaics, biomedicine, equipment manufacturing",
        "0878-3121000",
    ),
    (
        "G531042",
        "kunming_officer",
        "province_admin",
        "先进装备制造、生物医药、电子信息",
        "Kunming Economic and Technological Development Zone",
        "Advanced equipment, biomedicine, electronics",
        "0871-67271000",
    ),
]
PROJECTS = [
    # (county, park or None, name, industry, 万元, mode, land, English title, English summary, publish?)
    (
        "532302",
        "S539053",
        "禄丰钛材深加工项目",
        "钛及钛合金",
        Decimal("80000"),
        "sole",
        "工业用地约200亩",
        "Lufeng titanium deep-processing project",
        "Titanium plate, tube and wire production on land ready in the Lufeng Industrial Park.",
        True,
    ),
    (
        "532302",
        None,
        "禄丰恐龙谷文旅康养项目",
        "文旅康养",
        Decimal("50000"),
        "joint",
        "约300亩",
        "Lufeng Dinosaur Valley tourism and wellness project",
        "",
        True,
    ),
    (
        "532301",
        None,
        "楚雄光伏组件配套项目",
        "绿色硅光伏",
        Decimal("120000"),
        "sole",
        "工业用地约400亩",
        "Chuxiong photovoltaic module supply project",
        "Frames, glass and back sheets for the module makers of Chuxiong.",
        True,
    ),
    ("532302", None, "禄丰新型建材产业园项目", "新型建材", Decimal("30000"), "joint", "", "", "", False),
]


def _user(username):
    from zhaoshang.accounts.models import User

    return User.objects.select_related("org_unit").get(username=username)


def seed_demo_portal() -> dict[str, int]:
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services import project_create

    counts = {"sections": 0, "parks": 0, "projects": 0}
    for code, name in NAMES_EN.items():
        region = Region.objects.get(code=code)
        RegionName.objects.update_or_create(region=region, defaults={"translations": {"en": name}})
    for code, kind, marker, approver, text, english in SECTIONS:
        region = Region.objects.get(code=code)
        if ProfileSection.objects.filter(region=region, kind=kind).exists():
            continue  # `make run` again: what a bureau changed since is kept
        item = services.section_mark(
            actor=_user(marker), region=region, kind=kind, text=text, translations={"en": {"text": english}}
        )
        services.publication_approve(actor=_user(approver), item=item)
        counts["sections"] += 1
    for code, marker, approver, positioning, name_en, positioning_en, phone in PARKS:
        park = Park.objects.get(code=code)
        if ParkProfile.objects.filter(park=park).exists():
            continue
        item = services.park_profile_mark(
            actor=_user(marker),
            park=park,
            positioning=positioning,
            land_ready="现有可供工业用地，水电路气配套到位。",
            standards="项目须符合园区产业定位和环保、能耗要求。",
            public_phone=phone,
            translations={"en": {"name": name_en, "positioning": positioning_en}},
        )
        services.publication_approve(actor=_user(approver), item=item)
        counts["parks"] += 1
    officers = {"532302": "lufeng_officer", "532301": "chuxiong_officer"}
    for county_code, park_code, name, industry, amount, mode, land, title_en, summary_en, publish in PROJECTS:
        county = Region.objects.get(code=county_code)
        actor = _user(officers[county_code])
        project = Project.objects.filter(county=county, name=name).first()
        if project is None:
            project = project_create(
                actor=actor,
                name=name,
                investor_name="待引进投资方（招商项目）",
                county=county,
                # The packaged projects share a placeholder investor and are distinct by design: not duplicates.
                confirm_not_duplicate=True,
                park=Park.objects.get(code=park_code) if park_code else None,
                on=date.today(),
                description=f"{name}：{industry}，面向社会公开招商。",
                agreed_investment_wan=amount,
            )
        if ProjectListing.objects.filter(project=project).exists():
            continue
        item = services.listing_mark(
            actor=actor,
            project=project,
            title=name,
            summary=f"{name}，拟引进有实力的{industry}企业投资建设，可提供项目用地、标准厂房和要素保障。",
            industry=industry,
            investment_wan=amount,
            cooperation_mode=mode,
            land=land,
            public_phone="0878-4121888" if county_code == "532302" else "0878-3121888",
            translations={"en": {"title": title_en, "summary": summary_en, "industry": ""}},
        )
        if publish:
            services.publication_approve(actor=_user("chuxiong_officer"), item=item)
        counts["projects"] += 1
    return counts
