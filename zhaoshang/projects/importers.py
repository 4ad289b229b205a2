"""Projects from Excel: the template (drop-downs limited to the user's jurisdiction, an instructions sheet) and
the import, all or nothing, through ``projects_import_rows``."""

from collections.abc import Callable

from zhaoshang.catalog.models import IndustryClass, KeyIndustry
from zhaoshang.core.bulk import cyclic_gc_paused
from zhaoshang.core.importing import (
    CellError,
    Column,
    ImportReport,
    cell_text,
    choice,
    date_value,
    decimal,
    parse_workbook,
    template_bytes,
    text,
)
from zhaoshang.core.scope import path_within, user_node_path
from zhaoshang.projects.choices import PROVINCE_CHOICES, STAGE_PATH
from zhaoshang.projects.forms import counties_for
from zhaoshang.projects.services.importing import (
    HEADERS,
    ProjectImportError,
    ProjectRow,
    format_problem,
    projects_import_problems,
    projects_import_rows,
)
from zhaoshang.regions.models import Park, Region

INSTRUCTIONS = [
    "每行一个项目。带 * 的列必填；县市区、园区、重点产业、阶段、资金来源省份请从下拉列表选择"
    "（下拉列表只列出您辖区内的县市区和园区）。",
    "项目编号：建议填写本单位的台账编号（县市区内唯一）。同一项目编号再次导入时视为已导入，不会重复创建；"
    "未填写项目编号时，同一县市区、同一投资方、名称相同的项目视为已导入。",
    "同一县市区、同一投资方、名称相近的项目视为疑似重复（甄别），该行报错并列出已有项目；确为不同项目的，请填写不同的项目编号或在平台逐个录入。",
    "阶段为“签约”及以后的项目须填写签约日期和协议投资额（万元，大于0），导入时自动生成投资协议和逐级的阶段变更记录；"
    "“注册”“开工”“投产”还须填写阶段日期（进入该阶段的日期）。未签约的项目不填签约日期。"
    "途经的中间阶段（如阶段为“开工”时的“在谈”“注册”）在文件中没有日期，平台记为“日期未填报”，不推算日期；"
    "阶段为“在谈”而未填阶段日期的，在谈阶段同样记为“日期未填报”。",
    "登记日期留空时取所填日期中最早的一个，都未填则为导入当天。日期格式为 YYYY-MM-DD，且不能晚于今天。",
    "金额单位为万元，最多两位小数（1亿元 = 10000万元）。",
    "项目简介、用地（亩）、预期年税收（万元）和行业代码用于准入检查（禁止类、产能过剩、投资强度、亩均税收等），"
    "与在平台逐个录入时的检查相同；结论为“不招”的行不能导入。"
    "行业代码为国民经济行业分类（GB/T 4754-2017）的4位小类代码。",
    "从项目台账导出的文件可以直接再次导入：项目编号相同的行视为已导入（“系统编号”等其他列不读取）。",
    "任何一行有误则整份文件不导入，并列出出错的行号、列名和原因（如“第57行 协议投资额（万元）: 必须为数字”）。",
    "示例：LF-2026-001 | 禄丰新能源电池材料项目 | 云南星辰新材料有限公司 | 91530000MA6K000000 | 禄丰市 | "
    "云南禄丰工业园区 | 新材料 | 签约 | 2026-01-05 | 2026-03-01 | | 50000 | 广东 | 张三 | "
    "年产5万吨磷酸铁锂正极材料 | 150 | 2000 | 3841",
]
IMPORTABLE_STAGES = {stage.label: stage.value for stage in STAGE_PATH}


