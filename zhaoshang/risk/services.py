"""Every write of the risk app: the scan, the officers' decisions on a warning, the administrators' rule edits, and
the weekly digest. Each runs in one transaction and writes its audit row itself."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import audit_record, snapshot
from zhaoshang.core.scope import OutOfScope
from zhaoshang.risk.choices import CLOSED_STATES, LIVE_STATES, WarningState
from zhaoshang.risk.models import RiskRule, RiskWarning
from zhaoshang.risk.rules import EVALUATORS

W = WarningState
BATCH = 2000
MIN_REASON = 4  # characters: 已核实 is too short to say why a warning does not apply


@dataclass
class ScanResult:
    created: int = 0
    updated: int = 0
    cleared: int = 0
    rules: dict = field(default_factory=dict)


@transaction.atomic
def risk_scan(*, today: date | None = None, codes: list[str] | None = None, actor=None) -> ScanResult:
    """Run the enabled rules over all projects. A live warning found again is brought up to date (reason, last
    seen, and its 条件已消除 mark lifted); a new finding opens a warning unless one was dismissed or resolved for the
    same facts; a live warning whose condition is gone is marked 条件已消除 and stays for a person to resolve."""
    today = today or timezone.localdate()
    result = ScanResult()
    rules = RiskRule.objects.filter(enabled=True)
    if codes:
        rules = rules.filter(code__in=codes)
    for rule in rules:
        evaluate = EVALUATORS.get(rule.code)
        if evaluate is None:
            continue
        findings = evaluate(rule, today)
        counts = _apply(rule, findings, today)
        result.rules[rule.code] = counts | {"found": len(findings)}
        result.created += counts["created"]
        result.updated += counts["updated"]
        result.cleared += counts["cleared"]
    audit_record(
        actor=actor,
        action="risk_scan",
        object_type="risk.RiskWarning",
        object_repr=f"风险预警扫描（{today:%Y-%m-%d}）",
        after={"on": today, "created": result.created, "updated": result.updated, "cleared": result.cleared}
        | {"rules": result.rules},
    )
    return result


def _apply(rule: RiskRule, findings: dict, today: date) -> dict:
    live = {w.project_id: w for w in RiskWarning.objects.filter(rule=rule, state__in=LIVE_STATES)}
    closed = set(RiskWarning.objects.filter(rule=rule, state__in=CLOSED_STATES).values_list("project_id", "fact_key"))
    new, changed, seen, cleared = [], [], [], []
    for project_id, finding in findings.items():
        warning = live.get(project_id)
        if warning is not None:
            seen.append(warning.pk)
            if (warning.reason, warning.fact_key, warning.path) != (finding.reason, finding.fact_key, finding.path):
                warning.reason, warning.fact_key, warning.path = finding.reason, finding.fact_key, finding.path
                changed.append(warning)
        elif (project_id, finding.fact_key) not in closed:
            new.append(
                RiskWarning(
                    project_id=project_id,
                    rule=rule,
                    reason=finding.reason[:500],
                    fact_key=finding.fact_key[:200],
                    weight=rule.weight,
                    path=finding.path,
                    first_seen=today,
                    last_seen=today,
                )
            )
    for project_id, warning in live.items():
        if project_id not in findings and warning.cleared_on is None:
            cleared.append(warning.pk)
    RiskWarning.objects.bulk_create(new, batch_size=BATCH)
    # Only the few whose reason moved are written row by row; last seen and the 条件已消除 mark are set in plain
    # UPDATEs by id (a CASE per row over tens of thousands of rows is what made a re-scan slow).
    RiskWarning.objects.bulk_update(changed, ["reason", "fact_key", "path"], batch_size=BATCH)
    for start in range(0, len(seen), BATCH):
        RiskWarning.objects.filter(pk__in=seen[start : start + BATCH]).update(last_seen=today, cleared_on=None)
    for start in range(0, len(cleared), BATCH):
        RiskWarning.objects.filter(pk__in=cleared[start : start + BATCH]).update(cleared_on=today)
    return {"created": len(new), "updated": len(seen), "cleared": len(cleared)}


def _lock(actor, warning: RiskWarning) -> RiskWarning:
    if not RiskWarning.objects.for_user(actor, "change").filter(pk=warning.pk).exists():
        if RiskWarning.objects.for_user(actor, "view").filter(pk=warning.pk).exists():
            raise PermissionDenied("您没有处理风险预警的权限")
        raise OutOfScope("不在您的辖区范围内")
    return RiskWarning.objects.select_for_update().select_related("project", "rule").get(pk=warning.pk)


def _decide(*, actor, warning: RiskWarning, to: str, note: str, allowed_from, action: str) -> RiskWarning:
    warning = _lock(actor, warning)
    if warning.state not in allowed_from:
        raise ValidationError(f"预警当前为“{warning.get_state_display()}”，不能{W(to).label.lstrip('已')}")
    before = snapshot(warning)
    warning.state, warning.decided_by, warning.decided_at = to, actor, timezone.now()
    warning.decision_note = note.strip()[:500]
    warning.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=action, obj=warning, before=before, after=snapshot(warning))
    return warning


@transaction.atomic
def warning_confirm(*, actor, warning: RiskWarning, note: str = "") -> RiskWarning:
    """确认: the risk is real and is being followed; it keeps counting in the project's score."""
    return _decide(
        actor=actor, warning=warning, to=W.CONFIRMED, note=note, allowed_from=(W.OPEN,), action="warning_confirm"
    )


