from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.chains.demo import seed_demo_chains
from zhaoshang.chains.targeting_demo import seed_demo_targeting


class Command(BaseCommand):
    help = (
        "生成产业链演示数据：载入产业链图谱，按产业链产品在各州市生成演示项目，自动挂链并记录几条干部确认/否定；"
        "园区承载条件和企业扩张信号（靶向寻商、园区匹配）。"
        "在 seed_demo 之后运行；已有产业链演示项目时只补载图谱。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, seed: int, **options):
        from zhaoshang.accounts.models import User

        if settings.PRODUCTION:
            raise CommandError("演示数据不能在生产模式下生成")
        actor = User.objects.filter(username="province_admin").first()
        if actor is None:
            raise CommandError("请先运行 load_reference_data 和 create_demo_accounts")
        counts = seed_demo_chains(actor=actor, seed=seed)
        targeting = seed_demo_targeting(actor=actor, seed=seed)
        if targeting:
            self.stdout.write("靶向寻商与园区匹配演示数据：" + "，".join(f"{k} {v}" for k, v in targeting.items()))
        if not counts:
            self.stdout.write("已有产业链演示数据，跳过（图谱已按需载入）")
            return
        self.stdout.write("产业链演示数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
