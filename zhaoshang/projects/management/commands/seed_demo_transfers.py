"""Demo 项目流转 (`make run`): a signed and funded 禄丰 project moved to 楚雄市 on 30/70 sharing — proposed by
lufeng_officer, accepted by chuxiongshi_officer, filed by chuxiong_officer — and an open offer in 昆明 waiting for its
receiving county, so that both lists and the shares in every figure can be seen. Skipped once any transfer exists."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zhaoshang.accounts.demo import RECEIVING_COUNTY_ACCOUNT, create_demo_accounts
from zhaoshang.accounts.models import User
from zhaoshang.projects.choices import SIGNED_OR_LATER
from zhaoshang.projects.models import Project, Transfer, TransferReason
from zhaoshang.projects.services.transfer import transfer_accept, transfer_file, transfer_propose
from zhaoshang.regions.models import Region


def _user(username: str) -> User:
    return User.objects.select_related("org_unit").get(username=username)


def _offer(*, actor: User, project: Project, to: str, reason_text: str, years: int) -> Transfer:
    return transfer_propose(
        actor=actor,
        project=project,
        to_county=Region.objects.get(code=to),
        to_park=None,
        reason=TransferReason.LAND,
        reason_text=reason_text,
        source_share=Decimal("30"),
        target_share=Decimal("70"),
        from_year=timezone.localdate().year,
        years=years,
    )


def _signed_in(county: str) -> Project | None:
    rows = Project.objects.filter(county__code=county, stage__in=SIGNED_OR_LATER, merged_into__isnull=True, park=None)
    return rows.filter(funding_entries__isnull=False).order_by("-first_signed_on", "pk").first() or rows.first()


class Command(BaseCommand):
    help = "项目流转演示数据：禄丰→楚雄市已完成的流转（30%/70%分成）与昆明待接收的流转（可重复执行）"

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise ImproperlyConfigured("演示数据不能在生产模式下创建")
        if Transfer.objects.exists():
            self.stdout.write("项目流转演示数据已存在")
            return
        create_demo_accounts([RECEIVING_COUNTY_ACCOUNT])
        made = []
        lufeng = _signed_in("532302")
        if lufeng is not None:
            transfer = _offer(
                actor=_user("lufeng_officer"),
                project=lufeng,
                to="532301",
                reason_text="禄丰工业园区用地指标已用尽，楚雄市有成片工业用地可承接",
                years=5,
            )
            transfer_accept(actor=_user("chuxiongshi_officer"), transfer=transfer, note="同意承接，按三七分成")
            transfer_file(actor=_user("chuxiong_officer"), transfer=transfer, note="州级备案")
            made.append(f"{lufeng.name}（禄丰→楚雄市，已完成）")
        wuhua = _signed_in("530102")
        if wuhua is not None:
            _offer(
                actor=_user("kunming_officer"),
                project=wuhua,
                to="530103",
                reason_text="五华区能耗指标不足，盘龙区园区定位相符",
                years=3,
            )
            made.append(f"{wuhua.name}（五华区→盘龙区，待接收方确认）")
        self.stdout.write("项目流转演示数据：" + ("；".join(made) or "没有可流转的已签约项目"))