def project_columns(user) -> list[Column]:
    """The 18 columns of the template. County names are looked up province-wide so that one outside the user's
    jurisdiction is reported as such (the drop-down lists only the user's)."""
    all_counties = {c.name: c for c in Region.objects.counties()}
    codes = {c.code: c for c in all_counties.values()}
    all_parks = {p.name: p for p in Park.objects.active().select_related("region")}
    node = user_node_path(user) or "-"

    def county(value):
        label = cell_text(value)
        found = all_counties.get(label) or codes.get(label)
        if found is None:
            raise CellError("县市区名称有误，请从下拉列表中选择")
        return found

    def park(value):
        label = cell_text(value)
        found = all_parks.get(label)
        if found is None:
            raise CellError("园区名称有误或已撤销，请从下拉列表中选择")
        return found

    county.labels = [c.name for c in counties_for(user).order_by("code")]
    park.labels = [
        p.name
        for p in sorted(all_parks.values(), key=lambda p: p.code)
        if p.region.level == 3 and (user.is_superuser or path_within(p.path, node))
    ]
    industries = {k.name: k for k in KeyIndustry.objects.order_by("sort_order", "code")}
    classes = {c.code: c for c in IndustryClass.objects.small_classes()}

    def industry_class(value):
        # "3841", "C3841" or a number cell (0511 read as 511).
        code = f"{int(value):04d}" if isinstance(value, int | float) else cell_text(value).upper()
        found = classes.get(code[1:] if code[:1].isalpha() else code)
        if found is None:
            raise CellError("须为国民经济行业分类（GB/T 4754-2017）的4位小类代码，如 3841")
        return found

    return [
        Column(
            HEADERS["external_code"], "external_code", text(50), help="本单位台账编号，县市区内唯一；用于防止重复导入"
        ),
        Column(HEADERS["name"], "name", text(200), required=True),
        Column(HEADERS["investor_name"], "investor_name", text(200), required=True, help="投资方企业全称"),
        Column(HEADERS["credit_code"], "credit_code", text(18), help="18位统一社会信用代码，可留空"),
        Column(HEADERS["county"], "county", county, required=True, help="从下拉列表选择，或填6位区划代码"),
        Column(HEADERS["park"], "park", park, help="项目所在园区，须属于所填县市区；不在园区的留空"),
        Column(HEADERS["key_industry"], "key_industry", choice(industries), help="12个重点产业之一；非重点产业留空"),
        Column(HEADERS["stage"], "stage", choice(IMPORTABLE_STAGES), required=True),
        Column(HEADERS["registered_on"], "registered_on", date_value, help="项目作为线索登记的日期"),
        Column(HEADERS["signed_on"], "signed_on", date_value, help="阶段为签约及以后必填"),
        Column(HEADERS["stage_on"], "stage_on", date_value, help="进入当前阶段的日期；注册、开工、投产必填"),
        Column(HEADERS["amount_wan"], "amount_wan", decimal(), help="万元；阶段为签约及以后必填且大于0"),
        Column(HEADERS["source_province"], "source_province", choice({label: v for v, label in PROVINCE_CHOICES})),
        Column(HEADERS["responsible_person"], "responsible_person", text(50), help="专人盯的责任人"),
        Column(HEADERS["description"], "description", text(5000), help="建设内容、产品和规模；用于准入检查"),
        Column(HEADERS["land_mu"], "land_mu", decimal(), help="亩；用于校验投资强度和亩均税收"),
        Column(HEADERS["expected_annual_tax_wan"], "expected_annual_tax_wan", decimal(), help="万元；用于校验亩均税收"),
        Column(
            HEADERS["industry_class"],
            "industry_class",
            industry_class,
            help="国民经济行业分类（GB/T 4754-2017）4位小类代码，如 3841；可留空",
        ),
    ]


def project_template(user) -> bytes:
    return template_bytes(title="项目导入模板", columns=project_columns(user), instructions=INSTRUCTIONS)


def _project_row(number: int, values: dict) -> ProjectRow:
    return ProjectRow(
        number=number,
        external_code=values["external_code"] or "",
        name=values["name"] or "",
        investor_name=values["investor_name"] or "",
        credit_code=(values["credit_code"] or "").upper(),
        county=values["county"],
        park=values["park"],
        key_industry=values["key_industry"],
        stage=values["stage"],
        registered_on=values["registered_on"],
        signed_on=values["signed_on"],
        stage_on=values["stage_on"],
        amount_wan=values["amount_wan"],
        source_province=values["source_province"] or "",
        responsible_person=values["responsible_person"] or "",
        description=values["description"] or "",
        land_mu=values["land_mu"],
        expected_annual_tax_wan=values["expected_annual_tax_wan"],
        industry_class=values["industry_class"],
    )


@cyclic_gc_paused()
def projects_import(
    *, content: bytes, actor, source_name: str = "", progress: Callable[[int, str], None] | None = None
) -> ImportReport:
    """Read, check every row, and create the projects, or nothing. ``progress(percent, message)`` follows the
    work: reading and cell checks to 60 %, rule and duplicate checks and writing to 100 %."""

    def reading(done, total):
        if progress:
            progress(done * 60 // max(total, 1), f"正在读取并校验第 {done}/{total} 行")

    report = parse_workbook(content, project_columns(actor), progress=reading)
    failed_rows = {_number(e) for e in report.errors}
    rows = [_project_row(r.number, r.values) for r in report.rows if r.number not in failed_rows]
    if progress:
        progress(60, "正在检查辖区、阶段要求和重复项目")
    if not report.ok:
        # Report the rule and duplicate problems of the readable rows as well, in row order, in one go.
        problems, _ = projects_import_problems(actor=actor, rows=rows)
        numbered = [(_number(e), e) for e in report.errors] + [(p[0], format_problem(p)) for p in problems]
        report.errors = [e for _, e in sorted(numbered, key=lambda item: item[0])]
        return report
    steps = iter(range(70, 100, 6))
    try:
        outcome = projects_import_rows(
            actor=actor,
            rows=rows,
            source_name=source_name,
            progress=(lambda message: progress(next(steps, 99), message)) if progress else None,
        )
    except ProjectImportError as error:
        report.errors = error.messages
        return report
    report.created, report.unchanged = len(outcome.created), outcome.existing
    report.outcome = outcome
    return report


def _number(error: str) -> int:
    try:
        return int(error[1 : error.index("行")])
    except ValueError:
        return 0
