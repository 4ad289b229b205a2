"""The rows of the project list, written in Python: a page of 50 projects took some 500 ``{% if %}`` and 600
variable nodes through the template engine, more than half of the page's Python time (bench/project_list_bench.py).
The HTML is the one the template wrote before, escaped the same way."""

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from zhaoshang.projects.choices import Stage

register = template.Library()

FLAGS = (
    ("stalled", '<span class="badge text-bg-danger">停滞</span>'),
    (
        "needs_collective_decision",
        '<span class="badge text-bg-warning collective-badge" title="准入结论为慎招">需集体研判</span>',
    ),
    (
        "admission_overridden",
        '<span class="badge text-bg-danger" title="准入结论为不招，已记录放行决定">不招·已放行</span>',
    ),
    ("is_global500", '<span class="badge text-bg-primary">世界500强</span>'),
    ("is_china500", '<span class="badge text-bg-primary">中国500强</span>'),
    ("is_private500", '<span class="badge text-bg-primary">民营500强</span>'),
)


def _stage_badge(project) -> str:
    colour = "secondary" if project.stage == Stage.TERMINATED else "success" if project.is_signed else "warning"
    return f'<span class="badge text-bg-{colour}">{escape(project.get_stage_display())}</span>'


def _row(project, detail_url: str) -> str:
    park = f'<div class="small text-muted">{escape(project.park.name)}</div>' if project.park_id else ""
    increase = ' <span class="badge text-bg-info">增资扩产</span>' if project.parent_id else ""
    industry = project.key_industry.name if project.key_industry_id else "非重点产业"
    signed = project.first_signed_on.strftime("%Y-%m-%d") if project.first_signed_on else ""
    flags = "".join(html for attribute, html in FLAGS if getattr(project, attribute))
    return (
        f'<tr data-county="{escape(project.county.code)}"><td>{project.pk}</td>'
        f'<td><a href="{detail_url}">{escape(project.name)}</a>{increase}</td>'
        f'<td class="small">{escape(project.investor.name)}</td><td class="small">{escape(industry)}</td>'
        f'<td class="project-county">{escape(project.county.name)}{park}</td>'
        f'<td class="text-end">{localize(project.agreed_investment_wan)}</td>'
        f"<td>{_stage_badge(project)}</td><td>{signed}</td>"
        f'<td class="small">{flags}</td></tr>'
    )


PK_SLOT = 987654321  # reversed once, then replaced by each row's id: one ``reverse`` per page, not one per row


@register.simple_tag
def project_rows(projects) -> str:
    url = reverse("projects:project_detail", args=[PK_SLOT])
    rows = [_row(p, url.replace(str(PK_SLOT), str(p.pk))) for p in projects]
    return mark_safe("\n".join(rows) or '<tr><td colspan="9" class="text-muted">没有符合条件的项目</td></tr>')
