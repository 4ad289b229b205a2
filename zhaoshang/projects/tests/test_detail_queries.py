"""The project page's queries are pinned: a fixed number whatever the length of the ledger, the number of
agreements, steps, children or merged duplicates (issue 19: it took 21 and grew with the page's lists)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.projects.tests.test_rollup import fund, signed

# session, user, permissions, scope, the project, its lists and attachments: 28 (was 31); the panels of the apps
# above add 2: the portal's enquiry behind a lead and its listing. The chains' park matching (profiles, placements,
# local firms: 7 more) runs only when its panel is opened, from its own URL (was 37 with it on every view). Issue 20
# adds 3: the project's transfers (项目流转, with their sharing agreements), its decision records and the risk
# panel's live warnings.
DETAIL_QUERIES = 33


def detail_queries(client, project) -> int:
    client.get(f"/projects/{project.pk}/")  # warm: per-process caches (content types, thresholds) filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_project_page_takes_a_fixed_number_of_queries_however_much_it_shows(as_persona):
    client = as_persona("province_admin")
    project = signed("楚雄硅材料项目", "532301")
    fund(project, date(2024, 4, 1), "100")
    few = detail_queries(client, project)
    for month in range(5, 12):
        fund(project, date(2024, month, 1), "10", outside_province="5")
    entry = fund(project, date(2024, 12, 1), "1")
    correction = services.funding_correct(actor=persona("province_admin"), entry=entry, reason="录错")
    services.correction_decide(actor=persona("chuxiong_officer"), entry=correction, approve=True)
    duplicate = signed("楚雄硅材料项目（重复）", "532301")
    services.project_merge(actor=persona("province_admin"), duplicate=duplicate, survivor=project)
    child = services.project_create(
        actor=persona("province_admin"),
        name="楚雄硅材料项目二期",
        investor_name="楚雄硅材料项目投资有限公司",
        county=project.county,
        agreed_investment_wan=D("1000"),
        on=date(2024, 6, 1),
        parent=project,
    )
    many = detail_queries(client, project)
    assert few == many == DETAIL_QUERIES, (few, many)
    page = client.get(f"/projects/{project.pk}/").context
    assert [p.pk for p in page["children"]] == [child.pk] and [p.pk for p in page["merged_projects"]] == [duplicate.pk]
    assert page["totals"]["amount_wan"] == D("170.00") and page["totals"]["outside_province_wan"] == D("35.00")
    assert len(page["chart"]["months"]) == 9  # 4–12月: December shows its entry and approved reversal netting to 0
