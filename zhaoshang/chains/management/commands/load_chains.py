from django.core.management.base import BaseCommand

from zhaoshang.chains.services import chains_load_shipped, placement_run


class Command(BaseCommand):
    help = (
        "载入随平台发布的产业链图谱（12个重点产业及新能源电池、磷化工、有色及稀贵金属），并把企业和项目自动挂链。"
        "可重复运行：未变化的图谱不重复载入，管理员修订过的版本保留，干部确认或否定的挂链保留。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-placement", action="store_true", help="只载入图谱，不运行自动挂链")

    def handle(self, *args, no_placement: bool = False, **options):
        created, updated = chains_load_shipped(actor=None)
        self.stdout.write(f"产业链图谱：新增 {created}，更新 {updated}")
        if not no_placement:
            summary = placement_run(actor=None)
            self.stdout.write(
                f"自动挂链：企业挂链 {summary.enterprise_links} 条，项目挂链 {summary.project_links} 条"
                f"（新增 {summary.created}，更新 {summary.updated}，移除 {summary.removed}，"
                f"保留人工结论 {summary.kept}）"
            )
