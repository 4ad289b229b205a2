from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from zhaoshang.core.audit import audit_history, audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_bytes, xlsx_response
from zhaoshang.core.jobs import job_start
from zhaoshang.core.periods import default_date_range
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedPageView
from zhaoshang.investors import services
from zhaoshang.investors.choices import FOLLOW_UP_DUE_DAYS, LeaderLevel, Place
from zhaoshang.investors.counting import activity_counts, summary_lines
from zhaoshang.investors.filters import ActivityFilter, EnterpriseFilter
from zhaoshang.investors.forms import (
    ActivityForm,
    ContactForm,
    EnterpriseForm,
    FollowUpForm,
    ImportForm,
    LeadForm,
    RevealForm,
    SummaryForm,
)
from zhaoshang.investors.importers import enterprise_list_template
from zhaoshang.investors.models import Activity, Contact, Enterprise
from zhaoshang.investors.ordering import by_relevance
from zhaoshang.investors.presence import global500_presence
from zhaoshang.investors.services.activities import ACTIVITY_FIELDS
from zhaoshang.investors.tasks import ENTERPRISE_IMPORT_KIND, enterprise_list_import_task
from zhaoshang.regions.models import Region


class EnterpriseListView(ScopedListView):
    model = Enterprise
    filterset_class = EnterpriseFilter
    template_name = "investors/enterprise_list.html"
    sort_fields = {"id": "id", "name": "name", "province": "hq_province", "follow": "next_follow_up_on"}
    default_sort = "relevance"  # investors/ordering.py: search matches, flagged groups first, *ST never first
    export_title = "重要目标企业库"
    export_columns = [
        ("编号", "id"),
        ("企业名称", "name"),
        ("中文名称", "chinese_name"),
        ("英文名称", "english_name"),
        ("统一社会信用代码", "credit_code"),
        ("所属集团", "parent.name"),
        ("总部省份", "hq_province"),
        ("总部城市", "hq_city"),
        ("国家/地区", "country"),
        ("重点产业", "key_industry.name"),
        ("行业", "industry_text"),
        ("标签", "tag_text"),
        ("企业规模", "get_size_display"),
        ("信用状况", "get_credit_status_display"),
        ("网站", "website"),
        ("责任人", "owner.username"),
        ("下次跟进", "next_follow_up_on"),
    ]

    def get_queryset(self):
        rows = super().get_queryset()
        if self.request.GET.get("sort", self.default_sort).lstrip("-") not in self.sort_fields:
            rows = by_relevance(rows, self.request.GET.get("q", ""))
        return rows.select_related("parent", "key_industry", "owner").prefetch_related("tags")

    def export_value(self, row, accessor):
        if accessor == "tag_text":
            return "；".join(str(t) for t in row.tags.all())
        return super().export_value(row, accessor)


class EnterpriseDetailView(ScopedDetailView):
    model = Enterprise
    template_name = "investors/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        from zhaoshang.projects.models import Project

        context = super().get_context_data(**kwargs)
        enterprise, user = self.object, self.request.user
        root = enterprise.group_root
        group_ids = root.group_member_ids()
        projects = (
            Project.objects.for_user(user).filter(investor_id__in=group_ids).select_related("investor", "county")
            if user.has_perm("projects.view_project")
            else Project.objects.none()
        )
        activities = (
            Activity.objects.for_user(user).filter(enterprises__in=group_ids).distinct().select_related("organiser")
        )
        timeline = [
            {
                "on": a.start_on,
                "kind": a.get_kind_display(),
                "title": a.title,
                "url": a.get_absolute_url(),
                "who": a.organiser.name,
                "extra": a.get_leader_level_display(),
            }
            for a in activities
        ] + [
            {
                "on": p.stage_on,
                "kind": "线索" if p.stage == "lead" else f"项目（{p.get_stage_display()}）",
                "title": p.name,
                "url": p.get_absolute_url(),
                "who": p.county.name,
                "extra": p.investor.name,
            }
            for p in projects
        ]
        timeline.sort(key=lambda item: item["on"], reverse=True)
        context.update(
            tags=enterprise.tags.all(),
            contacts=enterprise.contacts.all() if user.has_perm("investors.view_contact") else [],
            members=Enterprise.objects.filter(parent=enterprise),
            group_root=root,
            group_size=len(group_ids),
            timeline=timeline,
            can_change=user.has_perm("investors.change_enterprise"),
            can_add_contact=user.has_perm("investors.add_contact"),
            can_reveal=user.has_perm("investors.reveal_contact"),
            history=audit_history(user, enterprise, limit=50),
        )
        return context


