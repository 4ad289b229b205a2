from zhaoshang.projects.models.admission import AdmissionDecision, AdmissionVerdict
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

__all__ = [
    "AdmissionDecision",
    "AdmissionVerdict",
    "Agreement",
    "CorrectionApproval",
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
    "RollupKind",
    "first_of_month",
    "library_threshold_wan",
]
