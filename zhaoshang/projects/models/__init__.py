from zhaoshang.projects.models.ledger import CorrectionApproval, FundingEntry, MonthLock, first_of_month
from zhaoshang.projects.models.project import (
    Agreement,
    IncentiveClause,
    InvestorChange,
    Project,
    ProjectTransition,
)

__all__ = [
    "Agreement",
    "CorrectionApproval",
    "FundingEntry",
    "IncentiveClause",
    "InvestorChange",
    "MonthLock",
    "Project",
    "ProjectTransition",
    "first_of_month",
]
