"""The documents the project work keeps (``core.attachments``): an agreement's text and scan, a library submission's
agreement scan and business licence, a ledger entry's evidence of funds in place.

Each owner takes the permissions of the page it is shown on: an agreement is part of its project (view / change
project, as in the agreements API), a submission's materials are the submitting county's (view / submit library
entry; frozen once the province has approved it), a ledger entry's evidence is its recorders' (view / add funding
entry). Scope is always the project's, through the owners' ``for_user``."""

from django.urls import reverse

from zhaoshang.core.attachments.registry import CHANGE, VIEW, AttachmentOwner, register_attachment_owner
from zhaoshang.core.formatting import wan
from zhaoshang.projects.models import Agreement, DecisionRecord, FundingEntry, LibraryEntry, LibraryStatus, Project

OTHER = ("other", "其他材料")


def agreement_rows(user, action: str):
    return Agreement.objects.filter(project__in=Project.objects.for_user(user, action))


def library_rows(user, action: str):
    if action == VIEW:
        return LibraryEntry.objects.for_user(user, "view")
    return LibraryEntry.objects.for_user(user, "submit").exclude(status=LibraryStatus.APPROVED)


def funding_rows(user, action: str):
    return FundingEntry.objects.for_user(user, "view" if action == VIEW else "add")


def agreement_url(agreement) -> str:
    return reverse("projects:project_detail", args=[agreement.project_id]) + f"#agreement-{agreement.pk}"


def funding_text(entry) -> str:
    return f"{entry.project.name} · {entry.month:%Y年%m月} {wan(entry.amount_wan)}（第{entry.pk}号分录）"


AGREEMENT = AttachmentOwner(
    code="agreement",
    model=Agreement,
    label="投资协议",
    kinds=(("agreement_text", "协议文本"), ("agreement_scan", "协议扫描件"), OTHER),
    permissions={VIEW: "projects.view_project", CHANGE: "projects.change_project"},
    rows=agreement_rows,
    path=lambda agreement: agreement.project.path,
    url=agreement_url,
    describe=lambda agreement: f"{agreement.project.name} · {agreement}",
)
LIBRARY = AttachmentOwner(
    code="library",
    model=LibraryEntry,
    label="招大引强入库申报",
    kinds=(("agreement_scan", "协议扫描件"), ("business_licence", "营业执照"), OTHER),
    permissions={VIEW: "projects.view_libraryentry", CHANGE: "projects.submit_libraryentry"},
    rows=library_rows,
    path=lambda entry: entry.project.path,
    url=lambda entry: reverse("projects:project_detail", args=[entry.project_id]) + "#library",
    describe=lambda entry: f"{entry.project.name}（{entry.year}年度申报）",
)
FUNDING = AttachmentOwner(
    code="funding",
    model=FundingEntry,
    label="到位资金分录",
    kinds=(("funds_evidence", "到位凭证"), OTHER),
    permissions={VIEW: "projects.view_fundingentry", CHANGE: "projects.add_fundingentry"},
    rows=funding_rows,
    path=lambda entry: entry.project.path,
    url=lambda entry: reverse("projects:funding_detail", args=[entry.pk]),
    describe=funding_text,
)


def decision_rows(user, action: str):
    # Minutes and review opinions are added by those who record decisions; the record itself never changes.
    if action == VIEW:
        return DecisionRecord.objects.for_user(user, "view")
    return DecisionRecord.objects.for_user(user, "add")


DECISION = AttachmentOwner(
    code="decision",
    model=DecisionRecord,
    label="集体决策与合法性审查记录",
    kinds=(("meeting_minutes", "会议纪要"), ("legality_opinion", "合法性审查意见"), OTHER),
    permissions={VIEW: "projects.view_decisionrecord", CHANGE: "projects.add_decisionrecord"},
    rows=decision_rows,
    path=lambda record: record.path,
    url=lambda record: reverse("projects:project_detail", args=[record.project_id]) + f"#decision-{record.pk}",
    describe=lambda record: f"{record.project.name} · {record}",
)


def register() -> None:
    for owner in (AGREEMENT, LIBRARY, FUNDING, DECISION):
        register_attachment_owner(owner)
