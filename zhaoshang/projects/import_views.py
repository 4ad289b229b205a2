"""Excel import of projects: the template download and the upload page, which starts a background job."""

from django import forms
from django.views import View

from zhaoshang.core.excel import xlsx_response
from zhaoshang.core.jobs import job_start
from zhaoshang.core.models import Job
from zhaoshang.core.uploads import validate_upload
from zhaoshang.core.views import ScopedFormView, ScopedViewMixin
from zhaoshang.projects.importers import INSTRUCTIONS, project_template
from zhaoshang.projects.models import Project
from zhaoshang.projects.tasks import IMPORT_KIND, projects_import_task


class ProjectImportForm(forms.Form):
    file = forms.FileField(label="项目导入文件（.xlsx）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传平台下载的 .xlsx 模板")
        validate_upload(upload)  # size, type by content, the zip's directory (core.uploads; the job checks the rest)
        return upload


class ProjectImportView(ScopedFormView):
    model = Project
    scope_action = "add"
    form_class = ProjectImportForm
    template_name = "projects/import.html"

    def perform(self, form):
        upload = form.cleaned_data["file"]
        return job_start(
            actor=self.request.user,
            kind=IMPORT_KIND,
            title=f"项目导入：{upload.name}",
            task=projects_import_task,
            upload=upload,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["instructions"] = INSTRUCTIONS
        context["recent_jobs"] = Job.objects.for_user(self.request.user).filter(
            owner=self.request.user, kind=IMPORT_KIND
        )[:10]
        return context


class ProjectImportTemplateView(ScopedViewMixin, View):
    model = Project
    scope_action = "add"

    def get(self, request):
        return xlsx_response(filename="项目导入模板.xlsx", content=project_template(request.user))
