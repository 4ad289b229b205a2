"""Versions, placements and their audit rows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhaoshang.chains import services
from zhaoshang.chains.choices import AuditAction, ChainStatus, Decision, Origin
from zhaoshang.chains.models import ChainNode, EnterpriseNodeLink, IndustryChain, ProjectNodeLink
from zhaoshang.chains.selectors import area_of, diagnosis_for
from zhaoshang.chains.tests.world import YEAR, make_enterprise, make_project, node
from zhaoshang.core.models import AuditLog
from zhaoshang.core.scope import OutOfScope
from zhaoshang.core.testing import persona
from zhaoshang.regions.models import Region


def audit_rows(action):
    return AuditLog.objects.filter(action=action).count()


def test_loading_the_shipped_chains_twice_creates_them_once(chains):
    assert len(chains) == 15
    assert IndustryChain.objects.count() == 15
    assert services.chains_load_shipped(actor=None) == (0, 0)
    assert ChainNode.objects.filter(chain=chains["green_silicon"]).count() >= 25


def test_a_changed_shipped_file_brings_a_new_version_unless_administrators_revised_it(chains, monkeypatch):
    import dataclasses

    from zhaoshang.chains import reference

    original = reference.shipped_chains()

    def changed():
        return [dataclasses.replace(c, name=c.name + "（新版）") if c.code == "tobacco" else c for c in original]

    monkeypatch.setattr(services.versions, "shipped_chains", changed)
    assert services.chains_load_shipped(actor=None) == (0, 1)
    tobacco = IndustryChain.objects.current().get(code="tobacco")
    assert tobacco.version == 2 and tobacco.name.endswith("（新版）")
    assert IndustryChain.objects.get(code="tobacco", version=1).status == ChainStatus.RETIRED
    # an administrator's own version is kept
    draft = services.chain_draft_create(actor=persona("province_admin"), chain=tobacco)
    services.chain_approve(actor=persona("province_admin"), chain=draft)
    monkeypatch.setattr(
        services.versions, "shipped_chains", lambda: [dataclasses.replace(c, source="再改") for c in changed()]
    )
    services.chains_load_shipped(actor=None)
    assert IndustryChain.objects.current().get(code="tobacco").version == 3


def test_an_edit_goes_into_a_new_version_and_never_changes_a_past_diagnosis(world):
    admin = persona("province_admin")
    silicon = world.silicon
    area = area_of(Region.objects.get(code="532300"))
    before = diagnosis_for(chain=silicon, area=area, year=YEAR).result
    draft = services.chain_draft_create(actor=admin, chain=silicon, revision_note="调整阈值和关键环节")
    assert draft.version == 2 and draft.status == ChainStatus.DRAFT and draft.based_on == silicon
    with pytest.raises(ValidationError):
        services.node_update(actor=admin, node=node(silicon, "pv_glass"), name="改名")  # the current version
    services.node_update(actor=admin, node=node(draft, "pv_glass"), name="光伏玻璃（含背板玻璃）", is_key_link=False)
    services.chain_update(actor=admin, chain=draft, thresholds={"strong_lq": 5})
    services.node_create(
        actor=admin, chain=draft, parent=node(draft, "pv_aux"), key="pv_tape", name="光伏胶带", keywords="光伏胶带"
    )
    approved = services.chain_approve(actor=admin, chain=draft)
    silicon.refresh_from_db()
    assert approved.status == ChainStatus.CURRENT and silicon.status == ChainStatus.RETIRED
    # the old version is as it was, and its diagnosis is the same
    assert node(silicon, "pv_glass").name == "光伏玻璃" and node(silicon, "pv_glass").is_key_link
    again = diagnosis_for(chain=silicon, area=area, year=YEAR).result
    assert [n.as_dict() for n in again.nodes] == [n.as_dict() for n in before.nodes]
    # the placements came along by node key
    assert (
        EnterpriseNodeLink.objects.filter(node__chain=approved).count()
        == EnterpriseNodeLink.objects.filter(node__chain=silicon).count()
    )
    assert audit_rows(AuditAction.DRAFT) == 1 and audit_rows(AuditAction.APPROVE) == 1
    assert audit_rows(AuditAction.EDIT) == 3


def test_only_the_province_approves_and_one_draft_at_a_time(chains):
    tobacco = chains["tobacco"]
    draft = services.chain_draft_create(actor=persona("province_admin"), chain=tobacco)
    with pytest.raises(ValidationError, match="已有修订中的草稿"):
        services.chain_draft_create(actor=persona("province_admin"), chain=tobacco)
    with pytest.raises(PermissionDenied):
        services.chain_approve(actor=persona("chuxiong_officer"), chain=draft)


def test_a_node_below_a_product_is_refused(chains):
    draft = services.chain_draft_create(actor=persona("province_admin"), chain=chains["tobacco"])
    with pytest.raises(ValidationError):
        services.node_create(
            actor=persona("province_admin"), chain=draft, parent=node(draft, "cigar"), key="x", name="x"
        )


def test_automatic_placement_keeps_an_officers_decision(world):
    officer = persona("lufeng_officer")
    link = ProjectNodeLink.objects.get(project=world.projects["lufeng_ingot"], node__key="ingot")
    assert link.origin == Origin.AUTO and link.decision == Decision.CONFIRMED
    services.placement_decide(actor=officer, decision=Decision.REJECTED, project_links=[link.pk], note="实为切片")
    summary = services.placement_run(
        actor=None,
        enterprises=None,
        projects=world.projects["lufeng_ingot"].__class__.objects.filter(pk=world.projects["lufeng_ingot"].pk),
    )
    link.refresh_from_db()
    assert link.decision == Decision.REJECTED and link.origin == Origin.OFFICER and link.decided_by == officer
    assert summary.kept >= 1
    assert audit_rows(AuditAction.DECIDE) == 1


def test_a_confirmation_is_strong_evidence(world):
    link = EnterpriseNodeLink.objects.filter(decision=Decision.UNCERTAIN).first()
    if link is None:
        enterprise = make_enterprise("测试电机有限公司")
        services.placement_run(
            actor=None, enterprises=enterprise.__class__.objects.filter(pk=enterprise.pk), projects=None
        )
        link = EnterpriseNodeLink.objects.get(enterprise=enterprise, node__key="motor")
    services.placement_decide(
        actor=persona("chuxiong_officer"), decision=Decision.CONFIRMED, enterprise_links=[link.pk]
    )
    link.refresh_from_db()
    assert (link.decision, link.strength, link.origin) == (Decision.CONFIRMED, "strong", Origin.OFFICER)


def test_an_officer_cannot_decide_on_a_project_outside_the_jurisdiction(world):
    link = ProjectNodeLink.objects.filter(project=world.projects["kunming_module"]).first()
    with pytest.raises(OutOfScope):
        services.placement_decide(actor=persona("lufeng_officer"), decision=Decision.REJECTED, project_links=[link.pk])
    link.refresh_from_db()
    assert link.origin == Origin.AUTO


def test_a_placement_run_writes_one_audit_row(world):
    count = audit_rows(AuditAction.PLACE)
    project = make_project(name="禄丰光伏玻璃项目", county="532302", investor=world.enterprises["glass"])
    services.placement_run(
        actor=persona("lufeng_officer"), enterprises=None, projects=project.__class__.objects.filter(pk=project.pk)
    )
    assert audit_rows(AuditAction.PLACE) == count + 1
    assert ProjectNodeLink.objects.filter(project=project, node__key="pv_glass", node__chain=world.silicon).exists()


def test_a_project_created_or_changed_through_the_services_is_placed_at_once(chains):
    from datetime import date

    from zhaoshang.projects.services import project_create, project_update

    officer = persona("lufeng_officer")
    lufeng = Region.objects.get(code="532302")
    project = project_create(
        actor=officer,
        name="年产5万吨高纯多晶硅项目",
        investor_name="挂链测试硅业有限公司",
        county=lufeng,
        on=date(2025, 3, 1),
        description="建设多晶硅还原炉生产线",
    )
    keys = set(ProjectNodeLink.objects.filter(project=project).values_list("node__key", flat=True))
    assert keys, "a new project is placed without waiting for load_chains"
    project_update(actor=officer, project=project, name="年产10万吨光伏玻璃项目", county=lufeng, description="光伏玻璃")
    changed = set(ProjectNodeLink.objects.filter(project=project).values_list("node__key", flat=True))
    assert changed and changed != keys
