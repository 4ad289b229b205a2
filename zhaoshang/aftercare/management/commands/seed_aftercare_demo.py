"""Demo data of the enterprise service (`make run`): enterprise_demo becomes a verified user of a demo enterprise
with a project in 禄丰, requests in different states and promises, so every journey of issue 17 can be walked."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.models import Company, OrgUnit, User
from zhaoshang.aftercare.choices import ConditionKind, PromiseKind, Rating, TicketCategory
from zhaoshang.aftercare.services import companies, promises, tickets
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import Stage
from zhaoshang.regions.models import Region

NAME = "云南滇中储能科技有限公司"
PROJECT = "滇中储能电池生产基地项目"


def with_check_digit(code17: str) -> str:
    from zhaoshang.core.validators import CREDIT_CODE_CHARS, CREDIT_CODE_WEIGHTS

    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(code17, CREDIT_CODE_WEIGHTS, strict=True))
    return code17 + CREDIT_CODE_CHARS[(31 - total % 31) % 31]


class Command(BaseCommand):
    help = "企业服务演示数据：演示企业、禄丰项目、不同状态的诉求和招商承诺（可重复执行）"

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise ImproperlyConfigured("演示数据不能在生产模式下创建")
        code = with_check_digit("91532302MA6PDEMX0")
        if Company.objects.filter(credit_code=code).exists():
            self.stdout.write("企业服务演示数据已存在")
            return
        with transaction.atomic():
            self.seed(code)
            self.seed_kunming(with_check_digit("91530102MA6PDEMX0"))
        self.stdout.write(self.style.SUCCESS("企业服务演示数据已创建：enterprise_demo 为演示企业的已核验用户"))

    def seed(self, code: str) -> None:
        officer = User.objects.get(username="lufeng_officer")
        chuxiong = User.objects.get(username="chuxiong_officer")
        lufeng = Region.objects.get(code="532302")
        power, _ = OrgUnit.objects.get_or_create(
            code="DEPT-532302-POWER", defaults={"name": "禄丰市供电局", "kind": "department", "region": lufeng}
        )
        OrgUnit.objects.get_or_create(
            code="DEPT-532302-LAND", defaults={"name": "禄丰市自然资源局", "kind": "department", "region": lufeng}
        )
        today = timezone.localdate()
        company = Company.objects.create(
            credit_code=code, name=NAME, contact_name="李经理", contact_phone="13987000000", region=lufeng
        )
        company = companies.company_verify(actor=officer, company=company, approve=True, note="已核对营业执照")
        user = User.objects.get(username="enterprise_demo")
        user.company = company
        user.save(update_fields=["company"])
        project = project_services.project_create(
            actor=officer,
            name=PROJECT,
            investor_name=NAME,
            investor_credit_code=code,
            county=lufeng,
            on=today - timedelta(days=400),
            agreed_investment_wan=Decimal("120000"),
        )
        project = project_services.project_advance(
            project=project, to=Stage.NEGOTIATING, actor=officer, on=today - timedelta(days=380)
        )
        project_services.agreement_create(
            actor=officer,
            project=project,
            signed_on=today - timedelta(days=360),
            amount_wan=Decimal("120000"),
            clauses=[
                {
                    "content": "项目投产后给予设备投资奖补500万元",
                    "amount_wan": Decimal("500"),
                    "conditions": "项目投产",
                },
                {"content": "按企业缴纳增值税地方留成部分的50%给予税收返还", "amount_wan": Decimal("300")},
                {"content": "配套建设110千伏变电站及进场道路", "conditions": "开工后一年内"},
            ],
        )
        project = project_services.project_advance(
            project=project, to=Stage.SIGNED, actor=officer, on=today - timedelta(days=360)
        )
        project = project_services.project_advance(
            project=project, to=Stage.REGISTERED, actor=officer, on=today - timedelta(days=300)
        )
        project_services.project_advance(
            project=project, to=Stage.UNDER_CONSTRUCTION, actor=officer, on=today - timedelta(days=200)
        )
        companies.company_link(actor=officer, company=company, project=project)
        clauses = list(project.agreements.get().clauses.order_by("id"))
        promises.promise_create(
            actor=officer,
            clause=clauses[0],
            kind=PromiseKind.SUBSIDY,
            responsible=officer.org_unit,
            conditions=[{"kind": ConditionKind.STAGE, "stage": Stage.IN_PRODUCTION}],
            due_on=today + timedelta(days=365),
        )
        rebate = promises.promise_create(
            actor=officer,
            clause=clauses[1],
            kind=PromiseKind.SUBSIDY,
            responsible=officer.org_unit,
        )
        promises.promise_apply(actor=user, promise=rebate, note="申请兑现首年税收返还")
        road = promises.promise_create(
            actor=officer,
            clause=clauses[2],
            kind=PromiseKind.INFRASTRUCTURE,
            responsible=officer.org_unit,
            conditions=[{"kind": ConditionKind.STAGE, "stage": Stage.UNDER_CONSTRUCTION}],
            legal_basis="禄丰市人民政府常务会议纪要（2025年第12期）",
        )
        promises.promise_apply(actor=officer, promise=road)
        promises.promise_approve(actor=chuxiong, promise=road, note="同意")

        def ask(category, title, text, **kwargs):
            return tickets.ticket_submit(
                actor=user, category=category, title=title, description=text, project=project, **kwargs
            )

        ask(TicketCategory.POWER, "新建厂房需增容用电", "二期厂房需新增10千伏双回路供电，请协调供电局。")
        handling = ask(TicketCategory.LAND, "二期用地指标", "二期项目需新增工业用地80亩，请协调用地指标。")
        tickets.ticket_accept(actor=officer, ticket=handling)
        tickets.ticket_dispatch(actor=officer, ticket=handling, handler=officer.org_unit)
        tickets.ticket_sign(actor=officer, ticket=handling)
        tickets.ticket_add_unit(actor=officer, ticket=handling, org_unit=OrgUnit.objects.get(code="DEPT-532302-LAND"))
        done = ask(
            TicketCategory.LABOUR, "招聘技术工人", "投产前需招聘200名技术工人，请协助对接职业院校。", nature="consult"
        )
        tickets.ticket_accept(actor=officer, ticket=done)
        tickets.ticket_dispatch(actor=officer, ticket=done, handler=officer.org_unit)
        tickets.ticket_sign(actor=officer, ticket=done)
        tickets.ticket_answer(actor=officer, ticket=done, answer="已对接楚雄技师学院，下周组织专场招聘会。")
        tickets.ticket_visit(actor=officer, ticket=done, note="电话回访，企业认可")
        tickets.ticket_rate(actor=user, ticket=done, rating=Rating.SATISFIED)
        tickets.ticket_close(actor=officer, ticket=done)
        # An overdue request (its answer clock ran out 6 working days ago): the daily job supervises and escalates it.
        late = ask(TicketCategory.APPROVAL, "环评批复进度", "环评报告已报送两个月，请协调加快批复。", nature="consult")
        tickets.ticket_accept(actor=officer, ticket=late)
        tickets.ticket_dispatch(actor=officer, ticket=late, handler=officer.org_unit)
        tickets.ticket_sign(actor=officer, ticket=late)
        from zhaoshang.aftercare.models import Ticket
        from zhaoshang.aftercare.workdays import add_workdays, workdays_between

        start = today
        while workdays_between(add_workdays(start, 3), today) < 6:  # 6 working days overdue: one level up
            start -= timedelta(days=1)
        Ticket.objects.filter(pk=late.pk).update(clock_start=start, due_on=add_workdays(start, 3))
        tickets.ticket_tick(ticket=late, today=today)

    def seed_kunming(self, code: str) -> None:
        """A second enterprise, in 昆明's 五华区, with a request and a promise: every bureau's lists have something of
        their own and nothing of the other's (its account only files, it has no password)."""
        officer = User.objects.get(username="kunming_officer")
        wuhua = Region.objects.get(code="530102")
        today = timezone.localdate()
        company = Company.objects.create(
            credit_code=code,
            name="昆明数智云服务有限公司",
            contact_name="王经理",
            contact_phone="13888000000",
            region=wuhua,
        )
        company = companies.company_verify(actor=officer, company=company, approve=True, note="已核对营业执照")
        user = User.objects.create_user("enterprise_kunming_demo", company=company, full_name="昆明数智云（演示）")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        project = project_services.project_create(
            actor=officer,
            name="五华数字经济产业园项目",
            investor_name=company.name,
            investor_credit_code=code,
            county=wuhua,
            on=today - timedelta(days=200),
            agreed_investment_wan=Decimal("30000"),
        )
        project = project_services.project_advance(
            project=project, to=Stage.NEGOTIATING, actor=officer, on=today - timedelta(days=190)
        )
        project_services.agreement_create(
            actor=officer,
            project=project,
            signed_on=today - timedelta(days=180),
            amount_wan=Decimal("30000"),
            clauses=[{"content": "项目开工后给予人才公寓配套50套", "conditions": "项目开工"}],
        )
        project = project_services.project_advance(
            project=project, to=Stage.SIGNED, actor=officer, on=today - timedelta(days=180)
        )
        companies.company_link(actor=officer, company=company, project=project)
        promises.promise_create(
            actor=officer,
            clause=project.agreements.get().clauses.get(),
            kind=PromiseKind.TALENT,
            responsible=officer.org_unit,
            conditions=[{"kind": ConditionKind.STAGE, "stage": Stage.UNDER_CONSTRUCTION}],
            due_on=today + timedelta(days=180),
        )
        user = User.objects.get(pk=user.pk)  # its enterprise scope, now that the enterprise is verified
        tickets.ticket_submit(
            actor=user,
            category=TicketCategory.APPROVAL,
            title="施工许可办理",
            description="一期厂房施工许可材料已齐备，请协调加快办理。",
            project=project,
        )
