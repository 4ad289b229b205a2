"""The dry run of a 台账: every row read into the import's ``ProjectRow`` and checked by the one set of import
rules (``projects_import_problems``: scope, place, lifecycle needs, 甄别, admission), plus the funds history against
the ledger. Nothing is written; ``commit`` runs the same and writes."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from zhaoshang.core.bulk import cyclic_gc_paused
from zhaoshang.core.importing import CellError, cell_text
from zhaoshang.projects.choices import PROVINCE_CHOICES, SIGNED_OR_LATER, STAGE_PATH, Stage
from zhaoshang.projects.models import Project, ProjectTransition, TaizhangMapping
from zhaoshang.projects.services.importing import (
    HEADERS,
    ProjectRow,
    _enterprises_by_code_and_name,
    projects_import_check,
)
from zhaoshang.projects.services.ledger import active_locks
from zhaoshang.projects.taizhang import funds as funds_module
from zhaoshang.projects.taizhang.mapping import (
    MONEY_FIELDS,
    ColumnMap,
    from_dicts,
    header_key,
    mapping_problems,
    propose,
)
from zhaoshang.projects.taizhang.reading import Table, TaizhangBook, read_taizhang
from zhaoshang.projects.taizhang.values import Industries, Places, parse_amount, parse_date, parse_decimal, parse_stage

SHEET_STRIDE = 1_000_000  # row numbers of the n-th sheet start at n × this, so that rows of all sheets are unique
PROVINCES = {name: value for value, name in PROVINCE_CHOICES} | {value: value for value, _ in PROVINCE_CHOICES}
ABROAD_WORDS = ("香港", "澳门", "台湾", "境外", "国外", "外资")
# Template heading (``services.importing.HEADERS``) → the 台账 field whose column a rule's message names.
RULE_FIELDS = {
    "external_code": "external_code",
    "name": "name",
    "investor_name": "investor_name",
    "credit_code": "credit_code",
    "county": "county",
    "park": "park",
    "key_industry": "industry",
    "industry_class": "industry",
    "stage": "stage",
    "registered_on": "registered_on",
    "signed_on": "signed_on",
    "amount_wan": "amount",
    "source_province": "source_province",
    "responsible_person": "responsible_person",
    "description": "description",
    "land_mu": "land_mu",
}
SHOWN_ROWS = 500
TEXT_LIMITS = {"credit_code": 18, "external_code": 50, "responsible_person": 50}  # else 200
CACHED_TYPES = frozenset({str, int, float, date, datetime})  # immutable cell values, read once per distinct one
CANDIDATE = re.compile(r"系统编号 (\d+)")
ZERO = Decimal("0.00")
DATE_FIELDS = ("signed_on", "registered_on", "started_on", "production_on")
PURE_FIELDS = {
    *DATE_FIELDS,
    "stage",
    "county",
    "park",
    "industry",
    "source_province",
}  # rows listed one by one in the preview page; all rows are counted


@dataclass
class SheetResult:
    sheet: str
    header_rows: list[int]
    columns: list[ColumnMap]
    source: str  # 已记住的映射 / 系统建议 / 指定
    rows_read: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    mapping_problems: list[str] = field(default_factory=list)


@dataclass
class RowResult:
    number: int
    sheet: str
    row: int
    name: str
    investor: str
    investor_status: str = ""
    outcome: str = "新项目"
    verdict: str = ""
    amount_wan: Decimal | None = None
    entries: int = 0
    notes: list[str] = field(default_factory=list)
    candidate: int | None = None  # the existing project a possible duplicate resembles


@dataclass
class Total:
    header: str
    field: str
    unit: str
    before: dict = field(default_factory=dict)  # unit written → sum in that unit
    after_wan: Decimal = Decimal("0.00")
    cells: int = 0


@dataclass
class Preview:
    kind: str
    sheets: list[SheetResult]
    unread: list[tuple[str, str]]
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (number, heading, message)
    rows: list[RowResult] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    project_rows: list[ProjectRow] = field(default_factory=list)
    points: dict = field(default_factory=dict)  # row number → [funds.Point]
    entries: list = field(default_factory=list)  # funds.Entry to add
    existing: dict = field(default_factory=dict)  # row number → project id
    confirmed: dict = field(default_factory=dict)  # row number → project id the officer confirmed it is
    check: object = None  # services.importing.ImportCheck of the rows the commit writes

    @property
    def ok(self) -> bool:
        return not self.problems and not any(s.mapping_problems for s in self.sheets) and bool(self.project_rows)

    def where(self, number: int) -> str:
        """``第N行``, with the sheet's name when the file has several: row numbers are the sheet's own."""
        if len(self.sheets) > 1:
            return f"工作表“{self.sheets[number // SHEET_STRIDE].sheet}”第{number % SHEET_STRIDE}行"
        return f"第{number % SHEET_STRIDE}行"

    def messages(self) -> list[str]:
        found = [m for s in self.sheets for m in s.mapping_problems]
        found += [f"{self.where(n)} {h}: {m}" for n, h, m in sorted(self.problems, key=lambda p: p[0])]
        if not self.project_rows and not found:
            found.append("没有读到任何项目行")
        return found

    def counts(self) -> dict:
        outcomes = defaultdict(int)
        for row in self.rows:
            outcomes[row.outcome.split("：")[0]] += 1
        return {
            "读取行数": sum(s.rows_read for s in self.sheets),
            "跳过行数": sum(len(s.skipped) for s in self.sheets),
            **{k: v for k, v in sorted(outcomes.items())},
            "新增到位资金分录": len(self.entries),
            "问题": len(self.messages()),
        }


def remembered_mapping(actor, labels: list[str]) -> TaizhangMapping | None:
    path = actor.scope_path or ""
    return TaizhangMapping.objects.filter(path=path, header_key=header_key(labels)).first()


def sheet_columns(actor, table: Table, given: dict | None, today: date) -> tuple[list[ColumnMap], str]:
    if given is not None:
        return from_dicts(given, table.labels), "指定"
    remembered = remembered_mapping(actor, table.labels)
    if remembered is not None:
        return from_dicts(remembered.columns, table.labels), "已记住的映射"
    return propose(table.labels, [cells for _, cells in table.rows[:50]], today=today), "系统建议"


@cyclic_gc_paused()
def taizhang_preview(
    *,
    actor,
    content: bytes,
    mappings: dict | None = None,
    sheet: str = "",
    book: TaizhangBook | None = None,
    confirmed: dict | None = None,
) -> Preview:
    """Read ``content`` and check every row as the commit would. ``mappings``: sheet name → column dicts (as
    ``ColumnMap.as_dict``); a sheet without one takes the bureau's remembered mapping of its headings, else the
    proposal. ``sheet`` limits the run to one sheet. ``confirmed``: row number → the existing project the officer
    confirmed a possible duplicate to be."""
    today = timezone.localdate()
    book = book or read_taizhang(content)
    tables = [t for t in book.tables if not sheet or t.sheet == sheet]
    preview = Preview(kind=book.kind, sheets=[], unread=list(book.unread))
    preview.confirmed = confirmed_projects(actor, confirmed)
    if sheet and not tables:
        preview.unread.append((sheet, "文件中没有该工作表，或该工作表未找到表头"))
    reader = RowReader(actor, today)
    for position, table in enumerate(tables):
        columns, source = sheet_columns(actor, table, (mappings or {}).get(table.sheet), today)
        result = SheetResult(table.sheet, table.header_rows, columns, source, skipped=list(table.skipped))
        result.mapping_problems = [f"工作表“{table.sheet}”：{p}" for p in mapping_problems(columns)]
        preview.sheets.append(result)
        if result.mapping_problems:
            continue
        reader.read(preview, table, columns, position * SHEET_STRIDE, result)
    check_rules(actor, preview, reader, today)
    return preview


class RowReader:
    """Cells to ``ProjectRow``: one instance per run, so that places and industries are looked up once."""

    def __init__(self, actor, today: date):
        from zhaoshang.regions.models import Region

        self.actor, self.today = actor, today
        self.places, self.industries = Places(), Industries()
        own = Region.objects.of_user(actor)
        self.own_county = own if own is not None and own.level == 3 else None
        self.labels: dict[int, dict[str, str]] = {}  # sheet base → field → heading
        self.cache: dict[tuple, object] = {}
        self.months: dict[ColumnMap, date] = {}

    def read(self, preview: Preview, table: Table, columns: list[ColumnMap], base: int, result: SheetResult):
        used = [c for c in columns if c.field != "ignore"]
        self.labels[base] = {c.field: c.header for c in used}
        totals = {c.index: Total(c.header, c.field, c.unit) for c in used if c.field in MONEY_FIELDS}
        preview.totals.extend(totals.values())
        plan = [(c, c.index) for c in used]
        naming = {c for c in used if c.field in ("name", "investor_name")}
        for row_number, cells in table.rows:
            width = len(cells)
            values = {}
            for c, index in plan:
                if index < width:
                    value = cells[index]
                    if value is not None and value != "" and not (type(value) is str and value.isspace()):
                        values[c] = value
            if naming.isdisjoint(values):
                result.skipped.append((row_number, "无项目名称和投资方（非项目行）"))
                continue
            result.rows_read += 1
            number = base + row_number
            self.row(preview, number, table.sheet, row_number, values, totals)

    def row(self, preview: Preview, number: int, sheet: str, row_number: int, values: dict, totals: dict):
        fields, errors, notes, points = {}, [], [], []
        for column, raw in values.items():
            try:
                self.cell(column, raw, fields, notes, points, totals)
            except CellError as error:
                errors.append((number, column.header, str(error)))
        project_row = self.project_row(number, fields, notes, errors, values)
        preview.problems.extend(errors)
        preview.project_rows.append(project_row)
        preview.points[number] = points
        preview.rows.append(
            RowResult(
                number=number,
                sheet=sheet,
                row=row_number,
                name=project_row.name,
                investor=project_row.investor_name,
                amount_wan=project_row.amount_wan,
                notes=notes,
            )
        )

    def cell(self, column: ColumnMap, raw, fields: dict, notes: list, points: list, totals: dict):
        key = column.field
        if key in MONEY_FIELDS:
            amount, unit, shown = self.money(raw, column.unit)
            total = totals[column.index]
            before = total.before
            before[unit] = before.get(unit, ZERO) + shown
            total.after_wan += amount
            total.cells += 1
            if key == "amount":
                fields["amount_wan"] = amount
            else:
                month = self.months.get(column)
                if month is None:
                    month = self.months[column] = column.month_start  # parsed once per column, not per cell
                points.append(funds_module.Point(month, amount, key == "funds_cumulative", column.header))
            return
        if key not in PURE_FIELDS:
            self.other(column, raw, fields)
            return
        if type(raw) in CACHED_TYPES:
            # Dates, stages, places and industries repeat down a sheet: each distinct cell is read once. The type
            # is part of the key: 1, 1.0 and True are equal keys but not the same cell.
            cache_key = (key, column.header, type(raw), raw)
            cached = self.cache.get(cache_key)
            if cached is None:
                try:
                    cached = self.pure(key, column.header, raw)
                except CellError as error:
                    cached = error
                self.cache[cache_key] = cached
            if isinstance(cached, CellError):
                raise cached
        else:
            cached = self.pure(key, column.header, raw)
        updates, defaults, found = cached
        fields.update(updates)
        for name, value in defaults.items():
            fields.setdefault(name, value)
        notes.extend(found)

    def money(self, raw, column_unit: str) -> tuple[Decimal, str, Decimal]:
        """(万元, the unit written, the amount in that unit for the totals before conversion): amounts repeat down a
        sheet (and the 到位 columns repeat the agreed figures' shares), so each distinct cell is read once."""
        if type(raw) not in CACHED_TYPES:
            return self._money(raw, column_unit)
        cache_key = ("money", column_unit, type(raw), raw)
        cached = self.cache.get(cache_key)
        if cached is None:
            try:
                cached = self._money(raw, column_unit)
            except CellError as error:
                cached = error
            self.cache[cache_key] = cached
        if isinstance(cached, CellError):
            raise cached
        return cached

    @staticmethod
    def _money(raw, column_unit: str) -> tuple[Decimal, str, Decimal]:
        amount, unit = parse_amount(raw, column_unit)
        if unit == "亿元":
            shown = amount / 10000
        elif unit == "元":
            shown = amount * 10000
        else:
            shown = amount
        return amount, unit, shown

    def other(self, column: ColumnMap, raw, fields: dict) -> None:
        key = column.field
        if key == "land_mu":
            fields["land_mu"] = parse_decimal(raw)
        elif key in ("note", "description"):
            text = cell_text(raw)
            fields[key] = f"{fields[key]}；{text}" if key in fields else text
        else:
            text = cell_text(raw)
            limit = TEXT_LIMITS.get(key, 200)
            if len(text) > limit:
                raise CellError(f"不能超过{limit}字")
            fields[key] = text.upper() if key == "credit_code" else text

    def pure(self, key: str, header: str, raw) -> tuple[dict, dict, tuple]:
        """What one cell of a field that depends on the cell alone gives: (fields it sets, fields it sets unless
        another column did, notes)."""
        if key in DATE_FIELDS:
            day, month_only = parse_date(raw)
            return {key: day}, {}, ((f"{header}只写到月份，按{day:%Y-%m-%d}记",) if month_only else ())
        if key == "stage":
            return {"stage": parse_stage(raw)}, {}, ()
        if key == "county":
            county = self.places.county(raw)
            if county is not None:
                return {"county": county}, {}, ()
            park = self.places.park(raw)
            if park is None:
                raise CellError(f"无法识别的县市区“{cell_text(raw)}”")
            return {"county": park.region}, {"park": park}, ()
        if key == "park":
            park = self.places.park(raw)
            if park is not None:
                return {"park": park}, {}, ()
            county = self.places.county(raw)
            if county is None:
                raise CellError(f"无法识别的园区“{cell_text(raw)}”（或已撤销）")
            return {}, {"county": county}, ()
        if key == "industry":
            industry, industry_class, classified = self.industries.read(raw)
            notes = ()
            if classified:
                notes = (f"产业“{cell_text(raw)}”按分类器归入“{industry.name if industry else '非重点产业'}”",)
            return {"key_industry": industry, "industry_class": industry_class}, {}, notes
        notes = []
        province = self.province(raw, notes)
        return {"source_province": province}, {}, tuple(notes)

    @staticmethod
    def province(raw, notes: list) -> str:
        text = cell_text(raw)
        for name, value in PROVINCES.items():
            if text.startswith(name) or text.startswith(name.rstrip("省市")):
                return value
        if any(word in text for word in ABROAD_WORDS):
            return "境外"
        notes.append(f"资金来源“{text}”不是省份名称，未填")
        return ""

    def project_row(self, number: int, fields: dict, notes: list, errors: list, values: dict) -> ProjectRow:
        county = fields.get("county")
        park = fields.get("park")
        if county is None and park is not None:
            county = park.region
        if county is None and not any(c.field in ("county", "park") for c in values):
            county = self.own_county  # a county's own 台账 has no county column
        stage = fields.get("stage")
        if stage is None:
            stage = self.stage_from_dates(fields)
            if stage != Stage.LEAD:
                notes.append(f"无项目进度列，按所填日期记为“{Stage(stage).label}”")
        stage_on = {
            Stage.UNDER_CONSTRUCTION: fields.get("started_on"),
            Stage.IN_PRODUCTION: fields.get("production_on"),
        }.get(stage)
        description = fields.get("description", "")
        if fields.get("note"):
            description = f"{description}（备注：{fields['note']}）" if description else f"备注：{fields['note']}"
        if len(description) > 5000:
            errors.append((number, "备注", "项目简介和备注合计不能超过5000字"))
            description = description[:5000]
        return ProjectRow(
            number=number,
            name=fields.get("name", ""),
            investor_name=fields.get("investor_name", ""),
            county=county,
            stage=stage,
            park=park,
            key_industry=fields.get("key_industry"),
            external_code=fields.get("external_code", ""),
            credit_code=fields.get("credit_code", ""),
            registered_on=fields.get("registered_on"),
            signed_on=fields.get("signed_on"),
            stage_on=stage_on,
            amount_wan=fields.get("amount_wan"),
            source_province=fields.get("source_province", ""),
            responsible_person=fields.get("responsible_person", ""),
            description=description,
            land_mu=fields.get("land_mu"),
            industry_class=fields.get("industry_class"),
        )

    @staticmethod
    def stage_from_dates(fields: dict) -> str:
        if fields.get("production_on"):
            return Stage.IN_PRODUCTION
        if fields.get("started_on"):
            return Stage.UNDER_CONSTRUCTION
        if fields.get("signed_on"):
            return Stage.SIGNED
        return Stage.LEAD

    def heading(self, number: int, template_heading: str) -> str:
        """The file's heading for a rule's message, which names the template's."""
        key = next((k for k, v in HEADERS.items() if v == template_heading), None)
        labels = self.labels.get(number - number % SHEET_STRIDE, {})
        mapped = RULE_FIELDS.get(key or "")
        if key == "stage_on":
            return labels.get("started_on") or labels.get("production_on") or labels.get("stage") or "阶段日期"
        if mapped == "county" and "county" not in labels:
            return labels.get("park", "县市区")
        return labels.get(mapped or "", template_heading)


def confirmed_projects(actor, confirmed: dict | None) -> dict[int, int]:
    """Rows the officer confirmed to be a project already on the platform (甄别: a possible duplicate), row number
    → project id, kept only for projects the officer may change and that are not merged into another."""
    wanted = {int(number): int(pk) for number, pk in (confirmed or {}).items()}
    if not wanted:
        return {}
    visible = set(
        Project.objects.for_user(actor, "change")
        .counted()
        .filter(pk__in=set(wanted.values()))
        .values_list("pk", flat=True)
    )
    return {number: pk for number, pk in wanted.items() if pk in visible}


def check_rules(actor, preview: Preview, reader: RowReader, today: date) -> None:
    """The import's rules on the rows that read cleanly, then the funds history of every row that passed. A row
    confirmed to be an existing project is that project: not checked as a new one, its funds go to it."""
    failed = {n for n, _, _ in preview.problems}
    clean = [r for r in preview.project_rows if r.number not in failed]
    confirmed = {n: pk for n, pk in preview.confirmed.items() if n not in failed}
    preview.check = projects_import_check(actor=actor, rows=[r for r in clean if r.number not in confirmed])
    problems, existing = preview.check.problems, dict(preview.check.existing) | confirmed
    preview.existing = existing
    preview.problems.extend((n, reader.heading(n, h), m) for n, h, m in problems)
    failed |= {n for n, _, _ in problems}
    by_code, by_name = _enterprises_by_code_and_name(clean)
    results = {r.number: r for r in preview.rows}
    for row in clean:
        result = results[row.number]
        enterprise = (by_code.get(row.credit_code) if row.credit_code else None) or by_name.get(row.investor_normalised)
        result.investor_status = f"企业库已有（编号{enterprise.pk}）" if enterprise is not None else "新建企业"
        admission = getattr(row, "admission", None)
        result.verdict = admission.verdict_label if admission is not None else ""
        if row.number in existing:
            result.outcome = "已有项目"
    for number, _, message in problems:
        if "疑似重复" in message:
            results[number].outcome = "疑似重复（待确认）"
            found = CANDIDATE.search(message)
            results[number].candidate = int(found.group(1)) if found else None
        elif results[number].outcome == "新项目":
            results[number].outcome = "有问题"
    for number in {n for n, _, _ in preview.problems} - {n for n, _, m in problems if "疑似重复" in m}:
        if results[number].outcome == "新项目":
            results[number].outcome = "有问题"
    funds_plan(preview, [r for r in clean if r.number not in failed], existing, today)
    differences(preview, [r for r in clean if r.number in existing], existing)
    for row in preview.rows:
        if row.outcome == "已有项目":
            confirmed_note = "（已确认为同一项目）" if row.number in confirmed else ""
            row.outcome = (
                f"已有项目{confirmed_note}：补充到位资金{row.entries}笔"
                if row.entries
                else f"已有项目{confirmed_note}：无变化（已导入过）"
            )


def differences(preview: Preview, rows: list[ProjectRow], existing: dict[int, int]) -> None:
    """What the file says differently about a project already on the platform, as notes on its row: the import
    adds funds history to it but changes neither its stage nor its agreement (those go through the project page,
    where a stage change has its date and an agreement its text)."""
    ids = {existing[r.number] for r in rows}
    if not ids:
        return
    projects = {p.pk: p for p in Project.objects.filter(pk__in=ids).only("pk", "stage", "agreed_investment_wan")}
    results = {r.number: r for r in preview.rows}
    for row in rows:
        project = projects.get(existing[row.number])
        if project is None:
            continue
        notes = results[row.number].notes
        if row.stage in STAGE_PATH and project.stage in STAGE_PATH and row.stage != project.stage:
            notes.append(
                f"平台阶段为“{Stage(project.stage).label}”，台账为“{Stage(row.stage).label}”：未改动，请在项目页变更阶段"
            )
        if row.amount_wan is not None and row.amount_wan != project.agreed_investment_wan:
            notes.append(
                f"平台协议投资额{project.agreed_investment_wan:,.2f}万元，台账为{row.amount_wan:,.2f}万元：未改动，"
                "增资或更正请在项目页录入协议"
            )


def funds_plan(preview: Preview, rows: list[ProjectRow], existing: dict[int, int], today: date) -> None:
    with_points = [r for r in rows if preview.points.get(r.number)]
    if not with_points:
        return
    ids = [existing[r.number] for r in with_points if r.number in existing]
    ledger = funds_module.existing_ledger(ids)
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in=ids).only(
            "pk", "path", "agreed_investment_wan", "stage_on", "first_signed_on"
        )
    }
    began = dict(
        ProjectTransition.objects.filter(project_id__in=ids, on__isnull=False)
        .values("project_id")
        .annotate(first=Min("on"))
        .values_list("project_id", "first")
    )
    locks = active_locks({r.node_path for r in with_points} | {p.path for p in projects.values()})
    results = {r.number: r for r in preview.rows}
    for row in with_points:
        points = preview.points[row.number]
        heading = points[0].header
        if row.stage not in SIGNED_OR_LATER:
            if any(p.amount for p in points):
                preview.problems.append((row.number, heading, "项目未签约，不能录入到位资金"))
            continue
        project = projects.get(existing.get(row.number))
        if project is not None and project.first_signed_on is None:
            preview.problems.append(
                (row.number, heading, "平台上的该项目尚未签约，不能录入到位资金；请先在平台录入协议并变更阶段")
            )
            continue
        if project is not None:
            began_on = min(filter(None, (began.get(project.pk), project.stage_on)))
            agreed, path, held = project.agreed_investment_wan, project.path, ledger.get(project.pk, {})
        else:
            began_on, agreed, path, held = row.entered_on(today), row.amount_wan, row.node_path, {}
        entries, problems = funds_module.plan(row.number, points, held)
        problems += funds_module.check_entries(
            entries, agreed=agreed, began_on=began_on, path=path, locks=locks, today=today
        )
        preview.problems.extend((row.number, h, m) for h, m in problems)
        if not problems:
            preview.entries.extend(entries)
            results[row.number].entries = len(entries)
