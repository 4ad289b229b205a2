"""The bureaus' side of the public site: marking content for publication, approving it one level up, withdrawing
it, and the enquiries that came in. Built on the scoped bases: a bureau sees and marks only its jurisdiction."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_bytes, xlsx_response
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedPageView
from zhaoshang.portal import services
from zhaoshang.portal.choices import PublicationStatus, SectionKind
from zhaoshang.portal.filters import EnquiryFilter
from zhaoshang.portal.forms import (
    DecisionForm,
    ListingForm,
    ParkProfileForm,
    SectionForm,
    translation_initial,
)
from zhaoshang.portal.models import Enquiry, ParkProfile, ProfileSection, ProjectListing
from zhaoshang.projects.models import Project
from zhaoshang.regions.models import Park, Region

KINDS = {"section": ProfileSection, "park": ParkProfile, "listing": ProjectListing}
DESK_ROWS = 200  # per kind on the page; the export has them all
DESK_HEADERS = ["类别", "内容", "状态", "发布单位", "标记时间", "发布时间", "审核意见"]


class PublicationDeskView(ScopedPageView):
    """对外发布: what the jurisdiction has marked or published, and what waits for this user's approval."""

    permission_required = "portal.view_projectlisting"
    template_name = "portal/desk.html"

    def get(self, request, *args, **kwargs):
        # The section picker: a region of the user's jurisdiction and a section open that section's form.
        code, kind = request.GET.get("region", ""), request.GET.get("kind", "")
        if code and kind in SectionKind.values and Region.objects.for_user(request.user).filter(code=code).exists():
            return HttpResponseRedirect(reverse("portal_admin:section_mark", args=[code, kind]))
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def groups(self, limit: int | None = DESK_ROWS):
        """Per kind of content, the jurisdiction's rows (newest marks first within each status)."""
        user = self.request.user
        for kind, model, related in (
            ("listing", ProjectListing, ("project__county",)),
            ("park", ParkProfile, ("park__region",)),
            ("section", ProfileSection, ("region",)),
        ):
            rows = model.objects.for_user(user).select_related(*related).order_by("status", "-marked_at", "pk")
            yield kind, model, list(rows[:limit] if limit else rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        groups = []
        for kind, model, rows in self.groups():
            for row in rows:
                row.kind = kind
                row.approvable = row.status == PublicationStatus.PENDING and services.can_approve(user, row)
            groups.append((model._meta.verbose_name, rows))
        context["groups"] = groups
        context["regions"] = Region.objects.for_user(user).order_by("code")[:200]
        context["section_kinds"] = SectionKind.choices
        context["can_export"] = user.has_perm("portal.export_projectlisting")
        return context

    def export(self):
        """The whole desk, every kind in one sheet, audited like every export."""
        user = self.request.user
        if not user.has_perm("portal.export_projectlisting"):
            raise PermissionDenied("您没有导出权限")
        rows = [
            [
                model._meta.verbose_name,
                str(row),
                row.get_status_display(),
                str(row.publishing_org or ""),
                local_time(row.marked_at),
                local_time(row.published_at),
                row.review_note,
            ]
            for _kind, model, found in self.groups(limit=None)
            for row in found
        ]
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type=ProjectListing._meta.label,
            object_repr="对外发布清单（本辖区全部）",
            after={"rows": len(rows), "format": "xlsx"},
        )
        content = workbook_bytes(title="对外发布", headers=DESK_HEADERS, rows=rows)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return xlsx_response(filename=f"对外发布清单_{stamp}.xlsx", content=content)


