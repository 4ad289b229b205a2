from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The 12 key industries and their vocabulary, GB/T 4754-2017, admission rules (准入) and their checker, the
    classifier, the 失信 register, 投资强度 / 亩均税收 thresholds."""

    name = "zhaoshang.catalog"
    verbose_name = "产业目录"

    def ready(self):
        from zhaoshang.catalog.reference import (
            load_admission_rules,
            load_gbt4754,
            load_industry_departments,
            load_industry_vocabulary,
            load_key_industries,
            load_overcapacity,
            load_thresholds,
        )
        from zhaoshang.core.reference import register_reference

        register_reference("重点产业", load_key_industries, order=20)
        register_reference("国民经济行业分类", load_gbt4754, order=30)
        register_reference("产业牵头部门", load_industry_departments, order=55)  # org units of the province
        register_reference("重点产业子项与识别词", load_industry_vocabulary, order=60)
        register_reference("产能严重过剩行业", load_overcapacity, order=70)
        register_reference("准入规则条目", load_admission_rules, order=80)
        register_reference("投资强度和亩均税收标准", load_thresholds, order=90)
        from django.db.models.signals import post_delete, post_save

        from zhaoshang.catalog import models
        from zhaoshang.catalog.admission import reset_checker
        from zhaoshang.catalog.classifier import reset_classifier

        # Only cache invalidation: an edit in the admin site takes effect on the next classification.
        for model in (models.KeyIndustry, models.IndustrySubItem, models.ExcludedKind):
            post_save.connect(reset_classifier, sender=model, dispatch_uid=f"reset_classifier_{model.__name__}")
            post_delete.connect(reset_classifier, sender=model, dispatch_uid=f"del_classifier_{model.__name__}")
        for model in (models.AdmissionRule, models.OvercapacityIndustry):
            post_save.connect(reset_checker, sender=model, dispatch_uid=f"reset_checker_{model.__name__}")
            post_delete.connect(reset_checker, sender=model, dispatch_uid=f"del_checker_{model.__name__}")
