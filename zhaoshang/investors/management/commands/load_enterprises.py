from django.core.management.base import BaseCommand

from zhaoshang.core.audit import audit_record
from zhaoshang.investors.reference import load_enterprises


class Command(BaseCommand):
    help = "载入随平台发布的企业名单（2024年世界500强、A股上市公司）。可重复运行，不会产生重复记录。"

    def handle(self, *args, **options):
        created, updated = load_enterprises()
        self.stdout.write(f"企业名单: 新增 {created}，更新 {updated}")
        if created or updated:
            audit_record(
                actor=None,
                action="load_enterprises",
                actor_name="system",
                after={"created": created, "updated": updated},
            )
