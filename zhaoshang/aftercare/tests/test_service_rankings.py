"""企业服务排名 on the rankings page (issue 17 item 4): the bureaus below ranked on their requests' measures, each
figure opening its requests, exported with typed numbers, and nothing from a sibling prefecture."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhaoshang.aftercare.choices import Rating
from zhaoshang.aftercare.services import tickets
from zhaoshang.aftercare.tests.test_tickets import submit
from zhaoshang.core.testing import client_for

pytestmark = pytest.mark.django_db


def closed_satisfied(ent, project, officer):
    ticket = submit(ent, project)
    tickets.ticket_accept(actor=officer, ticket=ticket)
    tickets.ticket_dispatch(actor=officer, ticket=ticket, handler=officer.org_unit)
    tickets.ticket_sign(actor=officer, ticket=ticket)
    tickets.ticket_answer(actor=officer, ticket=ticket, answer="已协调解决。")
    tickets.ticket_visit(actor=officer, ticket=ticket, note="电话回访")
    tickets.ticket_rate(actor=ent, ticket=ticket, rating=Rating.SATISFIED)
    return tickets.ticket_close(actor=officer, ticket=ticket)


def test_chuxiong_ranks_its_counties_on_their_requests_and_each_figure_opens_them(
    client, ent_a, lufeng_project, officer, kunming_project
):
    done = closed_satisfied(ent_a, lufeng_project, officer)
    today = timezone.localdate()
    page = client_for(client, "chuxiong_officer").get(f"/stats/rankings/?year={today.year}&month={today.month}")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('id="service-ranking-table"') :]
    assert "禄丰市" in table and "100.0%" in table and f"?ids={done.pk}" in table
    assert "五华" not in table and "昆明" not in table

    export = client.get(f"/stats/rankings/?year={today.year}&month={today.month}&export=service")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    lufeng = next(row for row in rows if row[1] == "禄丰市")
    assert lufeng[0] == 1 and lufeng[2] == 1 and lufeng[3] == 100  # 按时办结率 as a number


def test_a_county_officer_has_no_service_ranking_of_its_own(client):
    assert client_for(client, "lufeng_officer").get("/stats/rankings/").status_code == 404
