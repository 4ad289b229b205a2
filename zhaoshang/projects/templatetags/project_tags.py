"""The rows of the project list, written in Python from the values the list reads (``ProjectListView.page_fields``):
a page of 50 projects took some 500 ``{% if %}`` and 600 variable nodes through the template engine, and five model
instances a row, more than half of the page's Python time (bench/project_list_bench.py).

``html.escape`` is what Django's ``escape`` applies, without its lazy-string wrapper on every call."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from zhaoshang.core.formatting import figure
from zhaoshang.projects.choices import SIGNED_OR_LATER, Stage
from zhaoshang.projects.models import AdmissionVerdict

register = template.Library()

STAGE_LABELS = dict(Stage.choices)
PK_SLOT = 987654321  # reversed once, then replaced by each row's id: one ``reverse`` per page, not one per row


def _badge(colour: str, label: str, extra: str = "") -> str:
    return f'<span class="badge text-bg-{colour}{extra}">{label}</span>'


FLAG_BADGES = (
    _badge("danger", "停滞"),
    _badge("warning", "需集体研判", ' collective-badge" title="准入结论为慎招'),
    _badge("danger", "不招·已放行", '" title="准入结论为不招，已记录放行决定'),
    _badge("primary", "世界500强"),
    _badge("primary", "中国500强"),
    _badge("primary", "民营500强"),
)


def _flags(row: dict) -> str:
    shown = (
        row["stalled"],
        row["needs_collective_decision"],
        row["admission_verdict"] == AdmissionVerdict.REJECT,  # on the list, so taken by an authorised decision
        row["is_global500"],
        row["is_china500"],
        row["is_private500"],
    )
    return "".join(html for on, html in zip(shown, FLAG_BADGES, strict=True) if on)


def _stage(stage: str) -> str:
    colour = "secondary" if stage == Stage.TERMINATED else "success" if stage in SIGNED_OR_LATER else "warning"
    return _badge(colour, escape(STAGE_LABELS[stage]))


def _code(row: dict) -> str:
    """The officer's own 项目编号; the platform's number beneath it, labelled (the only one of a project entered on the
    platform without a code)."""
    own = f'<span class="project-code">{escape(row["external_code"])}</span>' if row["external_code"] else ""
    return f'{own}<div class="small text-muted">系统编号 {row["id"]}</div>'


def _row(row: dict, detail_url: str) -> str:
    park = f'<div class="small text-muted">{escape(row["park__name"])}</div>' if row["park__name"] else ""
    increase = f" {_badge('info', '增资扩产')}" if row["parent_id"] else ""
    signed = row["first_signed_on"].strftime("%Y-%m-%d") if row["first_signed_on"] else ""
    return (
        f'<tr data-county="{escape(row["county__code"])}"><td>{_code(row)}</td>'
        f'<td><a href="{detail_url}">{escape(row["name"])}</a>{increase}</td>'
        f'<td class="small">{escape(row["investor__name"])}</td>'
        f'<td class="small">{escape(row["key_industry__name"] or "非重点产业")}</td>'
        f'<td class="project-county">{escape(row["county__name"])}{park}</td>'
        f'<td class="text-end">{figure(row["agreed_investment_wan"])}</td>'
        f"<td>{_stage(row['stage'])}</td><td>{signed}</td>"
        f'<td class="small">{_flags(row)}</td></tr>'
    )


@register.simple_tag
def project_rows(rows) -> str:
    url = reverse("projects:project_detail", args=[PK_SLOT])
    html_rows = [_row(row, url.replace(str(PK_SLOT), str(row["id"]))) for row in rows]
    return mark_safe("\n".join(html_rows) or '<tr><td colspan="9" class="text-muted">没有符合条件的项目</td></tr>')
