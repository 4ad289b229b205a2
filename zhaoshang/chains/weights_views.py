"""The 靶向寻商 weights page of a chain: the five factor weights (data per chain, summing to 1), edited by the
province (``chains.approve_industrychain``: the province approves a chain's versions and sets how its candidates
are scored; an industry department revises structures but not the scoring), with every earlier version."""

from django.contrib import messages
from django.urls import reverse

from zhaoshang.chains import targeting_services as services
from zhaoshang.chains.forms import WeightsForm
from zhaoshang.chains.models import IndustryChain
from zhaoshang.chains.targeting import FACTOR_LABELS, FACTORS, weights_for
from zhaoshang.chains.weights import weights_versions
from zhaoshang.core.views import ScopedFormView


class WeightsView(ScopedFormView):
    model = IndustryChain
    scope_action = "approve"
    edits_object = True
    form_class = WeightsForm
    template_name = "chains/weights.html"

    def object_initial(self) -> dict:
        return weights_for(self.object.targeting_weights)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = weights_versions(self.object)
        context.update(
            chain=self.object,
            title=f"{self.object}：靶向寻商评分权重",
            versions=[(v, [v.weights[code] for code in FACTORS]) for v in versions],
            factor_labels=FACTOR_LABELS,
        )
        return context

    def perform(self, form):
        chain = services.targeting_weights_set(actor=self.request.user, chain=self.object, weights=form.weights())
        messages.success(self.request, "评分权重已保存，靶向寻商排名按新权重重新计算")
        return chain

    def get_success_url_for(self, saved):
        return reverse("chains:weights", args=[saved.pk])
