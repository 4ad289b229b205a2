"""A promise's conditions, as structured data, evaluated from the project — its stage and its funds-in-place
ledger — and the date; never typed in as met. ``[{"kind": "stage", "stage": "in_production"},
{"kind": "funds", "min_wan": "1000"}, {"kind": "date", "on": "2027-01-01"}]``; no condition is met at once."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from zhaoshang.aftercare.choices import ConditionKind
from zhaoshang.core.formatting import wan
from zhaoshang.projects.choices import STAGE_PATH, Stage
from zhaoshang.projects.models import FundingEntry


@dataclass(frozen=True)
class ConditionResult:
    text: str
    met: bool
    evidence: str


def clean_conditions(raw) -> list[dict]:
    """The conditions as stored (codes and canonical values), or a ValidationError in words."""
    cleaned = []
    for item in raw or []:
        kind = item.get("kind")
        if kind == ConditionKind.STAGE:
            if item.get("stage") not in [s.value for s in STAGE_PATH]:
                raise ValidationError({"conditions": "请选择项目须达到的阶段"})
            cleaned.append({"kind": kind, "stage": item["stage"]})
        elif kind == ConditionKind.FUNDS:
            try:
                amount = Decimal(str(item.get("min_wan")))
            except (InvalidOperation, TypeError):
                raise ValidationError({"conditions": "到位资金条件须填写金额（万元）"}) from None
            if amount <= 0:
                raise ValidationError({"conditions": "到位资金条件的金额须大于0"})
            cleaned.append({"kind": kind, "min_wan": str(amount)})
        elif kind == ConditionKind.DATE:
            try:
                on = date.fromisoformat(str(item.get("on")))
            except ValueError:
                raise ValidationError({"conditions": "日期条件须为 YYYY-MM-DD"}) from None
            cleaned.append({"kind": kind, "on": on.isoformat()})
        else:
            raise ValidationError({"conditions": "未知的兑现条件"})
    return cleaned


def evaluate(project, conditions: list[dict], today: date) -> list[ConditionResult]:
    results = []
    funds = None
    for item in conditions:
        if item["kind"] == ConditionKind.STAGE:
            wanted = Stage(item["stage"])
            reached = project.stage in STAGE_PATH and STAGE_PATH.index(project.stage) >= STAGE_PATH.index(wanted)
            results.append(
                ConditionResult(f"项目达到“{wanted.label}”阶段", reached, f"当前阶段：{project.get_stage_display()}")
            )
        elif item["kind"] == ConditionKind.FUNDS:
            if funds is None:
                funds = FundingEntry.objects.filter(project=project).counted().totals()["amount_wan"]
            need = Decimal(item["min_wan"])
            results.append(ConditionResult(f"到位资金不低于{wan(need)}", funds >= need, f"台账累计到位：{wan(funds)}"))
        elif item["kind"] == ConditionKind.DATE:
            on = date.fromisoformat(item["on"])
            results.append(ConditionResult(f"{on:%Y-%m-%d} 起", today >= on, f"今天：{today:%Y-%m-%d}"))
    return results


def all_met(project, conditions: list[dict], today: date) -> bool:
    return all(result.met for result in evaluate(project, conditions, today))


def describe(conditions: list[dict]) -> str:
    parts = []
    for item in conditions or []:
        if item["kind"] == ConditionKind.STAGE:
            parts.append(f"达到{Stage(item['stage']).label}")
        elif item["kind"] == ConditionKind.FUNDS:
            parts.append(f"到位资金≥{wan(Decimal(item['min_wan']))}")
        else:
            parts.append(f"{item['on']}起")
    return "；".join(parts) or "无条件"
