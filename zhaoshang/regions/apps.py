from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """The jurisdiction tree (province → 16 prefectures → 129 counties) and parks, with the maps' GeoJSON."""

    name = "zhaoshang.regions"
    verbose_name = "辖区与园区"

    def ready(self):
        from zhaoshang.core.panels import register_panel
        from zhaoshang.core.reference import register_reference
        from zhaoshang.regions.panels import jurisdiction_summary
        from zhaoshang.regions.reference import load_parks, load_regions

        register_reference("行政区划", load_regions, order=10)
        register_reference("园区", load_parks, order=40)
        register_panel("home", jurisdiction_summary, order=200)
        from zhaoshang.regions import audit_labels

        audit_labels.register()
