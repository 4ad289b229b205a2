"""One entry point for the classify and admission-check objects, shared by the commands and the API so that
both give the same answers. Malformed objects raise ``PayloadError`` naming the field."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from zhaoshang.catalog.admission import AdmissionResult, ProjectFacts, Thresholds, get_checker
from zhaoshang.catalog.classifier import Classification, get_classifier
from zhaoshang.catalog.land import INDUSTRIAL
from zhaoshang.catalog.models import CreditBlacklistEntry, LandUseThreshold
from zhaoshang.catalog.reference import DEFAULT_MIN_INTENSITY, DEFAULT_MIN_TAX, PROVINCE_CODE

MAX_TEXT = 5000
CREDIT_VALUES = ("blacklisted", "ok")
CHUNK = 900  # values per IN (...) lookup, below every database's parameter limit

# Within ``admission_batch``: threshold answers per (park code, region code), and the 失信 register entries of the
# batch's credit codes and names, read once instead of once per object.
_batch: ContextVar[dict | None] = ContextVar("admission_batch", default=None)


@contextmanager
def admission_batch(*, credit_codes=(), names=()):
    """Check many objects with the same answers as one by one, but without per-object lookups: thresholds are
    memoised per park/region code, and the 失信 register is read once (in chunks) for the given investors' credit
    codes and names. Lookups of codes or names not given fall back to a query. The reference tables must not
    change inside the block (an import reads them in its own transaction)."""
    codes = sorted({(c or "").strip().upper() for c in credit_codes} - {""})
    wanted = sorted({(n or "").strip() for n in names} - {""})
    by_code, by_name = {}, {}
    entries = CreditBlacklistEntry.objects.filter(removed_on__isnull=True)
    for start in range(0, len(codes), CHUNK):
        for entry in entries.filter(credit_code__one_of=codes[start : start + CHUNK]):
            by_code.setdefault(entry.credit_code, entry)
    for start in range(0, len(wanted), CHUNK):
        for entry in entries.filter(name__one_of=wanted[start : start + CHUNK]):  # model ordering, as ``.first()``
            by_name.setdefault(entry.name, entry)
    state = {
        "thresholds": None,  # ThresholdTables, read at the first question
        "codes": set(codes),
        "names": set(wanted),
        "by_code": by_code,
        "by_name": by_name,
    }
    token = _batch.set(state)
    try:
        yield
    finally:
        _batch.reset(token)


def admission_payload_batch(objects):
    """``admission_batch`` for a list of payload objects (the API and the command check up to hundreds at once)."""
    found = [o for o in objects if isinstance(o, dict)]
    return admission_batch(
        credit_codes=[str(o.get("investor_credit_code") or "") for o in found],
        names=[str(o.get("investor_name") or "") for o in found],
    )


class PayloadError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _require_object(obj) -> dict:
    if not isinstance(obj, dict):
        raise PayloadError("对象", "必须是 JSON 对象")
    return obj


def _id(obj: dict):
    if "id" not in obj:
        raise PayloadError("id", "缺少此字段")
    value = obj["id"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise PayloadError("id", "必须是字符串或整数")
    return value


def _text(obj: dict, key: str, *, required: bool) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise PayloadError(key, "缺少此字段")
        return ""
    if not isinstance(value, str):
        raise PayloadError(key, "必须是字符串")
    if required and not value.strip():
        raise PayloadError(key, "不能为空")
    if len(value) > MAX_TEXT:
        raise PayloadError(key, f"不能超过 {MAX_TEXT} 字")
    return value


def _decimal(obj: dict, key: str) -> Decimal | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise PayloadError(key, "必须为数字")
    try:
        number = Decimal(str(value))  # floats from a JSON parser go through their shortest text form
    except InvalidOperation:
        raise PayloadError(key, "必须为数字") from None
    if not number.is_finite() or number < 0:
        raise PayloadError(key, "必须为非负数")
    return number


def classify_payload(obj) -> dict:
    obj = _require_object(obj)
    ident = _id(obj)
    text = _text(obj, "text", required=True)
    name = _text(obj, "name", required=False)
    result = get_classifier().classify(name, text)
    return {"id": ident, **result.as_dict()}


def thresholds_for(*, park_code: str = "", region_code: str = "") -> Thresholds:
    """The park's standard, else its county's, prefecture's, then the province default. Inside
    ``admission_batch`` every standard is read once for the whole batch."""
    batch = _batch.get()
    if batch is None:
        return ThresholdTables.load(park_code=park_code, region_code=region_code).answer(park_code, region_code)
    if batch["thresholds"] is None:
        batch["thresholds"] = ThresholdTables.load()
    return batch["thresholds"].answer(park_code, region_code)


@dataclass
class ThresholdTables:
    """What the thresholds of some parks and regions depend on: their paths and the standards set on them."""

    parks: dict[str, tuple[str, str]]  # park code → (name, its region's path)
    region_paths: dict[str, str]  # region code → path
    by_park: dict[str, Thresholds]  # park code → the park's own standard
    by_region: dict[str, Thresholds]  # region code → the region's standard

    @classmethod
    def load(cls, *, park_code: str | None = None, region_code: str | None = None) -> "ThresholdTables":
        """The rows needed for one park or region code, or (both None) for every park and region."""
        from zhaoshang.regions.models import Park, Region

        everything = park_code is None and region_code is None
        parks = Park.objects.select_related("region")
        regions = Region.objects.all()
        if not everything:
            parks = parks.filter(code=park_code) if park_code else parks.none()
            regions = regions.filter(code=region_code) if region_code and not park_code else regions.none()
        park_rows = {p.code: (p.name, p.region.path) for p in parks}
        region_paths = dict(regions.values_list("code", "path"))
        rows = LandUseThreshold.objects.select_related("park", "region")
        if not everything:
            paths = [path for _, path in park_rows.values()] + list(region_paths.values())
            codes = {code for path in paths for code in path.split("/")} | {PROVINCE_CODE}
            rows = rows.filter(Q(park__code__in=list(park_rows)) | Q(region__code__in=sorted(codes)))
        by_park, by_region = {}, {}
        for t in rows:
            kinds = tuple(k.strip() for k in t.land_kinds.split(",") if k.strip()) or (INDUSTRIAL,)
            if t.park_id is not None:
                label = f"{t.park.name}标准"
                by_park[t.park.code] = Thresholds(t.min_intensity_wan_per_mu, t.min_tax_wan_per_mu, label, kinds)
            else:
                label = "全省默认值" if t.region.code == PROVINCE_CODE else f"{t.region.name}标准"
                by_region[t.region.code] = Thresholds(t.min_intensity_wan_per_mu, t.min_tax_wan_per_mu, label, kinds)
        return cls(park_rows, region_paths, by_park, by_region)

    def answer(self, park_code: str = "", region_code: str = "") -> Thresholds:
        path = ""
        if park_code:
            if park_code not in self.parks:
                raise PayloadError("park_code", "园区编码不存在")
            if park_code in self.by_park:
                return self.by_park[park_code]
            path = self.parks[park_code][1]
        elif region_code:
            if region_code not in self.region_paths:
                raise PayloadError("region_code", "区划代码不存在")
            path = self.region_paths[region_code]
        for code in reversed(path.split("/") if path else []):
            if code in self.by_region:
                return self.by_region[code]
        return self.by_region.get(PROVINCE_CODE) or Thresholds(DEFAULT_MIN_INTENSITY, DEFAULT_MIN_TAX, "全省默认值")


def _land_kind(obj: dict) -> str:
    kind = _text(obj, "land_kind", required=False).strip()
    if kind and kind not in get_checker().land.labels:
        raise PayloadError("land_kind", "只能是 " + "、".join(sorted(get_checker().land.labels)))
    return kind


def _stated_credit(obj: dict) -> str | None:
    stated = obj.get("investor_credit")
    if stated is not None and stated not in CREDIT_VALUES:
        raise PayloadError("investor_credit", "只能是 blacklisted 或 ok")
    return stated


def _blacklisted(code: str, name: str):
    """The active register entry of the credit code, else of the name (the newest listing), or None."""
    batch = _batch.get()
    entry = None
    if code:
        if batch is not None and code in batch["codes"]:
            entry = batch["by_code"].get(code)
        else:
            entry = CreditBlacklistEntry.objects.filter(removed_on__isnull=True, credit_code=code).first()
    if entry is None and name:
        if batch is not None and name in batch["names"]:
            entry = batch["by_name"].get(name)
        else:
            entry = CreditBlacklistEntry.objects.filter(removed_on__isnull=True, name=name).first()
    return entry


def admission_check(
    facts: ProjectFacts,
    *,
    investor_name: str = "",
    investor_credit_code: str = "",
    park_code: str = "",
    region_code: str = "",
) -> AdmissionResult:
    """The check of typed facts: the investor is looked up in the 失信 register by credit code, else name (a
    listing overrides what the facts state), and the thresholds are the park's or the region's. Raises
    ``PayloadError`` for an unknown park or region code."""
    code, name = investor_credit_code.strip().upper(), investor_name.strip()
    entry = _blacklisted(code, name) if code or name else None
    facts.investor_credit_checked = bool(code or name)
    if entry is not None:
        facts.investor_credit = "blacklisted"
        facts.investor_credit_evidence = f"失信主体名单：{entry.name}，{entry.credit_code}，{entry.authority}认定"
    thresholds = thresholds_for(park_code=park_code.strip(), region_code=region_code.strip())
    return get_checker().check(facts, thresholds)


def _place_in_scope(user, park_code: str, region_code: str) -> None:
    from zhaoshang.regions.models import Park, Region

    if park_code and not Park.objects.for_user(user, None).filter(code=park_code).exists():
        raise PayloadError("park_code", "园区编码不存在")
    if region_code and not Region.objects.for_user(user, None).filter(code=region_code).exists():
        raise PayloadError("region_code", "区划代码不存在")


def _admission_result(obj, *, user=None):
    obj = _require_object(obj)
    ident = _id(obj)
    thresholds_obj = obj.get("thresholds") or {}
    if not isinstance(thresholds_obj, dict):
        raise PayloadError("thresholds", "必须是 JSON 对象")
    facts = ProjectFacts(
        name=_text(obj, "name", required=True),
        description=_text(obj, "description", required=False),
        total_investment_wan=_decimal(obj, "total_investment_wan"),
        land_mu=_decimal(obj, "land_mu"),
        expected_annual_tax_wan=_decimal(obj, "expected_annual_tax_wan"),
        min_intensity_wan_per_mu=_decimal(thresholds_obj, "min_intensity_wan_per_mu"),
        min_tax_wan_per_mu=_decimal(thresholds_obj, "min_tax_wan_per_mu"),
        investor_credit=_stated_credit(obj),
        land_kind=_land_kind(obj),
    )
    park_code = _text(obj, "park_code", required=False).strip()
    region_code = _text(obj, "region_code", required=False).strip()
    if user is not None:
        _place_in_scope(user, park_code, region_code)
    result = admission_check(
        facts,
        investor_name=_text(obj, "investor_name", required=False),
        investor_credit_code=_text(obj, "investor_credit_code", required=False),
        park_code=park_code,
        region_code=region_code,
    )
    return ident, facts, result


def admission_payload(obj, *, user=None) -> dict:
    """The check of one payload object. With ``user`` (the API), a park or region code outside the user's
    jurisdiction is answered as an unknown one: the answer would name it and its standards."""
    ident, _, result = _admission_result(obj, user=user)
    return {"id": ident, **result.as_dict()}


def text_classification(facts: ProjectFacts, result: AdmissionResult) -> Classification:
    """``classify_payload``'s classification of the facts (``text`` = the description, else the name), reusing the
    check's where it is the same answer."""
    classification = result.classification
    if not facts.description:
        classifier = get_checker().classifier
        if _cores_with_space(classifier):
            classification = classifier.classify(facts.name, facts.name)
    return classification


def _cores_with_space(classifier) -> bool:
    cached = getattr(classifier, "_cores_with_space", None)
    if cached is None:
        cached = any(any(ch.isspace() for ch in core) for core, _ in classifier.gbt_cores)
        classifier._cores_with_space = cached
    return cached
