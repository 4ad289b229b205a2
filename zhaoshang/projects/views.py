from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from zhaoshang.catalog.labels import admission_rule_labels
from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.attachments.models import Attachment
from zhaoshang.core.audit import audit_history
from zhaoshang.core.formatting import wan
from zhaoshang.core.panels import panels_for
from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.core.views import ScopedDetailView, ScopedFormView, ScopedListView, ScopedViewMixin
from zhaoshang.projects import services
from zhaoshang.projects.choices import AgreementKind, Stage
from zhaoshang.projects.filters import ProjectFilter
from zhaoshang.projects.forms import (
    AdmissionPreviewForm,
    AgreementForm,
    ClauseFormSet,
    InvestorChangeForm,
    MergeForm,
    ProjectForm,
    TransitionForm,
)
from zhaoshang.projects.models import (
    AdmissionVerdict,
    FundingEntry,
    IncentiveClause,
    Project,
    ProjectTransition,
    Transfer,
)
from zhaoshang.projects.services import PROJECT_FIELDS
from zhaoshang.projects.services.admission_facts import admission_facts_key, project_admission_key


class ProjectListView(ScopedListView):
    model = Project
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    sort_fields = {
        "id": "id",
        "code": "external_code",
        "name": "name",
        "county": "county__code",
        "stage": "stage",
        "amount": "agreed_investment_wan",
        "signed": "first_signed_on",
        "updated": "updated_at",
    }
    default_sort = "-id"
    export_title = "项目台账"
    # The headers of the import template where a column is one (projects/importers.py), so that an exported file
    # imports again: 项目编号 is the officer's own code (the key of a re-import), 系统编号 the platform's id.
    export_columns = [
        ("项目编号", "external_code"),
        ("项目名称", "name"),
        ("投资方", "investor.name"),
        ("统一社会信用代码", "investor.credit_code"),
        ("重点产业", "key_industry.name"),
        ("行业代码", "industry_class.code"),
        ("县市区", "county.name"),
        ("园区", "park.name"),
        ("协议投资额（万元）", "agreed_investment_wan"),
        ("阶段", "get_stage_display"),
        ("登记日期", "registered_on"),
        ("签约日期", "first_signed_on"),
        ("阶段日期", "stage_reached_on"),
        ("资金来源省份", "get_source_province_display"),  # the template's label: 境外（含港澳台）
        ("来源区域", "get_region_group_display"),
        ("外资", "is_foreign"),
        ("币种", "currency"),
        ("世界500强", "is_global500"),
        ("中国500强", "is_china500"),
        ("民营500强", "is_private500"),
        ("链主", "is_chain_leader"),
        ("总部", "is_headquarters"),
        ("用地（亩）", "land_mu"),
        ("预期年税收（万元）", "expected_annual_tax_wan"),
        ("带动就业（人）", "jobs"),
        ("责任人", "responsible_person"),
        ("牵头单位", "lead_department"),
        ("停滞", "stalled"),
        ("增资扩产原项目系统编号", "parent_id"),
        ("准入结论", "get_admission_verdict_display"),
        ("触发的准入规则", "admission_rules"),
        ("需集体研判", "needs_collective_decision"),
        ("项目简介", "description"),
        ("系统编号", "id"),
    ]

    page_sizes = (20, 50, 100, 200)

    def export_value(self, row, accessor: str):
        value = super().export_value(row, accessor)
        if accessor == "admission_rules":  # rules by name, as on the page (``catalog.labels``)
            return admission_rule_labels(value)
        return value

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("page_size", "")
        return int(size) if size.isdigit() and int(size) in self.page_sizes else self.paginate_by

    # What a row of the page shows (projects/templatetags/project_tags.py): only these values are read, in one
    # query with the related names joined. The Excel export reads whole rows instead (it has more columns).
    page_fields = (
        "id",
        "external_code",
        "name",
        "parent_id",
        "stage",
        "agreed_investment_wan",
        "first_signed_on",
        "stalled",
        "needs_collective_decision",
        "admission_verdict",
        "is_global500",
        "is_china500",
        "is_private500",
        "investor__name",
        "county__name",
        "county__code",
        "park__name",
        "key_industry__name",
    )

    def get_queryset(self):
        rows = super().get_queryset()
        if self.request.GET.get("export") == "xlsx":
            rows = rows.select_related("investor", "county", "park", "key_industry", "industry_class")
            # The dates the import template asks for: 登记日期 (entry as a lead) and the date the current stage was
            # reached (empty where an import had none: the import never invents one).
            steps = ProjectTransition.objects.filter(project=OuterRef("pk"), merged_from__isnull=True).order_by("-id")
            steps = steps.values("on")
            rows = rows.annotate(
                registered_on=Subquery(steps.filter(to_stage=Stage.LEAD)[:1]),
                stage_reached_on=Subquery(steps.filter(to_stage=OuterRef("stage"))[:1]),
            )
        # A merged duplicate is shown on its survivor's page, not in the ledger it would count twice in.
        return rows.counted()

    def paginate_queryset(self, queryset, page_size):
        # The values of the page only: the count stays a count of projects, without the joins.
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = rows = rows.values(*self.page_fields)
        return paginator, page, rows, is_paginated