@transaction.atomic
def warning_dismiss(*, actor, warning: RiskWarning, reason: str) -> RiskWarning:
    """排除: the warning does not apply; the reason is required. It does not come back for the same facts."""
    if len((reason or "").strip()) < MIN_REASON:
        raise ValidationError({"note": f"排除预警须说明理由（至少{MIN_REASON}个字）"})
    return _decide(
        actor=actor, warning=warning, to=W.DISMISSED, note=reason, allowed_from=LIVE_STATES, action="warning_dismiss"
    )


@transaction.atomic
def warning_resolve(*, actor, warning: RiskWarning, note: str) -> RiskWarning:
    """解决: the risk was dealt with (funds arrived, the decision was taken…); how is required."""
    if len((note or "").strip()) < MIN_REASON:
        raise ValidationError({"note": f"请说明处理结果（至少{MIN_REASON}个字）"})
    return _decide(
        actor=actor, warning=warning, to=W.RESOLVED, note=note, allowed_from=LIVE_STATES, action="warning_resolve"
    )


@transaction.atomic
def rule_update(*, actor, rule: RiskRule, weight: int, params: dict, enabled: bool) -> RiskRule:
    if not actor.has_perm("risk.change_riskrule"):
        raise PermissionDenied("您没有修改风险规则的权限")
    rule = RiskRule.objects.select_for_update().get(pk=rule.pk)
    errors = {}
    if weight is None or weight < 0 or weight > 100:
        errors["weight"] = "权重须为0到100之间的整数"
    if not isinstance(params, dict):
        errors["params"] = '参数须为键值对，如 {"months": 3}'
    else:
        for name, value in params.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1 or value > 120:
                errors["params"] = f"参数“{name}”须为1到120之间的整数"
    if errors:
        raise ValidationError(errors)
    before = snapshot(rule)
    rule.weight, rule.params, rule.enabled = weight, params, enabled
    rule.updated_by, rule.updated_at = actor, timezone.now()
    rule.save()
    audit_record(actor=actor, action="risk_rule_update", obj=rule, before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def risk_digest(*, today: date | None = None) -> int:
    """The weekly digest: each bureau's staff get the number of live warnings in their jurisdiction and the
    ones first seen in the last 7 days, by rule. Returns the number of messages sent."""
    from zhaoshang.risk.selectors import digest_rows

    today = today or timezone.localdate()
    from zhaoshang.aftercare.services.notify import notify, staff_of

    sent, bureaus = 0, 0
    for unit, text in digest_rows(today):
        count = notify(staff_of(unit), text)
        sent += count
        bureaus += 1 if count else 0
    audit_record(
        actor=None,
        action="risk_digest",
        object_type="risk.RiskWarning",
        object_repr=f"风险预警周报（{today:%Y-%m-%d}）",
        after={"on": today, "bureaus": bureaus, "messages": sent},
    )
    return sent