class EnterpriseCreateView(ScopedFormView):
    model = Enterprise
    scope_action = "add"
    form_class = EnterpriseForm
    template_name = "investors/form.html"
    heading = "新增目标企业"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.ENTERPRISE_FIELDS}
        enterprise = services.enterprise_create(
            actor=self.request.user, name=data["name"], credit_code=data.get("credit_code") or "", **fields
        )
        messages.success(self.request, f"已建档：{enterprise.name}")
        return enterprise


class EnterpriseUpdateView(EnterpriseCreateView):
    scope_action = "change"
    edits_object = True
    heading = "编辑企业"

    def perform(self, form):
        data = form.cleaned_data
        fields = {name: data.get(name) for name in services.ENTERPRISE_FIELDS}
        return services.enterprise_update(
            actor=self.request.user,
            enterprise=self.object,
            name=data["name"],
            credit_code=data.get("credit_code") or "",
            **fields,
        )


class FollowUpView(ScopedFormView):
    model = Enterprise
    scope_action = "change"
    edits_object = True
    form_class = FollowUpForm
    template_name = "investors/form.html"

    def object_initial(self):
        return {"owner": self.object.owner_id, "next_follow_up_on": self.object.next_follow_up_on}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"专人盯：{self.object.name}", **kwargs)

    def perform(self, form):
        return services.enterprise_set_follow_up(
            actor=self.request.user,
            enterprise=self.object,
            owner=form.cleaned_data["owner"],
            next_follow_up_on=form.cleaned_data["next_follow_up_on"],
        )


class MyFollowUpsView(ScopedListView):
    model = Enterprise
    template_name = "investors/followup_list.html"
    paginate_by = 100

    # ``?due=overdue`` / ``?due=soon``: the 工作台's to-dos link here.
    DUE = {"open": "到期或逾期", "overdue": "已逾期", "soon": f"{FOLLOW_UP_DUE_DAYS}日内到期"}

    def get_queryset(self):
        rows, user, today = super().get_queryset(), self.request.user, timezone.localdate()
        due = self.request.GET.get("due")
        if due == "open":
            rows = rows.open_for(user, today)
        elif due == "overdue":
            rows = rows.overdue_for(user, today)
        elif due == "soon":
            rows = rows.due_for(user, today)
        else:
            rows = rows.follow_ups_of(user)
        return rows.select_related("parent")

    def get_context_data(self, **kwargs):
        due = self.DUE.get(self.request.GET.get("due", ""), "")
        return super().get_context_data(today=timezone.localdate(), due=due, **kwargs)