def ledger_sums(project: Project, entries: list[FundingEntry]) -> tuple[list[dict], dict]:
    """The ledger's monthly counted totals (oldest first) and its overall totals, from the entries the page lists
    already (``FundingEntry.counts``; a merged record's ledger has moved to the survivor and counts nothing there):
    the same figures as ``monthly()`` and ``counted().totals()``, without two more queries. Decimal sums are exact."""
    zero = Decimal("0.00")
    fields = ("amount_wan", "outside_province_wan", "foreign_usd_wan")
    by_month: dict = {}
    totals = dict.fromkeys(fields, zero)
    for entry in entries:
        if project.is_merged or not entry.counts:
            continue
        row = by_month.setdefault(entry.month, {"month": entry.month} | dict.fromkeys(fields, zero))
        for name in fields:
            row[name] += getattr(entry, name)
            totals[name] += getattr(entry, name)
    return [by_month[month] for month in sorted(by_month)], totals


class ProjectDetailView(ScopedDetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("investor", "county", "park", "key_industry", "industry_class", "parent", "merged_into")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        entries = list(project.funding_entries.select_related("entered_by", "approval__decided_by", "merged_from"))
        evidence = Attachment.objects.for_user(user).present().counts(FundingEntry, [e.pk for e in entries])
        for entry in entries:
            entry.evidence_count = evidence.get(entry.pk, 0)
        monthly, totals = ledger_sums(project, entries)
        running, cumulative = 0, []
        for row in monthly:
            running += row["amount_wan"]
            cumulative.append(running)
        # An app above projects adds what it knows about this project (the portal: the enquiry behind a lead).
        context["panels"] = panels_for("project", self.request, project=project)
        holds = user.is_superuser or path_within(project.path, user_node_path(user) or "\0")
        transfers = list(
            Transfer.objects.for_user(user)
            .filter(project=project)
            .select_related("from_county", "from_park", "to_county", "to_park", "sharing")
        )
        related = list(
            Project.objects.for_user(user).filter(Q(merged_into=project) | Q(parent=project, merged_into__isnull=True))
        )
        context.update(
            transitions=ProjectTransition.in_order(project.transitions.select_related("actor", "merged_from")),
            agreements=project.agreements.select_related("upgrades").prefetch_related(
                Prefetch("clauses", queryset=IncentiveClause.objects.order_by("id"))
            ),
            investor_changes=project.investor_changes.select_related("from_investor", "to_investor", "actor"),
            entries=entries,
            totals=totals,
            chart={
                "months": [row["month"].strftime("%Y-%m") for row in monthly],
                "amount": [str(row["amount_wan"]) for row in monthly],
                "outside": [str(row["outside_province_wan"]) for row in monthly],
                "cumulative": [str(value) for value in cumulative],
                # the tooltips, written by the one formatting helper
                "amount_text": [wan(row["amount_wan"]) for row in monthly],
                "outside_text": [wan(row["outside_province_wan"]) for row in monthly],
                "cumulative_text": [wan(value) for value in cumulative],
            },
            duplicates=services.project_duplicates(
                name=project.name, county=project.county, investor=project.investor, exclude=project, user=user
            )
            if not project.is_merged
            else [],
            merged_projects=[p for p in related if p.merged_into_id == project.pk],
            children=[p for p in related if p.parent_id == project.pk and p.merged_into_id is None],
            # The project is in scope; its history is shown to whoever may see it (as for parks).
            history=audit_history(user, project, limit=100),
            # The sending side of a completed transfer reads the project (``shared_scope``); only its holder edits.
            holds=holds,
            can_change=user.has_perm("projects.change_project") and not project.is_merged and holds,
            can_fund=user.has_perm("projects.add_fundingentry") and not project.is_merged and holds,
            can_transfer=holds
            and user.has_perm("projects.add_transfer")
            and not project.is_merged
            and not any(t.is_open for t in transfers),
            transfers=transfers,
            can_approve=user.has_perm("projects.approve_fundingentry"),
            can_add=user.has_perm("projects.add_project"),
            detail_panels=panels_for("project_detail", self.request, project=project),
            admission_decisions=project.admission_decisions.select_related("decided_by"),
            decisions=project.decisions.select_related("agreement", "clause", "recorded_by").prefetch_related(
                "participants"
            ),
            can_decide=user.has_perm("projects.add_decisionrecord") and not project.is_merged,
        )
        return context


def admission_panel(*, user, admission, data, project=None) -> dict:
    """Context of the live panel: the check, plus one-click fills for an empty 重点产业 / 行业分类 field. On an edit
    page, whether the typed admission facts are the saved ones (then saving does not check again: never blocked)."""
    context = {"admission": admission, "can_override": user.has_perm("projects.override_admission")}
    if admission is None:
        return context
    if project is not None:
        context["facts_unchanged"] = typed_admission_key(user=user, data=data, project=project) == (
            project_admission_key(project)
        )
        context["recorded_verdict"] = project.get_admission_verdict_display() or "未检查"
    top = admission.industries[0] if admission.kind == "key" and admission.industries else None
    if top and not data.get("key_industry"):
        context["suggested_industry"] = KeyIndustry.objects.filter(name=top["name"]).first()
    classes = {c.code: c for c in IndustryClass.objects.small_classes().filter(code__in=admission.gbt)}
    context["gbt"] = [classes.get(code) or {"code": code, "name": ""} for code in admission.gbt]
    if classes and not data.get("industry_class"):
        context["suggested_class"] = next(classes[code] for code in admission.gbt if code in classes)
    if project is not None and admission.verdict == AdmissionVerdict.REJECT:
        latest = project.admission_decisions.select_related("decided_by").first()
        if latest and latest.overridden and set(admission.rules) <= set(latest.rules):
            context["covering_override"] = latest
    return context


def typed_facts(*, user, data, project=None) -> dict:
    """The admission facts typed on the project form (a change form has no investor field: the project's). A class
    the system suggested and the officer left as it is, is not a fact the check reads (``admission_apply``)."""
    form = AdmissionPreviewForm(data, user=user)
    facts = form.facts()
    facts.setdefault("industry_class", form.cleaned_data.get("industry_class"))
    if project is not None:
        facts.update(investor_name=project.investor.name, investor_credit_code=project.investor.credit_code)
        if project.class_suggested and facts.get("industry_class") == project.industry_class:
            facts["industry_class"] = None
    return facts


def typed_admission_key(*, user, data, project) -> tuple:
    """The admission facts typed on a project's edit form, comparable with the saved ones."""
    return admission_facts_key(**typed_facts(user=user, data=data, project=project))


def evaluate_typed(*, user, data, project=None):
    """The check over what the project form holds so far."""
    try:
        return services.admission_evaluate(**typed_facts(user=user, data=data, project=project))
    except ValidationError:
        return None


class ProjectAdmissionPreviewView(ScopedViewMixin, View):
    """The live classification and admission panel of the new-project form (HTMX posts the typed fields)."""

    model = Project
    scope_action = "add"
    http_method_names = ["post"]
    template_name = "projects/_admission_panel.html"
    project = None

    def post(self, request, *args, **kwargs):
        admission = evaluate_typed(user=request.user, data=request.POST, project=self.project)
        context = admission_panel(user=request.user, admission=admission, data=request.POST, project=self.project)
        return render(request, self.template_name, context)


class ProjectUpdateAdmissionPreviewView(ProjectAdmissionPreviewView):
    """The same panel on the edit form, for a project the user may change (404 outside the scope)."""

    scope_action = "change"

    def load(self, **kwargs) -> None:
        self.project = get_object_or_404(self.get_queryset().select_related("investor"), pk=kwargs["pk"])


class ProjectCreateView(ScopedFormView):
    model = Project
    scope_action = "add"
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    duplicates = ()

    def get_initial(self):
        initial = {"on": timezone.localdate()}
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit():
            found = Project.objects.for_user(self.request.user).filter(pk=parent).select_related("investor").first()
            if found is not None:
                initial.update(
                    parent=found.pk,
                    name=f"{found.name}（增资扩产）",
                    investor_name=found.investor.name,
                    county=found.county_id,
                    park=found.park_id,
                    key_industry=found.key_industry_id,
                    industry_class=found.industry_class_id,
                    source_province=found.source_province,
                )
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["duplicates"] = self.duplicates
        form = context["form"]
        parent = str(form["parent"].value() or "") if "parent" in form.fields else ""
        # What was posted, not yet validated: an id only when it is a number (a date there was a 500, issue 13).
        found = Project.objects.for_user(self.request.user).filter(pk=parent).first() if parent.isdigit() else None
        context["parent"] = found
        context.update(self.admission_context(form))
        return context

    def admission_context(self, form) -> dict:
        """The panel as the page is drawn: over what was typed (after a POST), else over the saved project."""
        user = self.request.user
        if form.is_bound:
            admission, data = evaluate_typed(user=user, data=form.data, project=self.object), form.data
        elif self.object is not None:
            project = self.object
            data = self.initial_facts(project)
            admission = evaluate_typed(user=user, data=data, project=project)
            data |= {"key_industry": project.key_industry_id, "industry_class": project.industry_class_id}
        else:
            admission, data = None, {}
        return admission_panel(user=user, admission=admission, data=data, project=self.object)

    @staticmethod
    def initial_facts(project: Project) -> dict:
        return {
            "name": project.name,
            "description": project.description,
            "agreed_investment_wan": project.agreed_investment_wan,
            "land_mu": project.land_mu,
            "expected_annual_tax_wan": project.expected_annual_tax_wan,
            "county": project.county_id,
            "park": project.park_id or "",
        }

    def admission_feedback(self, project: Project) -> None:
        if project.needs_collective_decision:
            messages.warning(self.request, "准入结论为“慎招”：项目已保存，并标记为需集体研判")
        elif project.admission_overridden:
            messages.warning(self.request, "准入结论为“不招”，已按记录的放行决定保存（已审计）")

    def override_reason(self, form) -> str:
        return form.cleaned_data.get("admission_override_reason", "")

    def flag_rejection(self, form) -> None:
        """A 不招 stops the save; an authorised user is pointed at the override field."""
        if "admission_override_reason" in form.fields and not self.override_reason(form):
            form.add_error("admission_override_reason", "如决定引进，请填写放行决定理由后再保存")

    def fields_of(self, data) -> dict:
        return {name: data[name] for name in PROJECT_FIELDS}

    def perform(self, form):
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=self.request.user,
                name=data["name"],
                investor_name=data["investor_name"],
                investor_credit_code=data["investor_credit_code"],
                county=data["county"],
                park=data["park"],
                on=data["on"],
                parent=data["parent"],
                admission_override_reason=self.override_reason(form),
                confirm_not_duplicate=data["confirm_not_duplicate"],
                **self.fields_of(data),
            )
        except services.LikelyDuplicate as error:
            self.duplicates = error.duplicates  # listed above the form, to check before ticking
            raise
        except services.AdmissionRejected:
            self.flag_rejection(form)
            raise
        messages.success(self.request, f"已登记项目：{project.name}")
        self.admission_feedback(project)
        return project


