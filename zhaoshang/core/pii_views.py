"""个人信息访问查询: the audit administrator asks whose personal information an account saw or exported."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from zhaoshang.core.forms import DateInput
from zhaoshang.core.models import AuditLog
from zhaoshang.core.pii_access import pii_access
from zhaoshang.core.views import ScopedListView


class PiiAccessForm(forms.Form):
    username = forms.CharField(label="账号", max_length=150, widget=forms.TextInput(attrs={"class": "form-control"}))
    date_from = forms.DateField(label="起始日期", widget=DateInput(attrs={"class": "form-control"}))
    date_to = forms.DateField(label="截止日期（含）", widget=DateInput(attrs={"class": "form-control"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError("截止日期早于起始日期")
        return data


class PiiAccessView(ScopedListView):
    """The audit rows of the reader's scope (``for_user``), read as one line per person whose information the
    account saw in full or exported. Who may read the audit trail may ask."""

    model = AuditLog
    template_name = "core/pii_access.html"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().none()  # the answer is ``accesses`` below, not a list of rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PiiAccessForm(self.request.GET or None)
        context.update(form=form, can_export=False, accesses=None)
        if form.is_bound and form.is_valid():
            start = timezone.make_aware(datetime.combine(form.cleaned_data["date_from"], time.min))
            end = timezone.make_aware(datetime.combine(form.cleaned_data["date_to"], time.min)) + timedelta(days=1)
            context["accesses"] = pii_access(
                username=form.cleaned_data["username"].strip(),
                start=start,
                end=end,
                queryset=AuditLog.objects.for_user(self.request.user, self.scope_action),
            )
        return context
