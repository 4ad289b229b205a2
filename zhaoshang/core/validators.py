"""Checks shared by several apps: identifiers, what text may contain, and the platform's domain ranges."""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_error(code: str) -> str | None:
    """GB 32100-2015 统一社会信用代码: 18 characters of the code alphabet, the last one a check character.
    The reason in Chinese, or None when the code is valid."""
    if len(code) != 18:
        return "必须为18位"
    if any(ch not in CREDIT_CODE_CHARS for ch in code):
        return "含有无效字符"
    total = sum(CREDIT_CODE_CHARS.index(ch) * w for ch, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    expected = CREDIT_CODE_CHARS[(31 - total % 31) % 31]
    return None if code[17] == expected else "校验位错误"


# -- What text may contain (issue 13 item 6) ------------------------------------------------------------------------
# C0 and C1 control characters except tab, line feed and carriage return, and the two non-characters XML refuses.
# NUL cannot be stored in PostgreSQL text, and one of them in a name made every Excel export holding it fail.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_CHARACTERS_MESSAGE = "不能包含控制字符（如从其他系统复制带入的不可见字符），请删除后重新输入"


def control_characters_error(text: str) -> str | None:
    return CONTROL_CHARACTERS_MESSAGE if isinstance(text, str) and CONTROL_CHARACTERS.search(text) else None


@deconstructible
class ProhibitControlCharactersValidator:
    """Django validator form of ``control_characters_error``; every text field of every form and serializer
    runs it (``core/inputs.py``)."""

    code = "control_characters"

    def __call__(self, value):
        if message := control_characters_error(value):
            raise ValidationError(message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ProhibitControlCharactersValidator)


# -- Domain ranges: what a value of the platform can plausibly be ----------------------------------------------------
# One place for the ranges; the services call them, so the form, the API, imports and commands refuse alike. Each
# returns the reason in Chinese, or None. Chosen to refuse typing slips and probes (999,999,999,999.99 万元 in one
# month, 0001-01, a negative or per-100-dollar exchange rate), never a real figure of a Yunnan project.
EARLIEST_DATE = date(2000, 1, 1)  # the platform's first reporting year (core.periods.FIRST_YEAR)
MONTHS_BEFORE_FIRST_RECORD = 24  # funds paid before the 线索 was registered (with a note): at most two years before
ENTRY_CEILING_WAN = Decimal("10000000")  # 1,000亿元: no project has had this much arrive in one month
ENTRY_AGREEMENT_MULTIPLE = 3  # one month's entry ≤ 3 × the project's agreed investment (增资 included)
USD_RATE_RANGE = (Decimal("5"), Decimal("10"))  # 元 per US dollar: 6.1–8.3 since 2000; 710 is a per-100 quote


def business_date_error(value: date, *, today: date | None = None) -> str | None:
    """A date of the business (registration, stage change, signing): from 2000-01-01 to today."""
    today = today or timezone.localdate()
    if value < EARLIEST_DATE:
        return f"不能早于{EARLIEST_DATE:%Y-%m-%d}"
    if value > today:
        return "不能晚于今天"
    return None


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def ledger_month_error(month: date, *, first_record: date, today: date | None = None) -> str | None:
    """A month of funds in place: from 24 months before the project's first record to the current month, and never
    before 2000-01. (A month before the first record also needs a note: ``funding_record``.)"""
    today = today or timezone.localdate()
    if month.replace(day=1) > today.replace(day=1):
        return "不能录入未来月份的到位资金"
    if month < EARLIEST_DATE:
        return f"月份不能早于{EARLIEST_DATE:%Y年%m月}"
    if _months_between(month, first_record) > MONTHS_BEFORE_FIRST_RECORD:
        return (
            f"{month:%Y年%m月}比项目最早的记录日期（{first_record:%Y-%m-%d}）早{MONTHS_BEFORE_FIRST_RECORD}个月以上，"
            "请核实月份"
        )
    return None


def ledger_amount_error(amount: Decimal, *, agreed: Decimal | None) -> str | None:
    """One month's funds in place of one project: at most 1,000亿元, and at most 3 times its agreed investment."""
    if amount > ENTRY_CEILING_WAN:
        return f"单月到位资金不能超过{ENTRY_CEILING_WAN:,.0f}万元，请核实金额和单位（万元）"
    if agreed and agreed > 0 and amount > agreed * ENTRY_AGREEMENT_MULTIPLE:
        return (
            f"单月到位资金超过了协议投资额（{agreed:,.2f}万元）的{ENTRY_AGREEMENT_MULTIPLE}倍，"
            "请核实金额和单位（万元）；增资请先录入新的协议"
        )
    return None


def usd_rate_error(rate: Decimal | None) -> str | None:
    """The exchange rate used for foreign funds: 元 per US dollar."""
    low, high = USD_RATE_RANGE
    if rate is None:
        return None
    if rate <= 0:
        return "汇率须大于0"
    if not low <= rate <= high:
        return f"汇率应为1美元兑人民币元数，在{low}至{high}之间（如7.1）；请勿填写每100美元的报价"
    return None
