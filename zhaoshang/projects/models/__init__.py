from zhaoshang.projects.models.admission import AdmissionDecision, AdmissionVerdict
from zhaoshang.projects.models.decision import DecisionRecord
from zhaoshang.projects.models.ledger import CorrectionApproval, FundingEntry, MonthLock, first_of_month
from zhaoshang.projects.models.library import (
    LibraryAction,
    LibraryEntry,
    LibraryLevel,
    LibraryStatus,
    LibraryStep,
    LibraryThreshold,
    library_threshold_wan,
)
from zhaoshang.projects.models.project import (
    Agreement,
    IncentiveClause,
    InvestorChange,
    Project,
    ProjectTransition,
)
from zhaoshang.projects.models.rollup import FiguresVersion, FundingRollup, RollupKind
from zhaoshang.projects.models.taizhang import TaizhangImport, TaizhangMapping, TaizhangStatus
from zhaoshang.projects.models.transfer import (
    SharedMeasure,
    SharingAgreement,
    Transfer,
    TransferAction,
    TransferReason,
    TransferStatus,
    TransferStep,
    credit_share,
)

__all__ = [
    "AdmissionDecision",
    "AdmissionVerdict",
    "Agreement",
    "CorrectionApproval",
    "DecisionRecord",
    "FiguresVersion",
    "FundingEntry",
    "FundingRollup",
    "IncentiveClause",
    "InvestorChange",
    "LibraryAction",
    "LibraryEntry",
    "LibraryLevel",
    "LibraryStatus",
    "LibraryStep",
    "LibraryThreshold",
    "MonthLock",
    "Project",
    "ProjectTransition",
    "TaizhangImport",
    "TaizhangMapping",
    "TaizhangStatus",
    "RollupKind",
    "SharedMeasure",
    "SharingAgreement",
    "Transfer",
    "TransferAction",
    "TransferReason",
    "TransferStatus",
    "TransferStep",
    "credit_share",
    "first_of_month",
    "library_threshold_wan",
]
