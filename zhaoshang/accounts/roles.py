"""Roles are permission sets (Django groups): what a user may do. Where comes from the org unit (scope)."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    permissions: tuple[str, ...]


READ_REFERENCE = (
    "regions.view_region",
    "regions.view_park",
    "catalog.view_keyindustry",
    "catalog.view_industryclass",
    "accounts.view_orgunit",
    "core.view_job",
)
EXPORT = ("regions.export_park", "regions.export_region")
MANAGE_PARKS = ("regions.add_park", "regions.change_park", "regions.retire_park")
READ_TARGETS = ("stats.view_target", "stats.export_target", "stats.view_bulletin")
# Targets are handed down: the province sets the prefectures', a prefecture its counties'.
MANAGE_TARGETS = ("stats.add_target", "stats.change_target", "stats.add_bulletin")
READ_PROJECTS = (
    "projects.view_project",
    "projects.export_project",
    "projects.view_fundingentry",
    "projects.export_fundingentry",
    "projects.view_monthlock",
    "investors.view_enterprise",
    "investors.export_enterprise",
    "investors.view_contact",
    "investors.view_activity",
    "investors.export_activity",
)
MANAGE_PROJECTS = (
    "projects.add_project",
    "projects.change_project",
    "projects.add_fundingentry",
    "investors.add_enterprise",
    "investors.change_enterprise",
    "investors.add_contact",
    "investors.add_activity",
    "investors.change_activity",
)
# Full phone and ID number of enterprise contacts (with a reason, audited): province and prefecture bureaus.
REVEAL_CONTACTS = ("investors.reveal_contact",)
SUPERVISE_PROJECTS = ("projects.add_monthlock", "projects.approve_fundingentry", "projects.override_admission")

PROJECT_OFFICER = READ_PROJECTS + MANAGE_PROJECTS
PROVINCE_ADMIN = Role(
    "province_admin",
    "省级管理员",
    READ_REFERENCE
    + EXPORT
    + MANAGE_PARKS
    + ("accounts.view_user",)
    + PROJECT_OFFICER
    + SUPERVISE_PROJECTS
    + READ_TARGETS
    + MANAGE_TARGETS
    + REVEAL_CONTACTS,
)
PREFECTURE_OFFICER = Role(
    "prefecture_officer",
    "州市招商干部",
    READ_REFERENCE
    + EXPORT
    + MANAGE_PARKS
    + PROJECT_OFFICER
    + SUPERVISE_PROJECTS
    + READ_TARGETS
    + MANAGE_TARGETS
    + REVEAL_CONTACTS,
)
COUNTY_OFFICER = Role("county_officer", "县市区招商干部", READ_REFERENCE + EXPORT + PROJECT_OFFICER + READ_TARGETS)
PARK_OFFICER = Role("park_officer", "园区招商干部", READ_REFERENCE + EXPORT + PROJECT_OFFICER + READ_TARGETS)
INDUSTRY_DEPARTMENT = Role(
    "industry_department", "行业牵头部门", READ_REFERENCE + EXPORT + READ_PROJECTS + READ_TARGETS
)
LEADER = Role("leader", "领导（只读）", READ_REFERENCE + EXPORT + READ_PROJECTS + READ_TARGETS)
ENTERPRISE = Role("enterprise", "企业用户", ())
# 三员分立: the system, security and audit administrators are separate people; see SEPARATED_ADMIN_ROLES.
SYSTEM_ADMIN = Role(
    "system_admin",
    "系统管理员",
    ("accounts.view_user", "accounts.add_user", "accounts.change_user", "accounts.view_orgunit", "regions.view_region"),
)
SECURITY_ADMIN = Role(
    "security_admin",
    "安全管理员",
    ("accounts.view_user", "accounts.export_user", "accounts.assign_roles_user", "accounts.unlock_user"),
)
AUDIT_ADMIN = Role("audit_admin", "审计管理员", ("core.view_auditlog", "core.export_auditlog"))
# 招大引强项目库: the county (or park) submits, the prefecture reviews, the province approves (one step per level).
READ_LIBRARY = ("projects.view_libraryentry", "projects.export_libraryentry", "projects.view_librarythreshold")
SUBMIT_LIBRARY = READ_LIBRARY + ("projects.submit_libraryentry",)
REVIEW_LIBRARY = READ_LIBRARY + ("projects.review_libraryentry",)
APPROVE_LIBRARY = READ_LIBRARY + ("projects.approve_libraryentry", "projects.add_librarythreshold")
# Reopening a month a prefecture has reported is a provincial decision.
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + APPROVE_LIBRARY + ("projects.unlock_monthlock",)
)
PREFECTURE_OFFICER = replace(PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + REVIEW_LIBRARY)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + SUBMIT_LIBRARY)
PARK_OFFICER = replace(PARK_OFFICER, permissions=PARK_OFFICER.permissions + SUBMIT_LIBRARY)
INDUSTRY_DEPARTMENT = replace(INDUSTRY_DEPARTMENT, permissions=INDUSTRY_DEPARTMENT.permissions + READ_LIBRARY)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_LIBRARY)
# 产业链 (issue 15): every bureau role reads the chains and diagnoses its jurisdiction; officers confirm or reject
# placements; the industry departments revise chains, the province approves a version.
READ_CHAINS = (
    "chains.view_industrychain",
    "chains.export_industrychain",
    "chains.view_enterprisenodelink",
    "chains.view_projectnodelink",
    "chains.export_enterprisenodelink",
    "chains.export_projectnodelink",
)
DECIDE_PLACEMENTS = ("chains.change_enterprisenodelink", "chains.change_projectnodelink")
# 靶向寻商 and 项目匹配 (issue 16): bureaus act on candidates in their jurisdiction, enter signals, and keep the
# profiles of their parks (the province all parks); leaders and industry departments read.
READ_TARGETING = (
    "chains.view_targetoutcome",
    "chains.export_targetoutcome",
    "chains.view_signal",
    "chains.export_signal",
    "chains.view_parkprofile",
)
ACT_TARGETING = READ_TARGETING + ("chains.add_targetoutcome", "chains.add_signal", "chains.change_parkprofile")
READ_CHAINS = READ_CHAINS + READ_TARGETING
EDIT_CHAINS = ("chains.change_industrychain",)
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN,
    permissions=PROVINCE_ADMIN.permissions
    + READ_CHAINS
    + DECIDE_PLACEMENTS
    + EDIT_CHAINS
    + ACT_TARGETING
    + ("chains.approve_industrychain",),
)
PREFECTURE_OFFICER = replace(
    PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + READ_CHAINS + DECIDE_PLACEMENTS + ACT_TARGETING
)
COUNTY_OFFICER = replace(
    COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + READ_CHAINS + DECIDE_PLACEMENTS + ACT_TARGETING
)
PARK_OFFICER = replace(
    PARK_OFFICER, permissions=PARK_OFFICER.permissions + READ_CHAINS + DECIDE_PLACEMENTS + ACT_TARGETING
)
INDUSTRY_DEPARTMENT = replace(
    INDUSTRY_DEPARTMENT, permissions=INDUSTRY_DEPARTMENT.permissions + READ_CHAINS + EDIT_CHAINS
)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_CHAINS)

# 三员 (issue 13): the security administrator resets passwords and second factors and moves accounts; a change to
# an account of the three waits for a second administrator of the three, any of them but the one who filed it.
REVIEW_ADMIN_CHANGES = ("accounts.view_accountchangerequest", "accounts.approve_accountchangerequest")
SECURITY_ADMIN = replace(
    SECURITY_ADMIN,
    permissions=SECURITY_ADMIN.permissions
    + ("accounts.reset_password_user", "accounts.move_user", "accounts.view_orgunit")
    + REVIEW_ADMIN_CHANGES,
)
SYSTEM_ADMIN = replace(SYSTEM_ADMIN, permissions=SYSTEM_ADMIN.permissions + REVIEW_ADMIN_CHANGES)
AUDIT_ADMIN = replace(AUDIT_ADMIN, permissions=AUDIT_ADMIN.permissions + REVIEW_ADMIN_CHANGES)

# 投资云南 (issue 21): every bureau marks its own content for publication and answers the enquiries of its
# jurisdiction; the level above approves (a prefecture its counties', the province all).
MARK_PUBLICATION = tuple(
    f"portal.{action}_{model}"
    for model in ("projectlisting", "parkprofile", "profilesection")
    for action in ("view", "add", "change")
) + ("portal.view_enquiry", "portal.change_enquiry", "portal.export_enquiry", "portal.export_projectlisting")
APPROVE_PUBLICATION = ("portal.approve_projectlisting", "portal.approve_parkprofile", "portal.approve_profilesection")
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + MARK_PUBLICATION + APPROVE_PUBLICATION
)
PREFECTURE_OFFICER = replace(
    PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + MARK_PUBLICATION + APPROVE_PUBLICATION
)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + MARK_PUBLICATION)
PARK_OFFICER = replace(PARK_OFFICER, permissions=PARK_OFFICER.permissions + MARK_PUBLICATION)

# 企业服务 (issue 17): an enterprise account files and follows its own requests and promises (the enterprise scope);
# bureaus handle requests in their jurisdiction, verify enterprise accounts, keep the promise ledger; the bureaus
# above a county supervise (督办), approve extensions and review a flagged promise's legal basis.
ENTERPRISE = replace(
    ENTERPRISE,
    permissions=(
        "aftercare.view_ticket",
        "aftercare.add_ticket",
        "aftercare.export_ticket",
        "aftercare.view_promise",
        "aftercare.apply_promise",
        "aftercare.export_promise",
        "accounts.view_company",
    ),
)
READ_AFTERCARE = (
    "aftercare.view_ticket",
    "aftercare.export_ticket",
    "aftercare.view_promise",
    "aftercare.export_promise",
    "accounts.view_company",
    "accounts.export_company",
)
HANDLE_AFTERCARE = READ_AFTERCARE + (
    "aftercare.change_ticket",
    "accounts.verify_company",
    "aftercare.add_promise",
    "aftercare.change_promise",
    "aftercare.apply_promise",
    "aftercare.approve_promise",
    "aftercare.pay_promise",
    "aftercare.review_promise",
)
SUPERVISE_AFTERCARE = ("aftercare.supervise_ticket",)
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + HANDLE_AFTERCARE + SUPERVISE_AFTERCARE
)
PREFECTURE_OFFICER = replace(
    PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + HANDLE_AFTERCARE + SUPERVISE_AFTERCARE
)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + HANDLE_AFTERCARE)
PARK_OFFICER = replace(PARK_OFFICER, permissions=PARK_OFFICER.permissions + HANDLE_AFTERCARE)
INDUSTRY_DEPARTMENT = replace(INDUSTRY_DEPARTMENT, permissions=INDUSTRY_DEPARTMENT.permissions + READ_AFTERCARE)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_AFTERCARE)

# 考核评价 (issue 20): the province sets the year's scheme; the province publishes its prefectures' quarters, a
# prefecture its counties'; every bureau reads the scheme and the scores (its own and its children's).
READ_ASSESSMENT = ("stats.view_assessmentscheme", "stats.view_assessmentscore")
PUBLISH_ASSESSMENT = ("stats.add_assessmentpublication",)
EDIT_ASSESSMENT = ("stats.add_assessmentscheme", "stats.change_assessmentscheme")
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + READ_ASSESSMENT + PUBLISH_ASSESSMENT + EDIT_ASSESSMENT
)
PREFECTURE_OFFICER = replace(
    PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + READ_ASSESSMENT + PUBLISH_ASSESSMENT
)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + READ_ASSESSMENT)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_ASSESSMENT)
# 项目流转 (issue 20): the holding side proposes, the receiving bureau accepts, the bureau of the lowest common level
# above both files it (备案), any of them returns an open one; leaders and industry departments read.
READ_TRANSFERS = (
    "projects.view_transfer",
    "projects.export_transfer",
    "projects.view_transferstep",
    "projects.view_sharingagreement",
    "projects.export_sharingagreement",
)
ACT_TRANSFERS = READ_TRANSFERS + ("projects.add_transfer", "projects.accept_transfer", "projects.return_transfer")
FILE_TRANSFERS = ACT_TRANSFERS + ("projects.file_transfer",)
PROVINCE_ADMIN = replace(PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + FILE_TRANSFERS)
PREFECTURE_OFFICER = replace(PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + FILE_TRANSFERS)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + ACT_TRANSFERS)
PARK_OFFICER = replace(PARK_OFFICER, permissions=PARK_OFFICER.permissions + ACT_TRANSFERS)
INDUSTRY_DEPARTMENT = replace(INDUSTRY_DEPARTMENT, permissions=INDUSTRY_DEPARTMENT.permissions + READ_TRANSFERS)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_TRANSFERS)
# 风险预警 and decision records (issue 20): every bureau reads the warnings of its jurisdiction and its officers
# confirm, dismiss (with a reason) or resolve them and record collective decisions and legality reviews; the rules'
# weights and parameters are the province's.
READ_RISK = (
    "risk.view_riskwarning",
    "risk.export_riskwarning",
    "risk.view_riskrule",
    "risk.export_riskrule",
    "projects.view_decisionrecord",
)
HANDLE_RISK = READ_RISK + ("risk.change_riskwarning", "projects.add_decisionrecord")
PROVINCE_ADMIN = replace(
    PROVINCE_ADMIN, permissions=PROVINCE_ADMIN.permissions + HANDLE_RISK + ("risk.change_riskrule",)
)
PREFECTURE_OFFICER = replace(PREFECTURE_OFFICER, permissions=PREFECTURE_OFFICER.permissions + HANDLE_RISK)
COUNTY_OFFICER = replace(COUNTY_OFFICER, permissions=COUNTY_OFFICER.permissions + HANDLE_RISK)
PARK_OFFICER = replace(PARK_OFFICER, permissions=PARK_OFFICER.permissions + HANDLE_RISK)
INDUSTRY_DEPARTMENT = replace(INDUSTRY_DEPARTMENT, permissions=INDUSTRY_DEPARTMENT.permissions + READ_RISK)
LEADER = replace(LEADER, permissions=LEADER.permissions + READ_RISK)

ROLES = {
    r.code: r
    for r in (
        PROVINCE_ADMIN,
        PREFECTURE_OFFICER,
        COUNTY_OFFICER,
        PARK_OFFICER,
        INDUSTRY_DEPARTMENT,
        LEADER,
        ENTERPRISE,
        SYSTEM_ADMIN,
        SECURITY_ADMIN,
        AUDIT_ADMIN,
    )
}
SEPARATED_ADMIN_ROLES = {SYSTEM_ADMIN.code, SECURITY_ADMIN.code, AUDIT_ADMIN.code}
ROLE_BY_NAME = {r.name: r for r in ROLES.values()}
