"""靶向寻商 pages: the targeting page of a region (filters, ranked table, explanation panel per candidate, export), a
candidate's page (every region it fits, its signals and outcomes, and the actions: 纳入目标库 with an owner, 安排活动,
生成线索, 记录结果), the outcomes and the conversion report. Regions come through ``area_lookup`` (404 outside)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.choices import ChainAction, OutcomeStatus
from zhaoshang.chains.forms import StyledForm
from zhaoshang.chains.models import ChainNode, IndustryChain, Signal, TargetOutcome
from zhaoshang.chains.selectors import Area, area_lookup, areas_for_user, chain_list, user_home_area
from zhaoshang.chains.targeting import FACTOR_LABELS
from zhaoshang.chains.targeting_reports import candidate_regions, conversion_report
from zhaoshang.chains.targeting_selectors import latest_outcomes, targeting_for
from zhaoshang.chains.views import requested_year
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.core.excel import workbook_bytes, xlsx_response
from zhaoshang.core.forms import DateField
from zhaoshang.core.views import ScopedPageView

PAGE_SIZE = 50


def chain_by_param(value: str) -> IndustryChain | None:
    value = (value or "").strip()
    rows = IndustryChain.objects.current()
    if not value:
        return rows.filter(code="green_silicon").first() or rows.first()
    if value.isdigit():
        return IndustryChain.objects.filter(pk=int(value)).first()
    from django.db.models import Q

    return rows.filter(Q(code=value) | Q(name=value) | Q(short_name=value)).first()


def node_by_param(chain: IndustryChain, value: str) -> ChainNode | None:
    value = (value or "").strip()
    if not value:
        return None
    rows = ChainNode.objects.filter(chain=chain)
    node = rows.filter(pk=int(value)).first() if value.isdigit() else None
    node = node or rows.filter(name=value).first() or rows.filter(key=value).first()
    if node is None:
        raise Http404("该产业链没有这个节点")
    return node


class AreaMixin(ScopedPageView):
    permission_required = "chains.view_industrychain"

    def area(self, code: str | None = None) -> Area:
        code = (code if code is not None else self.request.GET.get("region") or "").strip()
        area = area_lookup(self.request.user, code) if code else user_home_area(self.request.user)
        if area is None:
            raise Http404("不在您的辖区范围内")
        return area


def targeting_rows(t) -> tuple[list[str], list[list]]:
    headers = ["排名", "企业", "统一社会信用代码", "股票代码", "得分", "增资扩产", "对应环节", "已开展", "推荐理由"]
    headers += [f"{label}（贡献）" for label in FACTOR_LABELS.values()]
    headers.append("评分权重版本")  # the export says which weights scored it, after they change
    version = t.weights_version.label if t.weights_version else ""
    rows = []
    for r in t.payload():
        rows.append(
            [
                r["rank"],
                r["enterprise"],
                r["credit_code"],
                r["stock_code"],
                r["score"],
                "是" if r["expansion"] else "",
                "、".join(r["nodes"]),
                r["outcome"],
                "；".join(r["reasons"]),
                *[f["contribution"] for f in r["factors"]],
                version,
            ]
        )
    return headers, rows


class TargetingView(AreaMixin):
    template_name = "chains/targeting.html"

    def get(self, request, *args, **kwargs):
        area = self.area()
        chain = chain_by_param(request.GET.get("chain", ""))
        if chain is None and not request.GET.get("chain"):  # the menu's link on a platform without chains yet
            return self.render_to_response(self.get_context_data(area=area, no_chains=True))
        if chain is None:
            raise Http404("没有这条产业链")
        node = node_by_param(chain, request.GET.get("node", ""))
        action = request.GET.get("action", "")
        year = requested_year(request.GET)
        t = targeting_for(chain=chain, area=area, year=year, node=node, action=action, user=request.user)
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("chains.export_industrychain"):
                raise PermissionDenied("您没有导出权限")
            headers, rows = targeting_rows(t)
            title = f"{area.name}{chain.short_name}靶向寻商候选企业"
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                obj=chain,
                object_repr=title,
                after={"format": "xlsx", "url": request.get_full_path(), "rows": len(rows)},
            )
            return xlsx_response(
                filename=f"{title}.xlsx", content=workbook_bytes(title=title, headers=headers, rows=rows)
            )
        try:
            page = max(int(request.GET.get("page") or 1), 1)
        except ValueError:
            page = 1
        start = (page - 1) * PAGE_SIZE
        context = self.get_context_data(
            t=t,
            area=area,
            chain=chain,
            node=node,
            action=action,
            year=year,
            rows=t.payload(PAGE_SIZE, start=start),
            page=page,
            pages=max((t.count + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            total=t.count,
            chains=chain_list(),
            nodes=ChainNode.objects.filter(chain=chain).order_by("level", "seq", "pk"),
            actions=[(v, label) for v, label in ChainAction.choices if v],
            areas=areas_for_user(request.user),
            factor_labels=FACTOR_LABELS,
            can_export=request.user.has_perm("chains.export_industrychain"),
        )
        return self.render_to_response(context)


# -- a candidate --------------------------------------------------------------------------------------------------
class FollowForm(StyledForm):
    owner = forms.ModelChoiceField(label="专人盯（责任人）", queryset=None)
    next_on = DateField(label="下次跟进日期", required=False)

    def setup(self, user):
        from zhaoshang.accounts.models import User
        from zhaoshang.core.scope import path_q

        node = getattr(user, "scope_path", "") or ""
        rows = User.objects.filter(is_active=True)
        if not user.is_superuser:
            rows = rows.filter(path_q("org_unit__path", node)) if node else rows.none()
        self.fields["owner"].queryset = rows.order_by("username")
        self.fields["owner"].label_from_instance = lambda u: f"{u}（{u.username}）"


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label="活动类型")
    title = forms.CharField(label="活动名称", max_length=200)
    start_on = DateField(label="日期")
    leader_level = forms.ChoiceField(label="领导级别", required=False, help_text="外出招商和会见客商须填写")

    def setup(self, user):
        from zhaoshang.investors.choices import ActivityKind, LeaderLevel

        self.fields["kind"].choices = ActivityKind.choices
        self.fields["leader_level"].choices = [("", "—")] + LeaderLevel.choices


class LeadForm(StyledForm):
    name = forms.CharField(label="线索名称", max_length=200)
    county = forms.ModelChoiceField(label="所在县（市、区）", queryset=None)
    on = DateField(label="登记日期")
    agreed_investment_wan = forms.DecimalField(label="拟投资额（万元）", required=False, min_value=0, decimal_places=2)
    land_mu = forms.DecimalField(label="用地需求（亩）", required=False, min_value=0, decimal_places=2)
    expected_annual_tax_wan = forms.DecimalField(
        label="预计年税收（万元）", required=False, min_value=0, decimal_places=2
    )
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self, user):
        from zhaoshang.regions.models import Region

        self.fields["county"].queryset = Region.objects.for_user(user, action=None).filter(level=3).order_by("code")


class OutcomeForm(StyledForm):
    status = forms.ChoiceField(label="结果", choices=OutcomeStatus.choices)
    note = forms.CharField(label="说明", max_length=300, required=False)


ACTS = {"follow": FollowForm, "activity": ActivityForm, "lead": LeadForm, "outcome": OutcomeForm}


class CandidateView(AreaMixin):
    template_name = "chains/candidate.html"

    def setup_objects(self):
        from zhaoshang.investors.models import Enterprise

        self.enterprise = get_object_or_404(Enterprise.objects.for_user(self.request.user), pk=self.kwargs["pk"])
        params = self.request.GET if self.request.method == "GET" else self.request.POST
        self.region_area = self.area(params.get("region"))
        self.chain = chain_by_param(params.get("chain", ""))
        self.node_key = (params.get("node_key") or "").strip()[:60]

    def forms(self, data=None, act=None):
        today = timezone.localdate()
        initial = {
            "lead": {"on": today, "name": f"{self.enterprise.name}{self.chain.short_name if self.chain else ''}项目"},
            "activity": {"start_on": today, "title": f"拜访{self.enterprise.name}"},
        }
        home = self.region_area
        if home.kind == "county":
            from zhaoshang.regions.models import Region

            initial["lead"]["county"] = Region.objects.filter(code=home.code).first()
        return {
            key: form(data if key == act else None, user=self.request.user, initial=initial.get(key), prefix=key)
            for key, form in ACTS.items()
        }

    def context(self, forms_by_act):
        from zhaoshang.regions.models import Region

        user = self.request.user
        home = user_home_area(user)
        if home is not None and home.kind in ("province", "prefecture"):
            areas = [home] + [
                Area(r.code, r.name, r.path, "prefecture" if r.level == 2 else "county")
                for r in Region.objects.for_user(user, action=None)
                .filter(path__startswith=home.path + "/", level=home.path.count("/") + 2)
                .order_by("code")
            ]
        else:
            areas = [home] if home else []
        chains = [self.chain] if self.chain else list(IndustryChain.objects.current())
        fits = candidate_regions(
            user=user, enterprise=self.enterprise, chains=chains, year=requested_year(self.request.GET), areas=areas
        )
        history = (
            TargetOutcome.objects.for_user(user)
            .filter(enterprise=self.enterprise)
            .select_related("region", "owner", "project", "activity", "created_by")
            .order_by("-created_at", "-id")
        )
        latest = latest_outcomes(user=user, area=self.region_area, enterprise_ids=[self.enterprise.pk])
        return self.get_context_data(
            enterprise=self.enterprise,
            area=self.region_area,
            chain=self.chain,
            node_key=self.node_key,
            fits=fits,
            history=history,
            latest=latest.get(self.enterprise.pk),
            signals=Signal.objects.for_user(user).filter(enterprise=self.enterprise).order_by("-on", "-id")[:20],
            forms=forms_by_act,
            can_act=user.has_perm("chains.add_targetoutcome"),
        )

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render_to_response(self.context(self.forms()))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        if not request.user.has_perm("chains.add_targetoutcome"):
            raise PermissionDenied("您没有记录靶向寻商结果的权限")
        act = request.POST.get("act", "")
        if act not in ACTS:
            raise Http404("未知操作")
        forms_by_act = self.forms(request.POST, act)
        form = forms_by_act[act]
        if form.is_valid():
            try:
                done = self.perform(act, form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, done)
                url = reverse("chains:candidate", args=[self.enterprise.pk])
                chain = f"&chain={self.chain.pk}" if self.chain else ""
                return HttpResponseRedirect(f"{url}?region={self.region_area.code}{chain}")
        return self.render_to_response(self.context(forms_by_act), status=400)

    def region(self):
        from zhaoshang.regions.models import Region

        region = Region.objects.for_user(self.request.user, action=None).filter(code=self.region_area.code).first()
        if region is None:
            raise ValidationError("园区层级暂不能记录寻商结果，请在所属县（市、区）记录")
        return region

    def perform(self, act: str, data: dict) -> str:
        common = {
            "actor": self.request.user,
            "region": self.region(),
            "enterprise": self.enterprise,
            "chain": self.chain,
            "node_key": self.node_key,
        }
        if act == "follow":
            services.candidate_follow(**common, owner=data["owner"], next_on=data.get("next_on"))
            return "已纳入目标企业库并指定专人盯"
        if act == "activity":
            services.candidate_plan_activity(
                **common,
                kind=data["kind"],
                title=data["title"],
                start_on=data["start_on"],
                leader_level=data.get("leader_level", ""),
            )
            return "已安排招商活动"
        if act == "lead":
            fields = {
                k: data[k]
                for k in ("agreed_investment_wan", "land_mu", "expected_annual_tax_wan", "description")
                if data.get(k) not in (None, "")
            }
            project = services.candidate_create_lead(
                **common, name=data["name"], county=data["county"], on=data["on"], **fields
            )
            return f"已生成线索：{project.name}"
        services.outcome_record(**common, status=data["status"], note=data.get("note", ""))
        return "已记录结果"


class OutcomeListView(AreaMixin):
    """The outcomes of a region (404 outside the user's scope), with export."""

    template_name = "chains/outcomes.html"
    permission_required = "chains.view_targetoutcome"

    def get(self, request, *args, **kwargs):
        area = self.area()
        rows = (
            TargetOutcome.objects.for_user(request.user)
            .filter(path=area.path)
            .select_related("enterprise", "owner", "project", "chain", "created_by")
            .order_by("-created_at", "-id")
        )
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("chains.export_targetoutcome"):
                raise PermissionDenied("您没有导出权限")
            headers = ["时间", "企业", "产业链", "结果", "专人盯", "线索/项目", "说明", "记录人"]
            data = [
                [
                    timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M"),
                    o.enterprise.name,
                    o.chain.short_name if o.chain else "",
                    o.get_status_display(),
                    str(o.owner) if o.owner else "",
                    o.project.name if o.project else "",
                    o.note,
                    o.created_by.username if o.created_by else "",
                ]
                for o in rows
            ]
            title = f"{area.name}靶向寻商结果"
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                object_type=TargetOutcome._meta.label,
                object_repr=title,
                after={"format": "xlsx", "url": request.get_full_path(), "rows": len(data)},
            )
            return xlsx_response(
                filename=f"{title}.xlsx", content=workbook_bytes(title=title, headers=headers, rows=data)
            )
        return self.render_to_response(
            self.get_context_data(area=area, rows=rows[:500], areas=areas_for_user(request.user))
        )


