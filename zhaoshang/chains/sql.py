"""The table names and placeholders of the chains app's raw SQL (diagnosis, the presence tables' upkeep, targeting):
one list, so a renamed table changes in one place."""


def table_names() -> dict[str, str]:
    from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, ProjectNodeLink, Signal
    from zhaoshang.chains.presence_models import InvestorPresence, NodePresence
    from zhaoshang.investors.models import Activity, ActivityEnterprise, Enterprise, EnterpriseTag
    from zhaoshang.projects.models import CorrectionApproval, FundingEntry, Project

    return {
        "presence": NodePresence._meta.db_table,
        "ipresence": InvestorPresence._meta.db_table,
        "node": ChainNode._meta.db_table,
        "elink": EnterpriseNodeLink._meta.db_table,
        "plink": ProjectNodeLink._meta.db_table,
        "project": Project._meta.db_table,
        "enterprise": Enterprise._meta.db_table,
        "funding": FundingEntry._meta.db_table,
        "approval": CorrectionApproval._meta.db_table,
        "tag": EnterpriseTag._meta.db_table,
        "signal": Signal._meta.db_table,
        "activity": Activity._meta.db_table,
        "activity_enterprise": ActivityEnterprise._meta.db_table,
    }


def placeholders(values) -> str:
    """``%s, %s, …``: one per value."""
    return ", ".join(["%s"] * len(values))
