"""项目流转: each step by the right bureau (permission and node re-checked inside the service), one audit row each,
the project moved on 完成 through the placement every project write uses, the sending side reading (never editing)
the project and its ledger afterwards, and the pages and the API scoped like every list."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.core.audit import AuditLog
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import persona
from zhaoshang.projects.models import FundingEntry, Project, Transfer, TransferStatus
from zhaoshang.projects.models.transfer import credit_share, filing_path
from zhaoshang.projects.services.errors import IllegalTransition
from zhaoshang.projects.services.rollup import rollup_differences
from zhaoshang.projects.services.transfer import transfer_accept, transfer_file, transfer_return
from zhaoshang.projects.tests.transfers import chuxiong_city_park, complete, lufeng_project, officer_of, propose

pytestmark = pytest.mark.django_db


def test_filing_is_by_the_lowest_common_level_above_both_sides():
    lufeng, chuxiong_city = "530000/532300/532302", "530000/532300/532301"
    assert filing_path(lufeng, chuxiong_city) == "530000/532300"
    assert filing_path(lufeng, chuxiong_city + "/T532301") == "530000/532300"
    assert filing_path(lufeng, "530000/530100/530102") == "530000"
    assert filing_path(lufeng, lufeng + "/S539053") == "530000/532300"  # a county's own park: its prefecture


def test_credit_share_sums_the_sides_under_the_region_capped_at_all_of_it():
    sides = [("530000/532300/532302", D("30")), ("530000/532300/532301/T532301", D("70"))]
    assert credit_share(sides, "530000/532300/532302") == D("0.3")
    assert credit_share(sides, "530000/532300/532301") == D("0.7")
    assert credit_share(sides, "530000/532300/532301/T532301") == D("0.7")
    assert credit_share(sides, "530000/532300") == 1
    assert credit_share(sides, "530000") == 1
    assert credit_share(sides, "530000/530100") == 0


def test_a_transfer_goes_through_its_steps_and_moves_the_project():
    project = lufeng_project()
    park = chuxiong_city_park()
    audit_before = AuditLog.objects.count()
    transfer = complete(project, "532301", park=park)
    project.refresh_from_db()
    assert transfer.status == TransferStatus.COMPLETED
    assert project.county.code == "532301" and project.park_id == park.pk and project.path == park.path
    assert [s.action for s in transfer.steps.all()] == ["propose", "accept", "file"]
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True)[audit_before:])
    assert [a for a in actions if a.startswith("transfer_")] == ["transfer_propose", "transfer_accept", "transfer_file"]
    assert rollup_differences() == []  # the ledger moved with the project in the roll-up


def test_shares_must_sum_to_a_hundred_and_the_reason_is_required():
    project = lufeng_project()
    with pytest.raises(ValidationError) as error:
        propose(project, "532301", shares=("30", "60"))
    assert "合计须为 100%" in str(error.value)
    with pytest.raises(ValidationError):
        propose(project, "532301", reason_text="  ")
    assert not Transfer.objects.exists()


def test_only_the_receiving_county_accepts_and_only_the_common_bureau_files():
    project = lufeng_project()
    transfer = propose(project, "532301")
    with pytest.raises(PermissionDenied):
        transfer_accept(actor=persona("chuxiong_officer"), transfer=transfer)  # the prefecture is not the receiver
    with pytest.raises(PermissionDenied):
        transfer_accept(actor=persona("lufeng_officer"), transfer=transfer)  # nor the sender
    with pytest.raises(IllegalTransition):
        transfer_file(actor=persona("chuxiong_officer"), transfer=transfer)  # not accepted yet
    transfer_accept(actor=officer_of("532301"), transfer=transfer)
    with pytest.raises(PermissionDenied):
        transfer_file(actor=persona("province_admin"), transfer=transfer)  # not the lowest common level
    with pytest.raises(OutOfScope):
        transfer_file(actor=persona("kunming_officer"), transfer=transfer)  # elsewhere: 404
    transfer_file(actor=persona("chuxiong_officer"), transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.COMPLETED


def test_a_county_officer_cannot_file_even_with_a_node_above():
    project = lufeng_project()
    transfer = propose(project, "530102")  # 五华区, 昆明: the province files
    transfer_accept(actor=officer_of("530102"), transfer=transfer)
    with pytest.raises(PermissionDenied):
        transfer_file(actor=persona("chuxiong_officer"), transfer=transfer)
    transfer_file(actor=persona("province_admin"), transfer=transfer)
    project.refresh_from_db()
    assert project.county.code == "530102"


def test_a_return_needs_a_reason_and_keeps_the_project_where_it_is():
    project = lufeng_project()
    transfer = propose(project, "532301")
    with pytest.raises(ValidationError):
        transfer_return(actor=officer_of("532301"), transfer=transfer, reason="")
    transfer_return(actor=officer_of("532301"), transfer=transfer, reason="本地能耗指标同样不足")
    transfer.refresh_from_db()
    project.refresh_from_db()
    assert transfer.status == TransferStatus.RETURNED and transfer.last_reason == "本地能耗指标同样不足"
    assert project.county.code == "532302"
    assert AuditLog.objects.filter(action="transfer_return").count() == 1
    propose(project, "532301")  # a returned transfer leaves the project free to be offered again


def test_the_sending_side_reads_the_project_and_ledger_but_cannot_edit(client):
    project = lufeng_project()
    complete(project, "532301")
    lufeng = persona("lufeng_officer")
    assert Project.objects.for_user(lufeng).filter(pk=project.pk).exists()
    assert FundingEntry.objects.for_user(lufeng).filter(project=project).count() == 2
    assert not Project.objects.for_user(lufeng, "change").filter(pk=project.pk).exists()
    assert not Project.objects.for_user(persona("kunming_officer")).filter(pk=project.pk).exists()
    client.force_login(lufeng)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "shared-readonly" in html and f"/projects/{project.pk}/edit/" not in html
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 404
    assert client.get(f"/projects/{project.pk}/funds/new/").status_code == 404
    assert client.get(f"/projects/{project.pk}/transfer/").status_code == 404
    receiver = officer_of("532301")
    client.force_login(receiver)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert f"/projects/{project.pk}/edit/" in html and "shared-readonly" not in html


def test_transfer_pages_are_scoped_and_the_steps_are_offered_to_the_right_side(client):
    project = lufeng_project()
    transfer = propose(project, "532301")
    client.force_login(persona("lufeng_officer"))
    page = client.get(f"/projects/transfers/{transfer.pk}/").content.decode()
    assert 'value="accept"' not in page and 'value="return"' in page  # the sender may withdraw, not accept
    client.force_login(officer_of("532301"))
    page = client.get(f"/projects/transfers/{transfer.pk}/").content.decode()
    assert 'value="accept"' in page
    response = client.post(f"/projects/transfers/{transfer.pk}/", {"action": "return", "reason": ""})
    assert response.status_code == 200 and "退回须填写原因" in response.content.decode()
    response = client.post(f"/projects/transfers/{transfer.pk}/", {"action": "accept", "reason": "同意承接"})
    assert response.status_code == 302
    client.force_login(persona("kunming_officer"))
    assert client.get(f"/projects/transfers/{transfer.pk}/").status_code == 404
    assert project.name not in client.get("/projects/transfers/").content.decode()
    client.force_login(persona("chuxiong_officer"))
    listing = client.get("/projects/transfers/")
    assert listing.status_code == 200 and project.name in listing.content.decode()
    export = client.get("/projects/transfers/", {"export": "xlsx"})
    assert export.status_code == 200
    response = client.post(f"/projects/transfers/{transfer.pk}/", {"action": "file"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.county.code == "532301"


def test_the_propose_form_keeps_what_was_typed_on_an_error(client):
    project = lufeng_project()
    client.force_login(persona("lufeng_officer"))
    data = {
        "to_county": Project._meta.get_field("county").related_model.objects.get(code="532301").pk,
        "reason": "land",
        "reason_text": "园区无地",
        "source_share": "30",
        "target_share": "60",
        "shares_signed": "on",
        "from_year": "2026",
        "years": "3",
    }
    response = client.post(f"/projects/{project.pk}/transfer/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "合计须为 100%" in html and "园区无地" in html
    data["target_share"] = "70"
    assert client.post(f"/projects/{project.pk}/transfer/", data).status_code == 302
    assert Transfer.objects.get(project=project).sharing.target_share == D("70")


def test_the_api_lists_transfers_of_either_side_only(client):
    project = lufeng_project()
    transfer = complete(project, "532301")
    for who, seen in (("lufeng_officer", True), ("chuxiong_officer", True), ("kunming_officer", False)):
        client.force_login(persona(who))
        rows = client.get("/api/v1/transfers/").json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        assert (transfer.pk in [row["id"] for row in rows]) is seen
    client.force_login(officer_of("532301"))
    detail = client.get(f"/api/v1/transfers/{transfer.pk}/").json()
    assert detail["sharing"]["source_share"] == "30.00" and detail["to_county"] == "532301"
    client.force_login(persona("kunming_officer"))
    assert client.get(f"/api/v1/transfers/{transfer.pk}/").status_code == 404