class ContactCreateView(ScopedFormView):
    model = Contact
    scope_action = "add"
    form_class = ContactForm
    template_name = "investors/form.html"

    def load(self, **kwargs):
        self.enterprise = get_object_or_404(Enterprise.objects.for_user(self.request.user), pk=kwargs["enterprise_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"新增联系人：{self.enterprise.name}", **kwargs)

    def perform(self, form):
        contact = services.contact_create(actor=self.request.user, enterprise=self.enterprise, **form.cleaned_data)
        return contact.enterprise


class ContactRevealView(ScopedFormView):
    """Shows a contact's full phone and ID number once, after the reason is given; each reveal is audited."""

    model = Contact
    scope_action = "reveal"
    form_class = RevealForm
    template_name = "investors/contact_reveal.html"

    def form_valid(self, form):
        try:
            revealed = services.contact_reveal(
                actor=self.request.user, contact=self.object, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, revealed=revealed))


class EnterpriseImportView(ScopedFormView):
    model = Enterprise
    scope_action = "add"
    form_class = ImportForm
    template_name = "investors/enterprise_import.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            return xlsx_response(filename="企业榜单导入模板.xlsx", content=enterprise_list_template())
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        """A background job (``investors.tasks``): the file is parsed there, under the upload limits."""
        upload = form.cleaned_data["file"]
        return job_start(
            actor=self.request.user,
            kind=ENTERPRISE_IMPORT_KIND,
            title=f"企业榜单导入：{upload.name}",
            task=enterprise_list_import_task,
            upload=upload,
        )


class Global500PresenceView(ScopedPageView):
    permission_required = "investors.view_enterprise"
    template_name = "investors/global500_presence.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("investors.export_enterprise"):
                raise PermissionDenied("您没有导出权限")
            data = global500_presence(user=request.user)
            rows = [[r["rank"], r["name"], "是", r["via"]] for r in data["present"]] + [
                [r["rank"], r["name"], "否", ""] for r in data["absent"]
            ]
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                object_type="investors.Enterprise",
                object_repr="世界500强入滇情况",
                after={"rows": len(rows)},
            )
            content = workbook_bytes(title="世界500强入滇情况", headers=["排名", "企业", "已入滇", "依据"], rows=rows)
            return xlsx_response(filename="世界500强入滇情况.xlsx", content=content)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(presence=global500_presence(user=self.request.user), **kwargs)


