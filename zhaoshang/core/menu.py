"""The left menu, built from the user's permissions."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None
    section: str


MENU = [
    MenuItem("首页", "core:home", None, "工作台"),
    MenuItem("驾驶舱", "dashboard:cockpit", "stats.view_target", "工作台"),
    MenuItem("我的后台任务", "core:job_list", "core.view_job", "工作台"),
    MenuItem("园区名录", "regions:park_list", "regions.view_park", "辖区与园区"),
    MenuItem("园区地图", "regions:park_map", "regions.view_park", "辖区与园区"),
    MenuItem("行政区划", "regions:region_list", "regions.view_region", "辖区与园区"),
    MenuItem("项目台账", "projects:project_list", "projects.view_project", "项目管理"),
    MenuItem("新增项目", "projects:project_create", "projects.add_project", "项目管理"),
    MenuItem("到位资金更正审核", "projects:correction_list", "projects.approve_fundingentry", "项目管理"),
    MenuItem("月份锁定", "projects:month_lock", "projects.add_monthlock", "项目管理"),
    MenuItem("招大引强项目库", "projects:library_list", "projects.view_libraryentry", "项目管理"),
    MenuItem("入库待办", "projects:library_queue", "projects.view_libraryentry", "项目管理"),
    MenuItem("项目流转", "projects:transfer_list", "projects.view_transfer", "项目管理"),
    MenuItem("入库门槛设置", "projects:library_threshold", "projects.add_librarythreshold", "项目管理"),
    MenuItem("风险预警", "risk:warning_list", "risk.view_riskwarning", "项目管理"),
    MenuItem("风险规则", "risk:rule_list", "risk.view_riskrule", "项目管理"),
    MenuItem("重要目标企业库", "investors:enterprise_list", "investors.view_enterprise", "客商与活动"),
    MenuItem("我的跟进清单", "investors:my_follow_ups", "investors.view_enterprise", "客商与活动"),
    MenuItem("世界500强入滇", "investors:global500_presence", "investors.view_enterprise", "客商与活动"),
    MenuItem("招商活动", "investors:activity_list", "investors.view_activity", "客商与活动"),
    MenuItem("活动统计", "investors:activity_summary", "investors.view_activity", "客商与活动"),
    MenuItem("目标管理", "stats:target_list", "stats.view_target", "目标与考核"),
    MenuItem("序时进度", "stats:schedule", "stats.view_target", "目标与考核"),
    MenuItem("排名与红黑榜", "stats:rankings", "stats.view_target", "目标与考核"),
    MenuItem("通报", "stats:bulletin_list", "stats.view_bulletin", "目标与考核"),
    MenuItem("考核评价", "stats:assessment", "stats.view_assessmentscore", "目标与考核"),
    MenuItem("企业诉求", "aftercare:ticket_list", "aftercare.view_ticket", "企业服务"),
    MenuItem("我的企业", "aftercare:my_company", "aftercare.add_ticket", "企业服务"),
    MenuItem("招商承诺兑现", "aftercare:promise_list", "aftercare.view_promise", "企业服务"),
    MenuItem("企业账户核验", "aftercare:company_list", "accounts.verify_company", "企业服务"),
    MenuItem("诉求办理考核", "aftercare:measures", "aftercare.change_ticket", "企业服务"),
    MenuItem("消息提醒", "aftercare:notifications", None, "企业服务"),
    MenuItem("重点产业", "catalog:industry_list", "catalog.view_keyindustry", "产业目录"),
    MenuItem("国民经济行业分类", "catalog:gbt_list", "catalog.view_industryclass", "产业目录"),
    MenuItem("产业链图谱", "chains:chain_list", "chains.view_industrychain", "产业链"),
    MenuItem("产业诊断", "chains:diagnosis_home", "chains.view_industrychain", "产业链"),
    MenuItem("挂链审核", "chains:placement_list", "chains.view_projectnodelink", "产业链"),
    MenuItem("靶向寻商", "chains:targeting", "chains.view_industrychain", "产业链"),
    MenuItem("寻商转化", "chains:conversion", "chains.view_targetoutcome", "产业链"),
    MenuItem("扩张信号", "chains:signals", "chains.view_signal", "产业链"),
    MenuItem("对外发布", "portal_admin:desk", "portal.view_projectlisting", "投资云南"),
    MenuItem("网站投资咨询", "portal_admin:enquiry_list", "portal.view_enquiry", "投资云南"),
    MenuItem("审计日志", "core:audit_list", "core.view_auditlog", "系统"),
    MenuItem("个人信息访问查询", "core:pii_access", "core.view_auditlog", "系统"),
    MenuItem("用户与角色", "accounts:user_list", "accounts.view_user", "系统"),
    MenuItem("三员变更复核", "accounts:change_list", "accounts.view_accountchangerequest", "系统"),
    MenuItem("系统管理", "admin:index", "accounts.change_user", "系统"),
    MenuItem("API 文档", "api-docs", "regions.view_region", "系统"),
]


def menu_for(user) -> list[tuple[str, list[dict]]]:
    sections: dict[str, list[dict]] = {}
    for item in MENU:
        if item.permission and not user.has_perm(item.permission):
            continue
        sections.setdefault(item.section, []).append({"label": item.label, "url": reverse(item.url_name)})
    return list(sections.items())


def menu_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": menu_for(user), "user_org": user.org_unit}