class ProjectUpdateView(ProjectCreateView):
    scope_action = "change"
    edits_object = True

    def perform(self, form):
        data = form.cleaned_data
        try:
            project = services.project_update(
                actor=self.request.user,
                project=self.object,
                name=data["name"],
                county=data["county"],
                park=data["park"],
                admission_override_reason=self.override_reason(form),
                **self.fields_of(data),
            )
        except services.AdmissionRejected:
            self.flag_rejection(form)
            raise
        messages.success(self.request, "已保存修改")
        self.admission_feedback(project)
        self.current_verdict_feedback(project)
        return project

    def current_verdict_feedback(self, project: Project) -> None:
        """The edit left the admission facts alone (so the recorded verdict stands) but today's rules judge them
        otherwise: say so, with the reasons."""
        current = evaluate_typed(user=self.request.user, data=self.initial_facts(project), project=project)
        if current is None or current.verdict in (AdmissionVerdict.PASS, project.admission_verdict):
            return
        recorded = project.get_admission_verdict_display() or "未检查"
        messages.warning(
            self.request,
            f"按现行准入规则，本项目结论为“{current.verdict_label}”（{'；'.join(current.blocking_reasons)}）。"
            f"本次修改未改变准入事实，未重新判定，记录的准入结论仍为“{recorded}”；"
            "修改名称、简介、投资额、用地、年税收、行业分类、县市区或园区时将按现行规则重新检查。",
        )


