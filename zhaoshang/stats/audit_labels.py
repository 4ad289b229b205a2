"""How the audit rows of stats read (``core.changes``): target industries by name, bulletin jobs in words."""

from zhaoshang.core.audit_labels import JOB_KINDS
from zhaoshang.core.changes import reference, register_audit_keys, register_audit_values
from zhaoshang.core.choices import Action


def register() -> None:
    from zhaoshang.stats.models import industry_name

    register_audit_values("industry_code", lambda value, names: industry_name(value or ""))
    JOB_KINDS["bulletin"] = "生成通报"
    JOB_KINDS["target_import"] = "目标导入"
    register_audit_keys(
        {"region_id": "辖区", "year": "年度", "month": "截至月份", "issued_on": "发文日期"}, action="job_start"
    )
    register_audit_values("region_id", reference("regions.Region"), action="job_start")
    Action.LABELS.update(
        {
            "assessment_scheme_save": "保存考核方案",
            "assessment_scheme_publish": "发布考核方案",
            "assessment_publish": "发布季度考核结果",
        }
    )
    register_audit_keys(
        {"quarter": "季度", "scheme_version": "方案版本", "scores": "得分"}, action="assessment_publish"
    )
