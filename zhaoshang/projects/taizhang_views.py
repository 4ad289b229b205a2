"""Pages of the 台账 import: upload, the column mapping to confirm, the dry run to read, and the commit as a job.
Every page needs the right to add projects; an upload is seen by the officer who made it, within their scope."""

from django import forms
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from zhaoshang.core.jobs import job_start
from zhaoshang.core.uploads import CSV, XLS, XLSX, UploadRefused, validate_upload
from zhaoshang.core.views import ScopedFormView, ScopedViewMixin
from zhaoshang.projects.management.commands.import_taizhang import preview_data
from zhaoshang.projects.models import Project, TaizhangImport, TaizhangStatus
from zhaoshang.projects.taizhang.commit import (
    taizhang_import_confirm,
    taizhang_import_confirm_duplicates,
    taizhang_import_mark,
    taizhang_mapping_save,
    taizhang_upload,
)
from zhaoshang.projects.taizhang.mapping import FIELDS, FUNDS_FIELDS, MONEY_FIELDS, UNITS, from_dicts
from zhaoshang.projects.taizhang.preview import remembered_mapping, sheet_columns, taizhang_preview
from zhaoshang.projects.taizhang.reading import TaizhangUnreadable, read_taizhang
from zhaoshang.projects.tasks import TAIZHANG_KIND, taizhang_commit_task

GUIDE = [
    "上传本单位自有的项目台账（.xlsx、.xls，或 UTF-8 / GB18030 编码的 .csv），不必改成平台模板。",
    "平台自动找出表头（一行或两行、合并单元格），跳过标题行、空行、合计/小计行和说明行，"
    "并逐列给出对应字段和金额单位（亿元、万元、元），请确认或修改。",
    "确认过的列映射会记住：下次上传表头相同的台账时直接使用，不再询问。",
    "预览列出每一行的问题（第N行 列: 原因）、甄别结果（新项目 / 已有项目 / 疑似重复）、准入结论"
    "和各金额列换算前后的合计；有问题时请改好文件后重新上传。",
    "确认导入后在后台进行，全部成功才写入；累计到位资金换算为各月增量记入到位资金台账，与已有分录不一致的列为问题，"
    "不会覆盖。重复导入同一文件不会新增任何数据。",
]


class TaizhangUploadForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx / .xls / .csv）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.xls,.csv"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, kinds=(XLSX, XLS, CSV))
        return upload


def _own_upload(request, pk: int) -> TaizhangImport:
    rows = TaizhangImport.objects.for_user(request.user, action="").filter(created_by=request.user)
    return get_object_or_404(rows, pk=pk)


def _read(item: TaizhangImport):
    with item.file.open("rb") as handle:
        content = handle.read()
    return content, read_taizhang(content)