class ActivityListView(ScopedListView):
    model = Activity
    filterset_class = ActivityFilter
    template_name = "investors/activity_list.html"
    sort_fields = {"start_on": "start_on", "kind": "kind", "title": "title"}
    default_sort = "-start_on"
    export_title = "招商活动"
    export_columns = [
        ("编号", "id"),
        ("类型", "get_kind_display"),
        ("活动名称", "title"),
        ("开始日期", "start_on"),
        ("结束日期", "end_on"),
        ("组织单位", "organiser.name"),
        ("地点", "destination"),
        ("地点类别", "get_place_display"),
        ("带队领导", "leader_name"),
        ("领导级别", "get_leader_level_display"),
        ("参会企业数", "enterprise_count"),
        ("观看人次", "viewer_count"),
        ("现场签约项目数", "signing_count"),
        ("成效", "outcome"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("organiser", "destination_region")


class ActivityDetailView(ScopedDetailView):
    model = Activity
    template_name = "investors/activity_detail.html"

    def get_context_data(self, **kwargs):
        from zhaoshang.projects.models import Project

        context = super().get_context_data(**kwargs)
        user = self.request.user
        links = self.object.project_links.filter(project__in=Project.objects.for_user(user)).select_related("project")
        context.update(
            enterprises=self.object.enterprises.all(),
            project_links=links,
            can_change=user.has_perm("investors.change_activity"),
            can_lead=user.has_perm("projects.add_project") and user.has_perm("investors.change_activity"),
        )
        return context


class ActivityCreateView(ScopedFormView):
    model = Activity
    scope_action = "add"
    form_class = ActivityForm
    template_name = "investors/form.html"

    def get_initial(self):
        return {"start_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        heading = f"编辑活动：{self.object.title}" if self.object else "登记招商活动"
        return super().get_context_data(heading=heading, **kwargs)

    def enterprises(self, form):
        """Each line is a credit code of an enterprise in the library, or a name (matched or created)."""
        user, found = self.request.user, []
        for line in form.enterprise_lines():
            by_code = services.enterprise_find_duplicate(name="", credit_code=line.upper()) if len(line) == 18 else None
            found.append(by_code or services.enterprise_get_or_create(actor=user, name=line))
        return found

    def perform(self, form):
        data = {name: form.cleaned_data.get(name) for name in ACTIVITY_FIELDS}
        for key in (
            "destination_city",
            "leader_name",
            "leader_level",
            "participants",
            "organisers",
            "outcome",
            "follow_up",
        ):
            data[key] = data[key] or ""
        if self.object is None:
            activity = services.activity_create(actor=self.request.user, enterprises=self.enterprises(form), **data)
            messages.success(self.request, f"已登记：{activity}")
            return activity
        return services.activity_update(
            actor=self.request.user, activity=self.object, enterprises=self.enterprises(form), **data
        )


class ActivityUpdateView(ActivityCreateView):
    scope_action = "change"
    edits_object = True  # starts from the activity as saved, not from a new activity's date (today)


class ActivityLeadView(ScopedFormView):
    """由活动生成线索: a 线索 project through the projects service, linked to the activity."""

    model = Activity
    scope_action = "change"
    form_class = LeadForm
    template_name = "investors/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("projects.add_project"):
            raise PermissionDenied("您没有登记项目的权限")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "activity": self.object}

    def get_initial(self):
        first = self.object.enterprises.first()
        return {"investor": first.pk if first else None, "name": f"{first.name}投资项目" if first else ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"由活动生成线索：{self.object.title}", **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.activity_create_lead(
            actor=self.request.user,
            activity=self.object,
            name=data["name"],
            investor=data["investor"],
            county=data["county"],
            park=data["park"],
            on=data["on"],
        )
        messages.success(self.request, f"已生成线索：{data['name']}")
        return self.object


def period_default(today: date | None = None) -> tuple[date, date]:
    """January to the end of the last complete month: the one default of every page with a period."""
    return default_date_range(today)


class ActivitySummaryView(ScopedPageView):
    """Counts of the user's jurisdiction (or a region under it) for a period, with an Excel export."""

    permission_required = "investors.view_activity"
    template_name = "investors/activity_summary.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        start, end = period_default()
        form = SummaryForm(request.GET or None, user=user, initial={"start": start, "end": end})
        region = Region.objects.of_user(user)
        if form.is_valid():
            region = form.cleaned_data["region"] or region
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
        if region is None:
            raise PermissionDenied("您的账户不属于任何辖区")
        counts = activity_counts(region=region, start=start, end=end, user=user)
        if request.GET.get("export") == "xlsx":
            return self.export(counts)
        return TemplateResponse(
            request,
            self.template_name,
            self.get_context_data(form=form, counts=counts, lines=summary_lines(counts), table=self.table(counts)),
        )

    @staticmethod
    def table(counts) -> list[list]:
        rows = []
        for key, label in (("trips", "外出招商"), ("meetings", "会见客商")):
            for level, level_label in LeaderLevel.choices:
                places = counts[key]["matrix"][level]
                rows.append([label, level_label, *[places[p] for p in Place.values], sum(places.values())])
        return rows

    def export(self, counts):
        user = self.request.user
        if not user.has_perm("investors.export_activity"):
            raise PermissionDenied("您没有导出权限")
        headers = ["类别", "领导级别", *Place.labels, "合计"]
        rows = self.table(counts) + [
            [],
            ["推介会", "", "", "", "", counts["events"]["promotion"]],
            ["网络招商", "", "", "", "", counts["events"]["online"]],
            ["接触企业", "", "", "", "", counts["enterprises_met"]],
            ["由活动产生线索", "", "", "", "", counts["leads_created"]],
            ["关联项目签约", "", "", "", "", counts["projects_signed"]],
        ]
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="investors.Activity",
            object_repr=f"招商活动统计：{counts['region']['name']} {counts['start']}—{counts['end']}",
            after={"region": counts["region"]["code"], "start": counts["start"], "end": counts["end"]},
        )
        title = f"招商活动统计_{counts['region']['name']}"
        return xlsx_response(filename=f"{title}.xlsx", content=workbook_bytes(title=title, headers=headers, rows=rows))
