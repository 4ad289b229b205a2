"""Admission (准入) in the project workflow: the check the create/update services run inside their transaction,
the live preview of the project form, and the recorded decisions.

The answers come from ``catalog.services`` (the same entry point as the commands and the catalog API), so the
form, the API and the batch commands agree. A ``reject`` (不招) stops the save unless a user holding
``projects.override_admission`` gives a reason, which is stored as an ``AdmissionDecision`` and audited; a
``review`` (慎招) saves, flags the project for collective decision and records the verdict."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from zhaoshang.catalog.admission import RULE_LABELS, ProjectFacts, get_checker
from zhaoshang.catalog.services import CHUNK, PayloadError, admission_check, text_classification
from zhaoshang.core.audit import audit_record
from zhaoshang.core.choices import Action
from zhaoshang.projects.hooks import projects_written
from zhaoshang.projects.models import AdmissionDecision, AdmissionVerdict, Project
from zhaoshang.projects.services.rollup import rollup_tracking

OVERRIDE_PERMISSION = "projects.override_admission"
MAX_REASON = 1000


@dataclass
class Admission:
    """The check of one set of project facts: verdict, rules that fired, Chinese reasons, and the classification
    (ranked key industries with their evidence, suggested GB/T 4754 small classes)."""

    verdict: str
    rules: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    industry: str = ""
    industries: list[dict] = field(default_factory=list)
    gbt: list[str] = field(default_factory=list)
    kind: str = ""
    override_reason: str = ""  # set by ``admission_apply`` when an authorised user takes a 不招 project

    @property
    def verdict_label(self) -> str:
        return AdmissionVerdict(self.verdict).label

    @property
    def rule_labels(self) -> list[tuple[str, str]]:
        return [(rule, RULE_LABELS.get(rule, rule)) for rule in self.rules]

    @property
    def blocking_reasons(self) -> list[str]:
        """The reasons of the rules that decided the verdict (the notes such as "未填写用地面积" are left out)."""
        return self.reasons[: len(self.findings)] if self.findings else self.reasons


class AdmissionRejected(ValidationError):
    """The check says 不招 and no authorised override was given. The API answers 409 with the reasons."""

    http_status = 409

    def __init__(self, admission: Admission, *, note: str = ""):
        self.admission = admission
        self.note = note
        headline = admission_refusal_text(admission, note=note, reasons=False)
        super().__init__({"admission": [headline, *admission.blocking_reasons]})

    def as_payload(self) -> dict:
        return {
            "detail": self.message_dict["admission"][0],
            "verdict": self.admission.verdict,
            "rules": self.admission.rules,
            "reasons": self.admission.reasons,
            "not_checked": self.admission.not_checked,
            "industry": self.admission.industry,
        }


def admission_refusal_text(admission: Admission, *, act: str = "保存", note: str = "", reasons: bool = True) -> str:
    """The one text of a 不招 refusal, for every channel: the form and the API say 不能保存, an import 不能导入."""
    text = f"准入检查结论为“不招”，不能{act}"
    if note:
        return f"{text}（{note}）。"
    if not reasons:
        return f"{text}。"
    unchecked = "".join(admission.not_checked)
    return f"{text}：{'；'.join(admission.blocking_reasons)}" + (f"（未检查：{unchecked}）" if unchecked else "")


def _amount(value) -> Decimal | None:
    """Money or area as the checker wants it; 0 (nothing entered yet, e.g. a 线索 before talks) is unknown."""
    if value in (None, ""):
        return None
    value = Decimal(value)
    return value if value > 0 else None


def admission_evaluate(
    *,
    name: str,
    description: str = "",
    investment_wan=None,
    land_mu=None,
    expected_annual_tax_wan=None,
    investor_name: str = "",
    investor_credit_code: str = "",
    county=None,
    park=None,
    industry_class=None,
    classify: bool = True,
) -> Admission | None:
    """Classify and check a project's facts (read-only). None while there is no name to check. With
    ``classify=False`` only the verdict, rules and reasons are given (the industry fields stay empty).

    Thresholds of 投资强度 / 亩均税收 are the park's, else the county's, prefecture's or province's; the investor
    is looked up in the 失信 register by credit code or name."""
    name = (name or "").strip()
    if not name:
        return None
    facts = ProjectFacts(
        name=name,
        description=description or "",
        total_investment_wan=_amount(investment_wan),
        land_mu=_amount(land_mu),
        expected_annual_tax_wan=_amount(expected_annual_tax_wan),
        industry_section=industry_class.section if industry_class is not None else "",
    )
    try:
        result = admission_check(
            facts,
            investor_name=investor_name or "",
            investor_credit_code=investor_credit_code or "",
            park_code=park.code if park is not None else "",
            region_code=county.code if county is not None else "",
        )
    except PayloadError as error:
        raise ValidationError({error.field: error.message}) from None
    checked = result.verdict_dict()
    admission = Admission(
        checked["verdict"], checked["rules"], checked["reasons"], checked["findings"], checked["not_checked"]
    )
    if classify:
        admission.industry = result.classification.top_name
        classified = text_classification(facts, result).as_dict()
        admission.industries = classified["industries"]
        admission.gbt, admission.kind = classified["gbt"], classified["kind"]
    return admission


def _covered_by_override(project: Project, admission: Admission) -> bool:
    """A project already taken by an override stays taken while the same rules fire: editing its other facts
    does not need a second decision. A new rule does."""
    if project.pk is None:
        return False
    latest = project.admission_decisions.order_by("-decided_at", "-id").first()
    return bool(latest and latest.overridden and set(admission.rules) <= set(latest.rules))


def admission_apply(
    *, actor, project: Project, override_reason: str = "", investor_name: str = "", investor_credit_code: str = ""
) -> Admission | None:
    """Run the check on a project about to be saved (inside the caller's transaction) and set its latest
    verdict. Raises ``AdmissionRejected`` for a 不招 without an authorised override. Returns the check, which
    ``admission_record`` stores after the project is saved. The investor is the project's unless named."""
    if not investor_name and project.investor_id:
        investor_name, investor_credit_code = project.investor.name, project.investor.credit_code
    admission = admission_evaluate(
        name=project.name,
        description=project.description,
        investment_wan=project.agreed_investment_wan,
        land_mu=project.land_mu,
        expected_annual_tax_wan=project.expected_annual_tax_wan,
        investor_name=investor_name,
        investor_credit_code=investor_credit_code,
        county=project.county,
        park=project.park,
        # A class the system suggested does not decide the land kind: only one the officer chose does.
        industry_class=None if project.class_suggested else project.industry_class,
    )
    if admission is None:
        return None
    override_reason = (override_reason or "").strip()
    if admission.verdict == AdmissionVerdict.REJECT and not _covered_by_override(project, admission):
        if not override_reason:
            raise AdmissionRejected(admission)
        if not actor.has_perm(OVERRIDE_PERMISSION):
            raise AdmissionRejected(admission, note="您没有放行“不招”项目的权限，须由州市或省级有权限的人员决定")
        if len(override_reason) > MAX_REASON:
            raise ValidationError({"admission_override_reason": f"决定理由不能超过 {MAX_REASON} 字"})
    project.admission_verdict = admission.verdict
    project.admission_rules = admission.rules
    project.admission_reasons = admission.reasons
    project.needs_collective_decision = admission.verdict == AdmissionVerdict.REVIEW
    admission.override_reason = override_reason if admission.verdict == AdmissionVerdict.REJECT else ""
    return admission


def admission_record(
    *, actor, project: Project, admission: Admission | None, previous: tuple[str, list] | None = None
) -> AdmissionDecision | None:
    """Store the decision after the project is saved: an override of a 不招 (with its reason), or a 慎招 verdict
    that is new for this project (``previous`` = the verdict and rules before this save). One audit row each."""
    if admission is None:
        return None
    reason = admission.override_reason
    if admission.verdict == AdmissionVerdict.REJECT and reason:
        overridden, action = True, "admission_override"
    elif admission.verdict == AdmissionVerdict.REVIEW and previous != (admission.verdict, admission.rules):
        overridden, action = False, "admission_review"
    else:
        return None
    decision = AdmissionDecision.objects.create(
        project=project,
        verdict=admission.verdict,
        rules=admission.rules,
        reasons=admission.reasons,
        industry=admission.industry,
        overridden=overridden,
        reason=reason,
        decided_by=actor,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=project,
        after={
            "decision": decision.pk,
            "verdict": decision.verdict,
            "rules": decision.rules,
            "reasons": decision.reasons,
            "overridden": overridden,
            "reason": reason,
        },
    )
    return decision


class IndustrySuggestions:
    """重点产业 and 国民经济行业分类 an officer left empty, taken from the classification of the project's name and
    description (issue 11: a suggestion is taken, and shown as taken, not left for a click). The key industries and
    small classes are read once per instance, so an import of thousands of rows asks the database twice."""

    def __init__(self):
        from zhaoshang.catalog.models import IndustryClass, KeyIndustry

        self.industries = {k.code: k for k in KeyIndustry.objects.all()}
        self.classes = {c.code: c for c in IndustryClass.objects.small_classes()}

    def fill(self, *, name: str, description: str, key_industry, industry_class):
        """(key industry, industry class): the given ones, else the suggested ones (None where there is none)."""
        if key_industry is not None and industry_class is not None:
            return key_industry, industry_class
        classification = get_checker().classifier.classify(name, description)
        if key_industry is None and classification.key_industry is not None:
            key_industry = self.industries.get(classification.key_industry.code)
        if industry_class is None:
            industry_class = next((self.classes[c] for c in classification.gbt if c in self.classes), None)
        return key_industry, industry_class


def industry_suggestion_apply(
    project: Project, *, before: tuple | None = None, suggestions: IndustrySuggestions | None = None
) -> None:
    """Fill the 重点产业 and 行业分类 the officer left empty with the suggestion and mark them as suggested.
    ``before``: the (key industry id, class id) the project had before this save; one the officer changed is
    theirs from now on."""
    if before is not None:
        if project.key_industry_id != before[0]:
            project.industry_suggested = False
        if project.industry_class_id != before[1]:
            project.class_suggested = False
    had = (project.key_industry_id, project.industry_class_id)
    project.key_industry, project.industry_class = (suggestions or IndustrySuggestions()).fill(
        name=project.name,
        description=project.description,
        key_industry=project.key_industry,
        industry_class=project.industry_class,
    )
    if had[0] is None and project.key_industry_id is not None:
        project.industry_suggested = True
    if had[1] is None and project.industry_class_id is not None:
        project.class_suggested = True


@transaction.atomic
def projects_suggest_industries(*, actor, project_ids, progress=None) -> int:
    """After an import: the imported projects whose file left 重点产业 or 行业分类 empty take the suggestion, as
    the form's save would (``industry_suggestion_apply``). Run by the import job as its last step, so that the
    rows are written at the import's speed; one audit row lists what was filled. Returns how many changed."""
    suggestions = IndustrySuggestions()
    rows = Project.objects.filter(pk__in=list(project_ids)).filter(
        Q(key_industry__isnull=True) | Q(industry_class__isnull=True)
    )
    groups: dict[tuple, list[int]] = defaultdict(list)  # the values to set → the projects that take them
    filled = []
    for project in rows.only("id", "name", "description", "key_industry", "industry_class", "path"):
        had = (project.key_industry_id, project.industry_class_id)
        industry_suggestion_apply(project, suggestions=suggestions)
        if (project.key_industry_id, project.industry_class_id) == had:
            continue
        values = (
            project.key_industry_id,
            project.industry_class_id,
            project.industry_suggested,
            project.class_suggested,
        )
        groups[values].append(project.pk)
        industry = project.key_industry.name if project.key_industry_id else "非重点产业"
        code = project.industry_class.code if project.industry_class_id else "—"
        filled.append(f"{project.name}（系统编号{project.pk}）：{industry}，行业{code}")
    changed = [pk for ids in groups.values() for pk in ids]
    with rollup_tracking(changed):  # imported projects have no ledger yet, but any other's sums move industry
        for (industry, industry_class, industry_suggested, class_suggested), ids in groups.items():
            for start in range(0, len(ids), CHUNK):
                Project.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                    key_industry=industry,
                    industry_class=industry_class,
                    industry_suggested=industry_suggested,
                    class_suggested=class_suggested,
                )
    # a new key industry or GB/T class is evidence of placement: the apps above place them again
    projects_written(actor=actor, project_ids=changed)
    if filled:
        audit_record(
            actor=actor,
            action=Action.SUGGEST_INDUSTRIES,
            object_type=Project._meta.label,
            object_repr=f"按项目名称和简介补充产业分类 {len(filled)} 个项目",
            after={"suggested": filled},
        )
    return len(filled)
