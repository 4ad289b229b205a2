"""Cell values of a 台账 understood: dates in the common Chinese forms, amounts with their units converted exactly
to 万元, stage words, counties and parks by full, short or former name, industries by name or the classifier.
Each parser raises ``CellError`` with the reason shown after ``第N行 列:``."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from zhaoshang.core.importing import CellError, cell_text
from zhaoshang.projects.taizhang.mapping import UNITS, unit_of
from zhaoshang.projects.taizhang.words import former_county_names, normalise, stage_words

EXCEL_EPOCH = date(1899, 12, 30)
CENT = Decimal("0.01")
DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]\s*(?P<d>\d{1,2})\s*日?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    re.compile(r"^(?P<y>\d{4})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*月?(份|底|末|初)?$"),
)
AMOUNT = re.compile(r"^(?P<number>[-+]?\d+(?:\.\d+)?)(?P<unit>亿元|亿|万元|万|元)?$")


def parse_date(value) -> tuple[date, bool]:
    """(the date, whether the cell gave only a month). A month alone (2023.5, 2023年5月) is its first day: the
    preview says so. An Excel date cell, its serial number, or text in any of the common forms."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial number (1954–2119) in a cell without a date format
            return EXCEL_EPOCH + timedelta(days=int(value)), False
        value = repr(float(value))  # 2023.5 typed as a number: year.month
    text = cell_text(value).replace(" ", "")
    for form in DATE_FORMS:
        found = form.match(text)
        if found:
            parts = found.groupdict()
            try:
                day = date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1))
            except ValueError:
                break
            return day, parts.get("d") is None
    raise CellError("无法识别的日期，请写作 2024-05-06、2024年5月6日 或 2024.5")


def parse_amount(value, unit: str) -> tuple[Decimal, str]:
    """(the amount in 万元, the unit it was written in). ``unit`` is the column's; a unit written in the cell
    (``5.2亿``) wins. Exact: a number cell is read through its shortest repr, never float arithmetic; an amount in
    元 that does not come to whole 分 of 万元 (100 元) is refused rather than rounded."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number, written = Decimal(repr(value) if isinstance(value, float) else value), ""
    else:
        text = cell_text(value).replace(",", "").replace("，", "").replace(" ", "").replace("人民币", "")
        found = AMOUNT.match(text)
        if not found:
            raise CellError("必须为金额（如 5000、5.2亿、3,000万元）")
        number, written = Decimal(found.group("number")), unit_of(found.group("unit") or "")
    if not number.is_finite():
        raise CellError("必须为金额")
    unit = written or unit
    factor = UNITS[unit]
    wan = number * factor if factor else number / 10000
    if wan != wan.quantize(CENT):
        raise CellError(f"{number}{unit}折合{wan.normalize():f}万元，超过两位小数（最小为0.01万元即100元），请核实")
    return wan.quantize(CENT), unit


def parse_decimal(value) -> Decimal:
    text = cell_text(value).replace(",", "")
    try:
        number = Decimal(repr(value) if isinstance(value, float) else text)
    except InvalidOperation:
        raise CellError("必须为数字") from None
    if not number.is_finite() or number < 0:
        raise CellError("必须为非负数字")
    return number.quantize(CENT)


def parse_stage(value) -> str:
    """A stage word (``stage_words.csv``): the whole text, else the longest word it contains."""
    text = normalise(value)
    words = stage_words()
    if text in words:
        return words[text]
    found = sorted((w for w in words if w in text), key=len, reverse=True)
    if not found:
        raise CellError(f"无法识别的项目进度“{cell_text(value)}”，请写作已签约、洽谈中、已开工、已投产等")
    return words[found[0]]


class Places:
    """Counties and parks by every name a 台账 uses: the full name (禄丰市), the short name (禄丰), a former name
    (禄丰县), with the province or prefecture written before it (楚雄州禄丰市). Looked up province-wide, so that a
    place outside the user's jurisdiction is named as such by the scope rule, not as unknown."""

    def __init__(self):
        from zhaoshang.regions.models import Park, Region

        counties = list(Region.objects.counties())
        by_code = {c.code: c for c in counties}
        names: dict[str, list] = {}
        for county in counties:
            for name in {county.name, county.short_name, county.code}:
                if name:
                    names.setdefault(normalise(name), []).append(county)
        for former, code in former_county_names().items():
            if code in by_code:
                names.setdefault(normalise(former), []).append(by_code[code])
        self.county_names = names
        self.parks: dict[str, list] = {}
        for park in Park.objects.active().select_related("region"):
            for name in {park.name, park.name.removeprefix("云南"), park.name.removeprefix("云南省")}:
                self.parks.setdefault(normalise(name), []).append(park)
        self.prefixes = sorted(
            {
                normalise(p)
                for r in Region.objects.exclude(level=3)
                for p in (r.name, r.short_name, f"{r.short_name}州", f"{r.short_name}市", f"{r.short_name}省")
                if r.short_name
            },
            key=len,
            reverse=True,
        )

    def county(self, value):
        text = normalise(value)
        found = self._lookup(self.county_names, text)
        if found is None:
            for prefix in self.prefixes:  # 云南省楚雄州禄丰市, 楚雄禄丰
                if text.startswith(prefix) and len(text) > len(prefix):
                    found = self._lookup(self.county_names, text[len(prefix) :])
                    if found is not None:
                        break
        return found

    def park(self, value):
        return self._lookup(self.parks, normalise(value))

    @staticmethod
    def _lookup(table: dict, text: str):
        found = table.get(text) or []
        unique = {item.pk: item for item in found}
        if len(unique) > 1:
            raise CellError(f"“{text}”对应多个地方，请写全称")
        return next(iter(unique.values()), None)


class Industries:
    """A key industry from the 产业/行业 text: its name (新材料, 新材料产业), a GB/T 4754 small-class code, else the
    classifier's reading of the text (the same classifier as every project's suggestion)."""

    def __init__(self):
        from zhaoshang.catalog.models import IndustryClass, KeyIndustry

        self.industries = {normalise(k.name): k for k in KeyIndustry.objects.all()}
        self.by_code = {k.code: k for k in self.industries.values()}
        self.classes = {c.code: c for c in IndustryClass.objects.small_classes()}
        self.cache: dict[str, tuple] = {}

    def read(self, value) -> tuple[object | None, object | None, bool]:
        """(key industry, industry class, read by the classifier)."""
        text = normalise(value)
        if text not in self.cache:
            self.cache[text] = self._read(text)
        return self.cache[text]

    def _read(self, text: str):
        if text in self.industries:
            return self.industries[text], None, False
        code = text[1:] if text[:1].isalpha() and text[1:].isdigit() else text
        if code.isdigit() and code in self.classes:
            return None, self.classes[code], False
        named = sorted((name for name in self.industries if name in text), key=len, reverse=True)
        if named:
            return self.industries[named[0]], None, False
        from zhaoshang.catalog.admission import get_checker

        classification = get_checker().classifier.classify(text, "")
        if classification.key_industry is not None:
            return self.by_code.get(classification.key_industry.code), None, True
        return None, None, True