def local_time(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class _MarkView(ScopedFormView):
    template_name = "portal/mark_form.html"
    scope_action = "change"
    item = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = self.item_initial()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        context["heading"] = self.heading()
        return context

    def get_success_url_for(self, saved):
        messages.success(self.request, "已提交，待上一级审核后对外发布")
        return reverse("portal_admin:desk")


class ListingMarkView(_MarkView):
    model = ProjectListing
    form_class = ListingForm

    def load(self, **kwargs):
        self.object = get_object_or_404(Project.objects.for_user(self.request.user, "change"), pk=kwargs["pk"])
        self.item = ProjectListing.objects.filter(project=self.object).first()

    def heading(self):
        return f"对外发布招商项目：{self.object.name}"

    def item_initial(self):
        item, project = self.item, self.object
        if item is None:
            return {
                "title": project.name,
                "summary": project.description,
                "industry": project.key_industry.name if project.key_industry_id else "",
                "investment_wan": project.agreed_investment_wan,
                "land": f"{project.land_mu} 亩" if project.land_mu else "",
            }
        fields = ("title", "summary", "industry", "investment_wan", "cooperation_mode", "land")
        initial = {name: getattr(item, name) for name in (*fields, "public_phone", "public_email")}
        return initial | translation_initial(item, ListingForm.translated)

    def perform(self, form):
        data = form.cleaned_data
        return services.listing_mark(
            actor=self.request.user,
            project=self.object,
            title=data["title"],
            summary=data["summary"],
            industry=data["industry"],
            investment_wan=data["investment_wan"],
            cooperation_mode=data["cooperation_mode"],
            land=data["land"],
            public_phone=data["public_phone"],
            public_email=data["public_email"],
            translations=form.translations(),
        )


class ParkProfileMarkView(_MarkView):
    model = ParkProfile
    form_class = ParkProfileForm

    def load(self, **kwargs):
        self.object = get_object_or_404(Park.objects.for_user(self.request.user), pk=kwargs["pk"])
        self.item = ParkProfile.objects.filter(park=self.object).first()

    def heading(self):
        return f"对外发布园区介绍：{self.object.name}"

    def item_initial(self):
        initial = {"name": self.object.name, "positioning": self.object.leading_industries}
        if self.item is not None:
            fields = ("positioning", "land_ready", "standards", "public_phone", "public_email")
            initial |= {name: getattr(self.item, name) for name in fields}
            initial |= translation_initial(self.item, ParkProfileForm.translated)
        return initial

    def perform(self, form):
        data = form.cleaned_data
        return services.park_profile_mark(
            actor=self.request.user,
            park=self.object,
            positioning=data["positioning"],
            land_ready=data["land_ready"],
            standards=data["standards"],
            public_phone=data["public_phone"],
            public_email=data["public_email"],
            translations=form.translations(),
            photo=data.get("photo") or None,
        )


class SectionMarkView(_MarkView):
    model = ProfileSection
    form_class = SectionForm

    def load(self, **kwargs):
        if kwargs["kind"] not in SectionKind.values:
            raise Http404
        self.object = get_object_or_404(Region.objects.for_user(self.request.user), code=kwargs["code"])
        self.kind = kwargs["kind"]
        self.item = ProfileSection.objects.filter(region=self.object, kind=self.kind).first()

    def heading(self):
        return f"投资指南：{self.object.name}·{SectionKind(self.kind).label}"

    def item_initial(self):
        if self.item is None:
            return {}
        return {"text": self.item.text} | translation_initial(self.item, SectionForm.translated)

    def perform(self, form):
        return services.section_mark(
            actor=self.request.user,
            region=self.object,
            kind=self.kind,
            text=form.cleaned_data["text"],
            translations=form.translations(),
        )


class PublicationDecisionView(ScopedFormView):
    """Approve, return or withdraw one item (POST). Approval re-checks in the service that the user is above."""

    form_class = DecisionForm
    template_name = "portal/mark_form.html"
    scope_action = "view"
    actions = {
        "approve": services.publication_approve,
        "return": services.publication_return,
        "withdraw": services.publication_withdraw,
    }

    def dispatch(self, request, *args, **kwargs):
        self.model = KINDS.get(kwargs.get("kind"))
        if self.model is None or kwargs.get("action") not in self.actions:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        self.item = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("portal_admin:desk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"{self.item}"
        return context

    def perform(self, form):
        service = self.actions[self.kwargs["action"]]
        try:
            return service(actor=self.request.user, item=self.item, note=form.cleaned_data["note"] or "")
        except PermissionDenied as error:
            raise ValidationError(str(error)) from error

    def get_success_url_for(self, saved):
        messages.success(self.request, f"{saved}：{saved.get_status_display()}")
        return reverse("portal_admin:desk")


class EnquiryListView(ScopedListView):
    model = Enquiry
    filterset_class = EnquiryFilter
    template_name = "portal/enquiry_list.html"
    sort_fields = {"id": "id", "reply_by": "reply_by"}
    default_sort = "-id"
    export_title = "网站投资咨询"
    export_columns = [
        ("咨询编号", "reference"),
        ("提交时间", "created_at"),
        ("咨询对象", "target_name"),
        ("公司/机构", "company"),
        ("联系人", "name"),
        ("联系方式", "contact"),
        ("咨询内容", "message"),
        ("答复期限", "reply_by"),
        ("答复时间", "replied_at"),
    ]
    export_personal_columns = ("联系人", "联系方式")

    def get_queryset(self):
        return super().get_queryset().select_related("listing", "park_profile__park", "lead")


class EnquiryDetailView(ScopedDetailView):
    model = Enquiry
    template_name = "portal/enquiry_detail.html"
    context_object_name = "enquiry"

    def post(self, request, *args, **kwargs):
        enquiry = self.get_object()
        if not request.user.has_perm("portal.change_enquiry"):
            raise PermissionDenied("您没有此功能的权限")
        services.enquiry_mark_replied(actor=request.user, enquiry=enquiry)
        messages.success(request, "已标记为已答复")
        return HttpResponseRedirect(enquiry.get_absolute_url())