class ProjectActionView(ScopedFormView):
    """A form that acts on one project the user may change (transition, agreement, 换业主, merge)."""

    model = Project
    scope_action = "change"
    template_name = "projects/action_form.html"
    title = ""
    submit_label = "保存"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, submit_label=self.submit_label)
        return context


class ProjectTransitionView(ProjectActionView):
    form_class = TransitionForm
    title = "变更项目阶段"
    submit_label = "确认变更"

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        project = services.project_advance(
            project=self.object, to=data["to"], actor=self.request.user, on=data["on"], note=data["note"]
        )
        messages.success(self.request, f"项目已进入“{project.get_stage_display()}”阶段")
        return project


class AgreementCreateView(ProjectActionView):
    form_class = AgreementForm
    template_name = "projects/agreement_form.html"
    title = "录入投资协议"

    def get_initial(self):
        return {"kind": AgreementKind.CONTRACT, "signed_on": timezone.localdate()}

    def post(self, request, *args, **kwargs):
        self.clauses = ClauseFormSet(request.POST, prefix="clauses")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clauses"] = getattr(self, "clauses", None) or ClauseFormSet(prefix="clauses")
        return context

    def form_valid(self, form):
        if not self.clauses.is_valid():
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form):
        data = form.cleaned_data
        agreement = services.agreement_create(
            actor=self.request.user,
            project=self.object,
            kind=data["kind"],
            signed_on=data["signed_on"],
            amount_wan=data["amount_wan"],
            term_years=data["term_years"],
            note=data["note"],
            upgrades=data["upgrades"],
            clauses=[clause for clause in self.clauses.cleaned_data if clause],
        )
        messages.success(self.request, f"已录入协议：{agreement}")
        return agreement.project


class InvestorChangeView(ProjectActionView):
    form_class = InvestorChangeForm
    title = "换业主（变更投资方）"
    submit_label = "确认变更投资方"

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        change = services.project_change_investor(
            actor=self.request.user,
            project=self.object,
            investor_name=data["investor_name"],
            credit_code=data["credit_code"],
            on=data["on"],
            note=data["note"],
        )
        messages.success(self.request, f"投资方已变更为：{change.to_investor}")
        return change.project


class ProjectMergeView(ProjectActionView):
    form_class = MergeForm
    title = "合并重复项目"
    submit_label = "确认合并"

    def get_initial(self):
        survivor = self.request.GET.get("into")
        return {"survivor": survivor} if survivor and survivor.isdigit() else {}

    def perform(self, form):
        survivor = services.project_merge(
            actor=self.request.user,
            duplicate=self.object,
            survivor=form.cleaned_data["survivor"],
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, f"已将“{self.object.name}”合并入本项目，两者的记录均已保留")
        return survivor