class ConversionReportView(AreaMixin):
    """Per region: candidates acted on, by outcome, and how many became leads and projects."""

    template_name = "chains/conversion.html"
    permission_required = "chains.view_targetoutcome"

    def get(self, request, *args, **kwargs):
        rows = conversion_report(user=request.user)
        if request.GET.get("export") == "xlsx":
            if not request.user.has_perm("chains.export_targetoutcome"):
                raise PermissionDenied("您没有导出权限")
            headers = [
                "地区",
                "候选企业（家）",
                *OutcomeStatus.labels,
                "生成线索（个）",
                "签约及以后（个）",
                "线索转化率（%）",
            ]
            data = [
                [
                    r["region"],
                    r["candidates"],
                    *[r[s] for s in OutcomeStatus.values],
                    r["leads"],
                    r["projects"],
                    r["lead_rate"],
                ]
                for r in rows
            ]
            audit_record(
                actor=request.user,
                action=Action.EXPORT,
                object_type=TargetOutcome._meta.label,
                object_repr="靶向寻商转化情况",
                after={"format": "xlsx", "url": request.get_full_path(), "rows": len(data)},
            )
            return xlsx_response(
                filename="靶向寻商转化情况.xlsx",
                content=workbook_bytes(title="靶向寻商转化情况", headers=headers, rows=data),
            )
        statuses = list(OutcomeStatus.choices)
        for r in rows:
            r["by_status"] = [r[s] for s, _ in statuses]
        return self.render_to_response(self.get_context_data(rows=rows, statuses=statuses))
