"""Issue 11 item 8: a classification suggestion is taken when the officer leaves the industry empty (and shown as
taken); one the officer chooses is theirs; the main product decides, not a by-product."""

from datetime import date

import pytest

from zhaoshang.catalog.models import KeyIndustry
from zhaoshang.core.testing import persona
from zhaoshang.projects import services
from zhaoshang.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return persona("lufeng_officer")


@pytest.fixture
def lufeng():
    return Region.objects.get(code="532302")


def create(officer, lufeng, name, description="", **fields):
    return services.project_create(
        actor=officer, name=name, description=description, investor_name="云南某某科技有限公司", county=lufeng,
        on=date(2025, 3, 1), **fields,
    )  # fmt: skip


def test_an_empty_industry_takes_the_suggestion_and_says_so(officer, lufeng, as_persona):
    project = create(officer, lufeng, "年产10GW N型TOPCon电池片项目")
    assert project.key_industry.name == "绿色硅" and project.industry_suggested
    assert project.industry_class is not None and project.class_suggested
    page = as_persona("lufeng_officer").get(f"/projects/{project.pk}/").content.decode()
    assert 'id="industry-suggested"' in page and "系统建议" in page


def test_an_industry_the_officer_chooses_is_theirs(officer, lufeng):
    digital = KeyIndustry.objects.get(name="数字经济")
    project = create(officer, lufeng, "年产10GW N型TOPCon电池片项目", key_industry=digital)
    assert project.key_industry == digital and not project.industry_suggested
    project = services.project_update(
        actor=officer, project=project, name=project.name, county=lufeng, key_industry=None, jobs=10
    )
    assert project.key_industry.name == "绿色硅" and project.industry_suggested  # cleared: suggested again
    chosen = KeyIndustry.objects.get(name="新材料")
    project = services.project_update(
        actor=officer, project=project, name=project.name, county=lufeng, key_industry=chosen, jobs=10
    )
    assert project.key_industry == chosen and not project.industry_suggested


def test_a_by_product_does_not_decide_the_suggested_industry(officer, lufeng):
    project = create(
        officer, lufeng, "日产4500吨水泥熟料生产线技改项目", "现有熟料线配套建设9MW纯低温余热发电，不新增产能"
    )
    assert project.key_industry is None or project.key_industry.name != "绿色能源"


def test_an_import_job_fills_the_empty_industries_as_the_form_does(officer):
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.services.admission import projects_suggest_industries

    lufeng = Region.objects.get(code="532302")
    empty = create(officer, lufeng, "临时项目", key_industry=None)
    Project.objects.filter(pk=empty.pk).update(
        name="年产10GW N型TOPCon电池片项目", key_industry=None, industry_class=None, industry_suggested=False
    )
    assert projects_suggest_industries(actor=officer, project_ids=[empty.pk]) == 1
    empty.refresh_from_db()
    assert empty.key_industry.name == "绿色硅" and empty.industry_suggested and empty.class_suggested
    assert projects_suggest_industries(actor=officer, project_ids=[empty.pk]) == 0