class TaizhangUploadView(ScopedFormView):
    model = Project
    scope_action = "add"
    form_class = TaizhangUploadForm
    template_name = "projects/taizhang_upload.html"

    def perform(self, form):
        return taizhang_upload(actor=self.request.user, upload=form.cleaned_data["file"])

    def get_success_url_for(self, saved):
        """Straight to the preview when every sheet's headings have a remembered mapping: not asked again."""
        try:
            content, book = _read(saved)
        except (UploadRefused, TaizhangUnreadable, ValueError):
            return reverse("projects:taizhang_mapping", args=[saved.pk])
        user = self.request.user
        if book.tables and all(remembered_mapping(user, t.labels) is not None for t in book.tables):
            preview = taizhang_preview(actor=user, content=content, book=book)
            mappings = {s.sheet: [c.as_dict() for c in s.columns] for s in preview.sheets}
            taizhang_import_confirm(actor=user, item=saved, mappings=mappings, preview=preview_data(preview))
            return reverse("projects:taizhang_preview", args=[saved.pk])
        return reverse("projects:taizhang_mapping", args=[saved.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide"] = GUIDE
        context["recent"] = TaizhangImport.objects.for_user(self.request.user, action="").filter(
            created_by=self.request.user
        )[:10]
        return context


class TaizhangMappingView(ScopedViewMixin, View):
    """The proposed (or remembered) mapping of every sheet, as a form of one row per column."""

    model = Project
    scope_action = "add"

    def get(self, request, pk):
        item = _own_upload(request, pk)
        return self.page(request, item, errors=[])

    def page(self, request, item, errors, status=200):
        try:
            _, book = _read(item)
        except (UploadRefused, TaizhangUnreadable, ValueError) as error:
            return render(
                request,
                "projects/taizhang_mapping.html",
                {"item": item, "errors": [getattr(error, "message", str(error))], "sheets": []},
                status=400,
            )
        from django.utils import timezone

        sheets = []
        for position, table in enumerate(book.tables):
            columns, source = sheet_columns(request.user, table, item.mappings.get(table.sheet), timezone.localdate())
            sample = [cells for _, cells in table.rows[:3]]
            sheets.append(
                {
                    "position": position,
                    "name": table.sheet,
                    "header_rows": table.header_rows,
                    "source": source,
                    "columns": [
                        {
                            "column": c,
                            "samples": [str(row[c.index]) for row in sample if c.index < len(row) and row[c.index]],
                        }
                        for c in columns
                    ],
                    "skipped": table.skipped,
                }
            )
        context = {
            "item": item,
            "sheets": sheets,
            "unread": book.unread,
            "errors": errors,
            "fields": FIELDS,
            "units": list(UNITS),
            "money_fields": MONEY_FIELDS,
            "funds_fields": FUNDS_FIELDS,
        }
        return render(request, "projects/taizhang_mapping.html", context, status=status)

    def post(self, request, pk):
        item = _own_upload(request, pk)
        if item.status == TaizhangStatus.COMMITTED:
            raise Http404("该台账已导入")
        content, book = _read(item)
        mappings, errors = {}, []
        for position, table in enumerate(book.tables):
            items = []
            for index in range(len(table.labels)):
                prefix = f"s{position}-c{index}-"
                items.append(
                    {
                        "index": index,
                        "field": request.POST.get(prefix + "field", "ignore"),
                        "unit": request.POST.get(prefix + "unit", ""),
                        "month": request.POST.get(prefix + "month", "").strip(),
                    }
                )
            try:
                columns = from_dicts(items, table.labels)
            except ValueError as error:
                errors.append(f"工作表“{table.sheet}”：{error}")
                continue
            mappings[table.sheet] = [c.as_dict() for c in columns]
        if errors:
            return self.page(request, item, errors, status=400)
        preview = taizhang_preview(
            actor=request.user, content=content, mappings=mappings, book=book, confirmed=item.confirmed
        )
        problems = [p for s in preview.sheets for p in s.mapping_problems]
        if problems:
            item.mappings = mappings  # shown again as chosen, not saved
            return self.page(request, item, problems, status=400)
        for table in book.tables:
            taizhang_mapping_save(actor=request.user, labels=table.labels, columns=mappings[table.sheet])
        taizhang_import_confirm(actor=request.user, item=item, mappings=mappings, preview=preview_data(preview))
        return HttpResponseRedirect(reverse("projects:taizhang_preview", args=[item.pk]))


class TaizhangPreviewView(ScopedViewMixin, View):
    """The dry run as it was computed when the mapping was confirmed; 确认导入 starts the commit job."""

    model = Project
    scope_action = "add"

    def get(self, request, pk):
        item = _own_upload(request, pk)
        if not item.preview:
            return HttpResponseRedirect(reverse("projects:taizhang_mapping", args=[item.pk]))
        data = item.preview
        context = {
            "item": item,
            "data": data,
            "shown_rows": data["rows"][:500],
            "ok": not data["problems"] and bool(data["rows"]),
            "duplicates": any(r.get("candidate") for r in data["rows"]),
        }
        return render(request, "projects/taizhang_preview.html", context)

    def post(self, request, pk):
        item = _own_upload(request, pk)
        if request.POST.get("action") == "confirm":
            return self.confirm(request, item)
        if item.status != TaizhangStatus.PREVIEWED or item.preview.get("problems"):
            raise Http404("该台账不能导入")
        job = job_start(
            actor=request.user,
            kind=TAIZHANG_KIND,
            title=f"台账导入：{item.filename}",
            task=taizhang_commit_task,
            import_id=item.pk,
        )
        taizhang_import_mark(actor=request.user, item=item, status=TaizhangStatus.COMMITTING, job=job)
        return HttpResponseRedirect(job.get_absolute_url())

    def confirm(self, request, item):
        """甄别: the possible duplicates the officer ticked are the existing projects they resemble; the dry run
        is computed again with them (a project the officer may not change is not taken)."""
        if item.status != TaizhangStatus.PREVIEWED:
            raise Http404("该台账不能再确认")
        confirmed = dict(item.confirmed)
        for key, value in request.POST.items():
            if key.startswith("same-") and key[5:].isdigit() and value.isdigit():
                confirmed[key[5:]] = int(value)
        content, book = _read(item)
        preview = taizhang_preview(
            actor=request.user, content=content, mappings=item.mappings or None, book=book, confirmed=confirmed
        )
        kept = {str(n): pk for n, pk in preview.confirmed.items()}
        taizhang_import_confirm_duplicates(actor=request.user, item=item, confirmed=kept, preview=preview_data(preview))
        return HttpResponseRedirect(reverse("projects:taizhang_preview", args=[item.pk]))
