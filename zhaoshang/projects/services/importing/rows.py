"""The rows of a project import: template headings, the row record and the outcome."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError

from zhaoshang.investors.names import normalise_enterprise_name
from zhaoshang.projects.choices import STAGE_PATH, Stage

# Column headers of the import template, used in every message (``第57行 协议投资额（万元）: 必须为数字``).
HEADERS = {
    "external_code": "项目编号",
    "name": "项目名称",
    "investor_name": "投资方",
    "credit_code": "统一社会信用代码",
    "county": "县市区",
    "park": "园区",
    "key_industry": "重点产业",
    "stage": "阶段",
    "registered_on": "登记日期",
    "signed_on": "签约日期",
    "stage_on": "阶段日期",
    "amount_wan": "协议投资额（万元）",
    "source_province": "资金来源省份",
    "responsible_person": "责任人",
    # What the admission check (准入) needs beyond the name and the amount, as on the project form.
    "description": "项目简介",
    "land_mu": "用地（亩）",
    "expected_annual_tax_wan": "预期年税收（万元）",
    "industry_class": "行业代码",
}
IMPORT_NOTE = "Excel导入"
BATCH = 1000
CHUNK = 900  # values per IN (...) lookup, below every database's parameter limit


class ProjectImportError(ValidationError):
    """Rows that fail; ``problems`` are (row number, header, message). Nothing was written."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        super().__init__([format_problem(p) for p in problems])


def format_problem(problem: tuple[int, str, str]) -> str:
    number, header, message = problem
    return f"第{number}行 {header}: {message}"


# The stages a new lead passes to reach each stage (the lead itself left out): worked out once, not per row.
STAGES_TO = {stage: tuple(STAGE_PATH[1 : number + 1]) for number, stage in enumerate(STAGE_PATH)}


@dataclass
class ProjectRow:
    """One parsed row. 登记日期 left empty is the earliest date given (else today); no other date is derived: a
    stage the project passed without a date in the file is recorded without one (``steps``)."""

    number: int
    name: str
    investor_name: str
    county: object  # regions.Region (a county)
    stage: str = Stage.LEAD
    park: object | None = None
    key_industry: object | None = None
    external_code: str = ""
    credit_code: str = ""
    registered_on: date | None = None
    signed_on: date | None = None
    stage_on: date | None = None
    amount_wan: Decimal | None = None
    source_province: str = ""
    responsible_person: str = ""
    description: str = ""
    land_mu: Decimal | None = None
    expected_annual_tax_wan: Decimal | None = None
    industry_class: object | None = None  # catalog.IndustryClass (a GB/T 4754 small class)

    @cached_property
    def investor_normalised(self) -> str:
        return normalise_enterprise_name(self.investor_name)

    @property
    def node_path(self) -> str:
        return self.park.path if self.park is not None else self.county.path

    def entered_on(self, today: date) -> date:
        given = [d for d in (self.registered_on, self.signed_on, self.stage_on) if d]
        return self.registered_on or (min(given) if given else today)

    def steps(self, today: date) -> list[tuple[str, date | None]]:
        """The transitions that bring a new lead to the row's stage, none skipped, each with the date the file
        gives for it: 线索 on the entry date, 签约 on the signing date, the row's own stage on its 阶段日期. A stage
        passed on the way (在谈 of a signed project, 注册 of one under construction) has no date in the file and
        gets none (``None``, shown as 日期未填报): the import never invents one."""
        steps = [(Stage.LEAD, self.entered_on(today))]
        for stage in STAGES_TO[self.stage]:
            if stage is Stage.SIGNED:
                day = self.signed_on
            elif stage == self.stage:
                day = self.stage_on
            else:
                day = None
            steps.append((stage, day))
        return steps


@dataclass
class ImportOutcome:
    created: list[int] = field(default_factory=list)  # ids of the new projects
    existing: int = 0
    enterprises_created: int = 0
    transitions: int = 0
    agreements: int = 0
