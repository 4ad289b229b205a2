"""How the audit rows of the investors app read (``core.changes``): keys its services write besides fields."""

from zhaoshang.core.audit_labels import JOB_KINDS
from zhaoshang.core.changes import field_names, reference, register_audit_keys, register_audit_values


def register() -> None:
    JOB_KINDS["enterprise_list_import"] = "企业榜单导入"
    # 设置企业标签: the enterprise before and after, and the tag set
    register_audit_keys({"tag": "标签", "created": "新加标签"}, action="set_tag")
    # 查看联系人完整信息: which fields were revealed, for which enterprise, and why
    register_audit_keys({"fields": "查看的信息", "enterprise": "企业", "reason": "查看原因"}, action="reveal_contact")
    register_audit_values("fields", field_names("investors.Contact"), action="reveal_contact")
    register_audit_values("enterprise", reference("investors.Enterprise"), action="reveal_contact")
    # An activity's snapshot lists the enterprises and projects it is linked to (many-to-many fields) by id.
    register_audit_values("enterprises", reference("investors.Enterprise"))
    register_audit_values("projects", reference("projects.Project"))
