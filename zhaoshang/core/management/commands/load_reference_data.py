from django.core.management.base import BaseCommand
from django.db import transaction

from zhaoshang.accounts.reference import load_org_units, sync_roles
from zhaoshang.catalog.reference import (
    load_admission_rules,
    load_gbt4754,
    load_industry_vocabulary,
    load_key_industries,
    load_overcapacity,
    load_thresholds,
)
from zhaoshang.core.audit import audit_record
from zhaoshang.investors.reference import load_enterprises
from zhaoshang.regions.reference import load_parks, load_regions
from zhaoshang.stats.reference import load_policy_targets


class Command(BaseCommand):
    help = (
        "载入参考数据（行政区划、园区、重点产业及识别词、GB/T 4754、准入规则、机构、角色、企业名单）。"
        "可重复运行，不会产生重复记录。"
    )

    @transaction.atomic
    def handle(self, *args, **options):
        steps = [
            ("行政区划", load_regions),
            ("重点产业", load_key_industries),
            ("国民经济行业分类", load_gbt4754),
            ("园区", load_parks),
            ("机构", load_org_units),
            ("重点产业子项与识别词", load_industry_vocabulary),
            ("产能严重过剩行业", load_overcapacity),
            ("准入规则条目", load_admission_rules),
            ("投资强度和亩均税收标准", load_thresholds),
            ("政策目标", load_policy_targets),
            ("企业名单（世界500强、A股上市公司）", load_enterprises),
        ]
        counts = {}
        for label, step in steps:
            created, updated = step()
            counts[label] = {"created": created, "updated": updated}
            self.stdout.write(f"{label}: 新增 {created}，更新 {updated}")
        self.stdout.write(f"角色: {sync_roles()} 个")
        if any(c["created"] or c["updated"] for c in counts.values()):
            audit_record(actor=None, action="load_reference_data", actor_name="system", after=counts)
