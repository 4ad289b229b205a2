"""Attachments of the project work (issue 11's gap, issue 13 item 3): an agreement's text and scan, a library
submission's agreement scan and business licence, a ledger entry's evidence. Typed by content, capped, stored
under a random name outside the web root, downloaded only through the scoped view, every step audited."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.attachments.services import attachment_add, attachment_open, attachment_remove
from zhaoshang.core.models import AuditLog
from zhaoshang.core.testing import persona
from zhaoshang.core.tests import attachment_files as files
from zhaoshang.projects import services
from zhaoshang.projects.models import Agreement

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "private" / "attachments"
    return settings.ATTACHMENTS_ROOT


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agreement(signed_project):
    return Agreement.objects.get(project=signed_project)


@pytest.fixture
def kunming_agreement(make_project, kunming_county, sign):
    project = make_project(name="五华数字经济项目", actor=persona("kunming_officer"), county=kunming_county)
    sign(project, actor=persona("kunming_officer"))
    return Agreement.objects.get(project=project)


@pytest.fixture
def scan(agreement, officer):
    return attachment_add(
        actor=officer, owner=agreement, kind="agreement_scan", upload=files.upload("投资协议（盖章）.pdf", files.PDF)
    )


def upload_page(client, owner_code, owner_id, name, content, **extra):
    data = {
        "kind": extra.pop("kind", "agreement_scan"),
        "note": extra.pop("note", ""),
        "file": files.upload(name, content),
    }
    return client.post(f"/attachments/{owner_code}/{owner_id}/", data, **extra)


# -- the service -----------------------------------------------------------------------------------------------------
def test_an_upload_is_stored_under_a_random_name_in_the_private_folder(scan, private_root):
    stored = Path(private_root) / scan.storage_name
    assert stored.read_bytes() == files.PDF
    assert "协议" not in scan.storage_name and not scan.storage_name.endswith(".pdf")
    assert re.fullmatch(r"\d{4}/\d{2}/[0-9a-f]{32}", scan.storage_name)
    assert scan.name == "投资协议（盖章）.pdf" and scan.mime_type == "application/pdf"
    assert scan.size == len(files.PDF)
    import hashlib

    assert scan.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert stored.stat().st_mode & 0o077 == 0  # readable by the platform's account only


def test_the_private_folder_is_outside_every_served_folder():
    private = Path(settings.ATTACHMENTS_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT), Path(settings.STORAGES["default"]["OPTIONS"]["location"])]
    served += [Path(d) for d in getattr(settings, "STATICFILES_DIRS", [])]
    for folder in served:
        assert not private.is_relative_to(folder.resolve()), folder


def test_the_default_private_folder_is_under_var_and_not_media():
    from config import settings as configured

    assert configured.ATTACHMENTS_ROOT == configured.VAR_DIR / "private" / "attachments"
    assert not configured.ATTACHMENTS_ROOT.is_relative_to(configured.STORAGES["default"]["OPTIONS"]["location"])


def test_the_stored_file_is_not_reachable_under_media_or_static(scan, as_persona):
    client = as_persona("lufeng_officer")
    for prefix in ("/media/", "/static/", "/static/private/attachments/", "/private/attachments/"):
        assert client.get(prefix + scan.storage_name).status_code == 404, prefix


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(agreement, officer, private_root):
    with pytest.raises(ValidationError) as caught:
        attachment_add(
            actor=officer, owner=agreement, kind="agreement_scan", upload=files.upload("协议.pdf", files.EXE)
        )
    assert "不支持的文件类型" in caught.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    assert not [path for path in Path(private_root).rglob("*") if path.is_file()]
    assert not AuditLog.objects.filter(action="attachment_add").exists()


def test_a_zip_bomb_xlsx_is_refused(agreement, officer):
    with pytest.raises(ValidationError, match="疑似压缩炸弹"):
        attachment_add(
            actor=officer, owner=agreement, kind="other", upload=files.upload("协议附表.xlsx", files.xlsx_bomb())
        )


def test_an_oversize_file_is_refused(agreement, officer, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="文件过大"):
        attachment_add(
            actor=officer,
            owner=agreement,
            kind="agreement_scan",
            upload=files.upload("协议.pdf", files.PDF + b"0" * (1024 * 1024)),
        )


def test_office_and_ofd_files_are_accepted(agreement, officer):
    for name, content, mime in (
        ("协议文本.docx", files.docx(), "wordprocessingml"),
        ("优惠条款测算.xlsx", files.xlsx(), "spreadsheetml"),
        ("电子协议.ofd", files.ofd(), "application/ofd"),
        ("签字页.jpg", files.JPEG, "image/jpeg"),
        ("签字页.png", files.PNG, "image/png"),
    ):
        row = attachment_add(actor=officer, owner=agreement, kind="other", upload=files.upload(name, content))
        assert mime in row.mime_type and row.name == name


def test_a_kind_the_owner_does_not_take_is_refused(agreement, officer):
    with pytest.raises(ValidationError) as caught:
        attachment_add(actor=officer, owner=agreement, kind="funds_evidence", upload=files.upload("a.pdf", files.PDF))
    assert caught.value.message_dict["kind"] == ["请选择材料类型"]


def test_an_upload_writes_one_audit_row_at_the_projects_node(scan, agreement):
    row = AuditLog.objects.get(action="attachment_add")
    assert row.object_type == "core.Attachment" and row.object_id == str(scan.pk)
    assert row.path == agreement.project.path and row.actor_name == "lufeng_officer"
    assert row.after["sha256"] == scan.sha256 and row.after["kind"] == "agreement_scan"
    assert "投资协议（盖章）.pdf" in row.object_repr and agreement.project.name in row.object_repr


def test_a_county_cannot_attach_to_another_countys_agreement(kunming_agreement, officer):
    with pytest.raises(Http404):
        attachment_add(
            actor=officer, owner=kunming_agreement, kind="agreement_scan", upload=files.upload("a.pdf", files.PDF)
        )
    assert not Attachment.objects.exists()


def test_a_reader_cannot_attach(agreement):
    with pytest.raises(PermissionDenied):
        attachment_add(
            actor=persona("leader_province"),
            owner=agreement,
            kind="agreement_scan",
            upload=files.upload("a.pdf", files.PDF),
        )


def test_removal_is_a_soft_delete_with_a_reason_and_an_audit_row(scan, chuxiong, private_root):
    with pytest.raises(ValidationError):
        attachment_remove(actor=chuxiong, attachment=scan, reason="  ")
    removed = attachment_remove(actor=chuxiong, attachment=scan, reason="上传错误，已重新上传")
    assert Attachment.objects.filter(pk=scan.pk).exists()
    assert removed.removed_at is not None and removed.removed_by == chuxiong
    assert (Path(private_root) / scan.storage_name).exists()  # the file stays, for the record
    row = AuditLog.objects.get(action="attachment_remove")
    assert row.before == {"removed_at": None, "removal_reason": ""}
    assert row.after["removal_reason"] == "上传错误，已重新上传" and row.actor_name == "chuxiong_officer"
    with pytest.raises(ValidationError, match="已删除"):
        attachment_remove(actor=chuxiong, attachment=scan, reason="再删一次")
    with pytest.raises(Http404):
        attachment_open(actor=chuxiong, attachment=scan)


def test_attachments_follow_their_project_when_it_moves_county(scan, agreement, officer):
    """The scope is read live through the owner: no copied path goes stale."""
    assert Attachment.objects.for_user(officer).filter(pk=scan.pk).exists()
    from zhaoshang.projects.models import Project

    Project.objects.filter(pk=agreement.project_id).update(path="530000/530100/530102")
    assert not Attachment.objects.for_user(officer).filter(pk=scan.pk).exists()
    assert Attachment.objects.for_user(persona("kunming_officer")).filter(pk=scan.pk).exists()


# -- the download ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lufeng_officer", 200),
        ("chuxiong_officer", 200),
        ("province_admin", 200),
        ("leader_province", 200),
        ("kunming_officer", 404),
        ("enterprise_user", 404),
        ("audit_admin", 404),
        (None, 302),
    ],
)
def test_the_download_is_scoped(scan, as_persona, name, status):
    response = as_persona(name).get(f"/attachments/{scan.pk}/download/")
    assert response.status_code == status
    if name is None:
        assert response["Location"].startswith("/accounts/login/")


def test_the_download_is_an_attachment_with_its_name_and_not_sniffed(scan, as_persona):
    response = as_persona("lufeng_officer").get(f"/attachments/{scan.pk}/download/")
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('投资协议（盖章）.pdf', safe='')}" in disposition
    assert 'filename="' in disposition and disposition.isascii()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_each_download_is_audited(scan, as_persona, agreement):
    client = as_persona("chuxiong_officer")
    client.get(f"/attachments/{scan.pk}/download/")
    client.get(f"/attachments/{scan.pk}/download/")
    rows = AuditLog.objects.filter(action="attachment_download")
    assert rows.count() == 2
    assert {r.actor_name for r in rows} == {"chuxiong_officer"}
    assert {r.path for r in rows} == {agreement.project.path}
    assert rows.first().after == {"name": scan.name, "sha256": scan.sha256, "verified": True}


def test_an_out_of_scope_download_is_refused_and_audited_as_a_refusal(scan, as_persona):
    assert as_persona("kunming_officer").get(f"/attachments/{scan.pk}/download/").status_code == 404
    assert not AuditLog.objects.filter(action="attachment_download").exists()
    refusal = AuditLog.objects.get(action="refused_scope")
    assert refusal.actor_name == "kunming_officer" and refusal.object_id == str(scan.pk)


def test_a_tampered_file_is_not_served(scan, as_persona, private_root):
    (Path(private_root) / scan.storage_name).write_bytes(files.PDF.replace(b"Catalog", b"Catalox"))
    response = as_persona("lufeng_officer").get(f"/attachments/{scan.pk}/download/")
    assert response.status_code == 409
    assert "校验" in response.content.decode()
    assert AuditLog.objects.get(action="attachment_download").after["verified"] is False


def test_a_removed_attachment_is_not_downloadable(scan, chuxiong, as_persona):
    attachment_remove(actor=chuxiong, attachment=scan, reason="重复上传")
    assert as_persona("lufeng_officer").get(f"/attachments/{scan.pk}/download/").status_code == 404


# -- the pages -------------------------------------------------------------------------------------------------------
def test_the_agreement_panel_lists_size_uploader_time_and_link(scan, agreement, as_persona):
    page = as_persona("lufeng_officer").get(f"/projects/{agreement.project_id}/").content.decode()
    panel = page[page.index(f'id="attachments-agreement-{agreement.pk}"') :]
    assert "投资协议（盖章）.pdf" in panel and "协议扫描件" in panel
    assert f'href="/attachments/{scan.pk}/download/"' in panel
    assert scan.size_text in panel and str(persona("lufeng_officer")) in panel
    assert timezone.localtime(scan.uploaded_at).strftime("%Y-%m-%d %H:%M") in panel
    assert f'action="/attachments/agreement/{agreement.pk}/"' in panel  # the upload form


def test_a_reader_sees_the_list_but_no_upload_form(scan, agreement, as_persona):
    page = as_persona("leader_province").get(f"/projects/{agreement.project_id}/").content.decode()
    assert f'href="/attachments/{scan.pk}/download/"' in page
    assert f'action="/attachments/agreement/{agreement.pk}/"' not in page
    assert f"/attachments/{scan.pk}/remove/" not in page


def test_uploading_on_the_page_returns_to_the_agreement(agreement, as_persona):
    response = upload_page(as_persona("lufeng_officer"), "agreement", agreement.pk, "投资协议.pdf", files.PDF)
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{agreement.project_id}/#agreement-{agreement.pk}"
    assert Attachment.objects.get().name == "投资协议.pdf"


def test_a_refused_upload_shows_the_reason_in_chinese_and_keeps_the_form(agreement, as_persona):
    client = as_persona("lufeng_officer")
    response = upload_page(
        client, "agreement", agreement.pk, "协议.pdf", files.EXE, kind="agreement_text", note="盖章版"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "不支持的文件类型" in page
    assert '<option value="agreement_text" selected>' in page and 'value="盖章版"' in page
    assert not Attachment.objects.exists()


def test_htmx_gets_the_panel_back_with_the_errors_or_the_new_row(agreement, as_persona):
    client = as_persona("lufeng_officer")
    refused = upload_page(client, "agreement", agreement.pk, "协议.xlsx", files.xlsx_bomb(), HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "<html" not in refused.content.decode()
    assert "疑似压缩炸弹" in refused.content.decode()
    accepted = upload_page(client, "agreement", agreement.pk, "协议.pdf", files.PDF, HTTP_HX_REQUEST="true")
    fragment = accepted.content.decode()
    assert "已上传附件：协议.pdf" in fragment and 'class="attachment"' in fragment


def test_a_missing_file_and_kind_are_asked_for(agreement, as_persona):
    response = as_persona("lufeng_officer").post(f"/attachments/agreement/{agreement.pk}/", {"kind": ""})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("该字段是必填项") == 2


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("lufeng_officer", 302),
        ("kunming_officer", 404),
        ("leader_province", 403),
        ("enterprise_user", 403),
        (None, 302),
    ],
)
def test_the_upload_page_is_scoped(agreement, as_persona, name, status):
    response = upload_page(as_persona(name), "agreement", agreement.pk, "协议.pdf", files.PDF)
    assert response.status_code == status
    if name is None:
        assert response["Location"].startswith("/accounts/login/")
        assert not Attachment.objects.exists()


def test_an_unknown_owner_kind_is_404(as_persona):
    assert as_persona("lufeng_officer").get("/attachments/nothing/1/").status_code == 404


def test_removal_on_the_page_needs_a_reason_and_the_change_permission(scan, agreement, as_persona):
    url = f"/attachments/{scan.pk}/remove/"
    assert as_persona("kunming_officer").get(url).status_code == 404
    assert as_persona("leader_province").get(url).status_code == 403
    client = as_persona("lufeng_officer")
    assert "删除原因" in client.get(url).content.decode()
    assert "该字段是必填项" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "扫描不清晰"})
    assert response.status_code == 302 and response["Location"].endswith(f"#agreement-{agreement.pk}")
    page = client.get(f"/projects/{agreement.project_id}/").content.decode()
    assert "已删除的附件（1）" in page and "扫描不清晰" in page
    assert f'href="/attachments/{scan.pk}/download/"' not in page


# -- library submissions ---------------------------------------------------------------------------------------------
@pytest.fixture
def submission(make_project, sign, officer):
    project = sign(make_project(name="禄丰钛白粉深加工项目", agreed_investment_wan=D("150000")), amount=D("150000"))
    return services.library_submit(actor=officer, project=project)


def test_a_county_attaches_the_licence_to_its_submission_and_the_prefecture_reads_it(submission, as_persona):
    county = as_persona("lufeng_officer")
    response = upload_page(county, "library", submission.pk, "营业执照.jpg", files.JPEG, kind="business_licence")
    assert response.status_code == 302 and response["Location"].endswith("#library")
    licence = Attachment.objects.get()
    assert licence.kind_label == "营业执照"
    page = county.get(f"/projects/{submission.project_id}/library/").content.decode()
    assert "申报材料" in page and "营业执照.jpg" in page
    prefecture = as_persona("chuxiong_officer")
    page = prefecture.get(f"/projects/{submission.project_id}/").content.decode()
    assert f"/attachments/{licence.pk}/download/" in page
    assert f'action="/attachments/library/{submission.pk}/"' not in page  # the prefecture reviews, not submits
    assert prefecture.get(f"/attachments/{licence.pk}/download/").status_code == 200
    assert as_persona("kunming_officer").get(f"/attachments/{licence.pk}/download/").status_code == 404


def test_an_approved_submissions_materials_are_frozen(submission, officer, chuxiong):
    services.library_review(actor=chuxiong, project=submission.project)
    scan = attachment_add(
        actor=officer, owner=submission, kind="agreement_scan", upload=files.upload("协议扫描件.pdf", files.PDF)
    )
    services.library_approve(actor=persona("province_admin"), project=submission.project)
    submission.refresh_from_db()
    with pytest.raises(PermissionDenied):
        attachment_add(actor=officer, owner=submission, kind="other", upload=files.upload("补充.pdf", files.PDF))
    with pytest.raises(PermissionDenied):
        attachment_remove(actor=officer, attachment=scan, reason="换一份")


# -- ledger entries --------------------------------------------------------------------------------------------------
@pytest.fixture
def entry(signed_project, officer):
    return services.funding_record(actor=officer, project=signed_project, month=date(2024, 4, 1), amount_wan=D("1200"))


def test_a_ledger_entry_page_takes_its_evidence(entry, as_persona):
    client = as_persona("lufeng_officer")
    page = client.get(f"/funds/{entry.pk}/").content.decode()
    assert "到位凭证" in page and f'action="/attachments/funding/{entry.pk}/"' in page
    response = upload_page(client, "funding", entry.pk, "银行回单.pdf", files.PDF, kind="funds_evidence")
    assert response.status_code == 302 and response["Location"] == f"/funds/{entry.pk}/"
    evidence = Attachment.objects.get()
    assert "银行回单.pdf" in client.get(f"/funds/{entry.pk}/").content.decode()
    ledger = client.get(f"/projects/{entry.project_id}/").content.decode()
    assert f'href="/funds/{entry.pk}/#attachments">1 份' in ledger
    kunming = as_persona("kunming_officer")
    assert kunming.get(f"/funds/{entry.pk}/").status_code == 404
    assert kunming.get(f"/attachments/{evidence.pk}/download/").status_code == 404
    assert kunming.get(f"/attachments/funding/{entry.pk}/").status_code == 404


def test_evidence_moves_with_its_entry_in_a_merge(entry, make_project, officer, signed_project):
    evidence = attachment_add(
        actor=officer, owner=entry, kind="funds_evidence", upload=files.upload("回单.pdf", files.PDF)
    )
    duplicate_first = make_project(name="禄丰重复上报项目")
    services.project_merge(actor=officer, duplicate=signed_project, survivor=duplicate_first, note="重复")
    entry.refresh_from_db()
    assert entry.project_id == duplicate_first.pk
    assert evidence.owner == entry and Attachment.objects.for_user(officer).filter(pk=evidence.pk).exists()


# -- the API ---------------------------------------------------------------------------------------------------------
def test_the_api_lists_uploads_and_downloads_an_agreements_attachments(agreement, as_persona):
    client = as_persona("lufeng_officer")
    url = f"/api/v1/agreements/{agreement.pk}/attachments/"
    assert client.get(url).json() == []
    created = client.post(url, {"kind": "agreement_scan", "file": files.upload("协议.pdf", files.PDF), "note": "原件"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "协议.pdf" and body["kind_display"] == "协议扫描件" and body["size"] == len(files.PDF)
    assert body["download_url"] == f"{url}{body['id']}/"
    listed = client.get(url).json()
    assert [row["id"] for row in listed] == [body["id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == files.PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditLog.objects.filter(action="attachment_add").count() == 1
    assert AuditLog.objects.filter(action="attachment_download").count() == 1


def test_the_api_refuses_an_exe_in_chinese(agreement, as_persona):
    response = as_persona("lufeng_officer").post(
        f"/api/v1/agreements/{agreement.pk}/attachments/",
        {"kind": "agreement_scan", "file": files.upload("协议.pdf", files.EXE)},
    )
    assert response.status_code == 400 and "不支持的文件类型" in response.json()["file"][0]


@pytest.mark.parametrize(
    ("name", "method", "status"),
    [
        ("kunming_officer", "get", 404),
        ("kunming_officer", "post", 404),
        ("leader_province", "get", 200),
        ("leader_province", "post", 403),
        (None, "get", 401),
        (None, "post", 401),
    ],
)
def test_the_api_is_scoped(agreement, scan, as_persona, name, method, status):
    client = as_persona(name)
    url = f"/api/v1/agreements/{agreement.pk}/attachments/"
    if method == "get":
        assert client.get(url).status_code == status
        assert client.get(f"{url}{scan.pk}/").status_code == status
    else:
        body = {"kind": "agreement_scan", "file": files.upload("a.pdf", files.PDF)}
        assert client.post(url, body).status_code == status


def test_an_attachment_of_another_agreement_is_not_found_under_this_one(scan, as_persona, make_project, sign):
    other = sign(make_project(name="禄丰另一个项目"))
    other_agreement = Agreement.objects.get(project=other)
    response = as_persona("lufeng_officer").get(f"/api/v1/agreements/{other_agreement.pk}/attachments/{scan.pk}/")
    assert response.status_code == 404


def test_the_schema_documents_the_attachments_endpoints(as_persona):
    schema = as_persona("province_admin").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/agreements/{id}/attachments/"])
    assert "multipart/form-data" in paths["/api/v1/agreements/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert "get" in paths["/api/v1/agreements/{id}/attachments/{attachment_id}/"]


# -- the audit trail reads as Chinese ----------------------------------------------------------------------------------
def test_the_attachment_rows_of_the_audit_trail_read_as_chinese(scan, chuxiong, as_persona):
    from zhaoshang.projects.tests.test_readable_history import english_keys, problems_of

    as_persona("lufeng_officer").get(f"/attachments/{scan.pk}/download/")
    attachment_remove(actor=chuxiong, attachment=scan, reason="上传错误")
    client = as_persona("audit_admin")
    keys, problems = english_keys(), []
    rows = AuditLog.objects.filter(action__startswith="attachment_")
    assert rows.count() == 3
    for row in rows:
        page = client.get(f"/audit/{row.pk}/").content.decode()
        problems += problems_of(f"/audit/{row.pk}/", page, keys)
        assert "附件" in page
    # The audit administrator sees business values masked; the values themselves read as words too.
    from zhaoshang.core.changes import change_rows

    added = {r.label: r.new for r in change_rows(rows.get(action="attachment_add"))}
    assert added["材料类型"] == "协议扫描件" and added["文件格式"] == "PDF"
    assert added["大小"] == scan.size_text and added["所属"].startswith("投资协议：")
    downloaded = {r.label: r.new for r in change_rows(rows.get(action="attachment_download"))}
    assert downloaded["文件校验"] == "与上传时一致"
    removed = {r.label: (r.old, r.new) for r in change_rows(rows.get(action="attachment_remove"))}
    assert removed["删除原因"] == ("—", "上传错误") and removed["删除时间"][0] == "—"
    assert not problems, "\n".join(problems)
