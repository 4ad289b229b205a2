"""Helpers of the transfer tests (projects and stats): officers of counties the personas do not cover, a park in
楚雄市, a signed and funded project in 禄丰, and a transfer taken through its steps by the right bureaus."""

from datetime import date
from decimal import Decimal as D

from django.contrib.auth.models import Group

from zhaoshang.accounts.choices import OrgKind
from zhaoshang.accounts.models import OrgUnit, User
from zhaoshang.accounts.roles import ROLES
from zhaoshang.core.testing import PASSWORD, persona
from zhaoshang.projects import services
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import TransferReason
from zhaoshang.projects.services.transfer import transfer_accept, transfer_file, transfer_propose
from zhaoshang.regions.models import Park, Region
from zhaoshang.regions.services import park_create

SIGNED_ON = date(2026, 3, 10)
AGREED = D("300000")


def officer_of(code: str, role: str = "county_officer") -> User:
    """A bureau officer of the region ``code`` (its bureau org unit), created once."""
    region = Region.objects.get(code=code)
    unit = OrgUnit.objects.filter(region=region, park__isnull=True).order_by("pk").first()
    if unit is None:
        unit = OrgUnit.objects.create(
            code=f"BUREAU-{code}", name=f"{region.name}投资促进局", region=region, kind=OrgKind.COUNTY_BUREAU
        )
    user, created = User.objects.get_or_create(username=f"officer_{code}", defaults={"full_name": f"{region.name}干部"})
    user.org_unit = unit
    if created:
        user.set_password(PASSWORD)  # the browser test signs in as this officer
    user.save()
    user.groups.set([Group.objects.get(name=ROLES[role].name)])
    return User.objects.select_related("org_unit").get(pk=user.pk)


def chuxiong_city_park() -> Park:
    """A park of 楚雄市 (the reference 楚雄经济开发区 is attached to the prefecture, which a project cannot sit in)."""
    park = Park.objects.filter(code="T532301").first()
    if park is None:
        park = park_create(
            actor=persona("province_admin"),
            region=Region.objects.get(code="532301"),
            code="T532301",
            name="楚雄市绿色产业园（测试）",
            level="provincial",
            zone_type="产业园区",
        )
    return park


def lufeng_project(name: str = "禄丰锂电池正极材料项目", amount: D = AGREED):
    """A project signed in 禄丰 on 2026-03-10 for ``amount`` 万元, with funds in place in April and May 2026."""
    actor = persona("lufeng_officer")
    lufeng = Region.objects.get(code="532302")
    project = services.project_create(
        actor=actor,
        name=name,
        investor_name=f"{name}投资有限公司",
        county=lufeng,
        agreed_investment_wan=amount,
        on=SIGNED_ON,
        source_province="广东",
    )
    project = services.project_advance(project=project, to=Stage.NEGOTIATING, actor=actor, on=SIGNED_ON)
    services.agreement_create(actor=actor, project=project, signed_on=SIGNED_ON, amount_wan=amount)
    project = services.project_advance(project=project, to=Stage.SIGNED, actor=actor, on=SIGNED_ON)
    for month, wan, outside in ((date(2026, 4, 1), "1000", "800"), (date(2026, 5, 1), "500.05", "500.05")):
        services.funding_record(
            actor=actor,
            project=project,
            month=month,
            amount_wan=D(wan),
            outside_province_wan=D(outside),
            outside_prefecture_wan=D(outside),
        )
    return project


def propose(project, to_code: str, park=None, shares=("30", "70"), actor=None, **more):
    return transfer_propose(
        actor=actor or persona("lufeng_officer"),
        project=project,
        to_county=Region.objects.get(code=to_code),
        to_park=park,
        reason=more.pop("reason", TransferReason.LAND),
        reason_text=more.pop("reason_text", "禄丰工业园区用地指标不足"),
        source_share=D(shares[0]),
        target_share=D(shares[1]),
        from_year=more.pop("from_year", 2026),
        years=more.pop("years", 3),
        **more,
    )


def complete(project, to_code: str, park=None, filer: str = "chuxiong_officer", **more):
    """Propose (禄丰), accept (the receiving county's officer) and file (``filer``): the transfer, completed."""
    transfer = propose(project, to_code, park=park, **more)
    transfer_accept(actor=officer_of(to_code), transfer=transfer)
    return transfer_file(actor=persona(filer), transfer=transfer)
