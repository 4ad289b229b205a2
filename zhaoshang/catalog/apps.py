from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhaoshang.catalog"
    verbose_name = "产业目录"

    def ready(self):
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
