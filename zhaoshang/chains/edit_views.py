"""Revising a chain: the structure page of a version, drafting a new version, editing its nodes, flows and
thresholds, approving it. Only drafts change (``services``); current and past versions stay as they were."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from zhaoshang.chains import services
from zhaoshang.chains.forms import ChainForm, FlowForm, NodeForm
from zhaoshang.chains.models import ChainFlow, ChainNode, IndustryChain
from zhaoshang.chains.reference import default_thresholds
from zhaoshang.chains.selectors import chain_nodes
from zhaoshang.core.views import ScopedFormView, ScopedPageView, ScopedViewMixin

NODE_EDIT_FIELDS = services.NODE_FIELDS


def structure_url(chain: IndustryChain) -> str:
    return reverse("chains:structure", args=[chain.pk])


class StructureView(ScopedPageView):
    """A version's nodes (with their words), flows and the list of versions; the editing controls on a draft."""

    permission_required = "chains.view_industrychain"
    template_name = "chains/structure.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        chain = get_object_or_404(IndustryChain.objects.for_user(user), pk=kwargs["pk"])
        context.update(
            chain=chain,
            nodes=chain_nodes(chain),
            flows=ChainFlow.objects.filter(chain=chain).select_related("source", "target").order_by("id"),
            versions=IndustryChain.objects.filter(code=chain.code)
            .annotate(node_count=Count("nodes"))
            .select_related("approved_by")
            .order_by("-version"),
            draft=IndustryChain.objects.filter(code=chain.code, status="draft").first(),
            editor=user.has_perm("chains.change_industrychain"),
            approver=user.has_perm("chains.approve_industrychain"),
            threshold_rows=[(k, chain.thresholds.get(k, v)) for k, v in default_thresholds().items()],
        )
        return context


class ChainActionView(ScopedViewMixin, View):
    """A POST on a chain version (draft, approve, delete a draft); errors come back as messages."""

    model = IndustryChain
    scope_action = "change"
    http_method_names = ["post"]

    def load(self, **kwargs):
        self.object = get_object_or_404(
            IndustryChain.objects.for_user(self.request.user, self.scope_action), pk=kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        try:
            target = self.perform()
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            target = self.object
        return HttpResponseRedirect(structure_url(target))

    def perform(self) -> IndustryChain:
        raise NotImplementedError


class DraftCreateView(ChainActionView):
    def perform(self):
        draft = services.chain_draft_create(
            actor=self.request.user, chain=self.object, revision_note=self.request.POST.get("revision_note", "")[:300]
        )
        messages.success(self.request, f"已新建第{draft.version}版草稿，修改后提交审定")
        return draft


class ApproveView(ChainActionView):
    scope_action = "approve"

    def perform(self):
        chain = services.chain_approve(actor=self.request.user, chain=self.object)
        messages.success(self.request, f"第{chain.version}版已审定为现行版本；原版本保留为历史版本")
        return chain


class DraftDeleteView(ChainActionView):
    def perform(self):
        based_on = self.object.based_on or IndustryChain.objects.filter(code=self.object.code).current().first()
        services.chain_draft_delete(actor=self.request.user, chain=self.object)
        messages.success(self.request, "草稿已删除")
        return based_on


class ChainUpdateView(ScopedFormView):
    model = IndustryChain
    scope_action = "change"
    edits_object = True
    form_class = ChainForm
    template_name = "chains/form.html"

    def object_initial(self) -> dict:
        chain = self.object
        initial = {
            name: getattr(chain, name) for name in ("name", "short_name", "source", "description", "revision_note")
        }
        for key, default in default_thresholds().items():
            initial[f"t_{key}"] = chain.thresholds.get(key, default)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(chain=self.object, title=f"修订 {self.object}：名称、依据和诊断分级阈值")
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.chain_update(
            actor=self.request.user,
            chain=self.object,
            name=data["name"],
            short_name=data["short_name"],
            source=data["source"],
            description=data["description"],
            revision_note=data["revision_note"],
            thresholds=form.thresholds(),
        )

    def get_success_url_for(self, saved):
        return structure_url(saved)


class NodeCreateView(ScopedFormView):
    model = IndustryChain
    scope_action = "change"
    form_class = NodeForm
    template_name = "chains/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["chain"] = self.object
        return kwargs

    def get_initial(self):
        parent = self.request.GET.get("parent")
        return (
            {"parent": parent, "value_tier": "medium", "seq": 100} if parent else {"value_tier": "medium", "seq": 100}
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(chain=self.object, title=f"新增节点（{self.object}）")
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        parent, key, name = data.pop("parent"), data.pop("key"), data.pop("name")
        return services.node_create(
            actor=self.request.user, chain=self.object, parent=parent, key=key, name=name, **data
        )

    def get_success_url_for(self, saved):
        return structure_url(saved.chain)


class NodeScopedMixin:
    """The object is a node of a chain the user may change (the permission is the chain's)."""

    model = IndustryChain
    scope_action = "change"

    def get_object(self):
        chains = IndustryChain.objects.for_user(self.request.user, self.scope_action)
        return get_object_or_404(
            ChainNode.objects.filter(chain__in=chains).select_related("chain", "parent"), pk=self.kwargs["pk"]
        )


class NodeUpdateView(NodeScopedMixin, ScopedFormView):
    edits_object = True
    form_class = NodeForm
    template_name = "chains/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = True
        return kwargs

    def object_initial(self) -> dict:
        return {name: getattr(self.object, name) for name in NODE_EDIT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(chain=self.object.chain, title=f"修改节点“{self.object.name}”（{self.object.chain}）")
        return context

    def perform(self, form):
        return services.node_update(actor=self.request.user, node=self.object, **form.cleaned_data)

    def get_success_url_for(self, saved):
        return structure_url(saved.chain)


class NodeDeleteView(NodeScopedMixin, ScopedViewMixin, View):
    http_method_names = ["post"]

    def load(self, **kwargs):
        self.object = self.get_object()

    def post(self, request, *args, **kwargs):
        chain = self.object.chain
        try:
            services.node_delete(actor=request.user, node=self.object)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(structure_url(chain))


class FlowCreateView(ScopedFormView):
    model = IndustryChain
    scope_action = "change"
    form_class = FlowForm
    template_name = "chains/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["chain"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(chain=self.object, title=f"新增供给关系（{self.object}）")
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.flow_create(
            actor=self.request.user, chain=self.object, source=data["source"], target=data["target"], note=data["note"]
        )

    def get_success_url_for(self, saved):
        return structure_url(saved.chain)


class FlowDeleteView(ScopedViewMixin, View):
    model = IndustryChain
    scope_action = "change"
    http_method_names = ["post"]

    def load(self, **kwargs):
        chains = IndustryChain.objects.for_user(self.request.user, self.scope_action)
        self.object = get_object_or_404(
            ChainFlow.objects.filter(chain__in=chains).select_related("chain"), pk=kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        chain = self.object.chain
        try:
            services.flow_delete(actor=request.user, flow=self.object)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(structure_url(chain))
