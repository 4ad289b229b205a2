from django.core.management.base import BaseCommand
from django.db import transaction

from zhaoshang.core.audit import audit_record
from zhaoshang.core.reference import reference_loaders


class Command(BaseCommand):
    help = (
        "载入参考数据（行政区划、园区、重点产业及识别词、GB/T 4754、准入规则、机构、角色、企业名单等，"
        "各应用登记的全部参考数据）。可重复运行，不会产生重复记录。"
    )

    @transaction.atomic
    def handle(self, *args, **options):
        counts = {}
        for label, load in reference_loaders():
            created, updated = load()
            counts[label] = {"created": created, "updated": updated}
            self.stdout.write(f"{label}: 新增 {created}，更新 {updated}")
        if any(c["created"] or c["updated"] for c in counts.values()):
            audit_record(actor=None, action="load_reference_data", actor_name="system", after=counts)
