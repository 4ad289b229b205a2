"""《公平竞争审查条例》(2024) screening of a promise at entry.

The regulation (第十条至第十二条) bars, unless laws or administrative regulations provide for it or the State
Council has approved it: tax preferences to particular operators, selective financial subsidies or rewards tied
to the tax an operator pays or its output, returns of land transfer fees or land prices below the standard, and
exemptions or reductions of administrative fees, government funds or social insurance contributions. Such a
clause is flagged when entered; it can be approved for payment only with its legal basis recorded and reviewed by
a second person (``services.promises``). The words below are the ones agreements use for those kinds."""

import re

RULES = [
    (
        "税收返还或税收优惠",
        r"税收返还|返还.{0,6}税|税收.{0,4}(奖励|优惠|减免|返还)|先征后返|即征即退|地方留成|留成部分|以税定奖|以税定补",
    ),
    (
        "与纳税额或产值挂钩的选择性奖补",
        r"(按|根据|依据|以).{0,8}(纳税|缴纳.{0,4}税|税收贡献|地方财政贡献|产值).{0,12}(奖|补|返)",
    ),
    (
        "土地出让金返还或低价供地",
        r"(土地)?出让金.{0,6}(返还|奖励|补贴|减免)|返还.{0,6}(土地出让金|地价)|地价.{0,4}(返还|优惠|减免)|零地价|低于.{0,6}(基准地价|最低价)",
    ),
    (
        "减免行政事业性收费、政府性基金或社会保险费",
        r"(免收|减免|免征|免缴|减半征收|代缴).{0,10}(费|基金)|(费|基金).{0,4}(全免|减免|免收)",
    ),
]
PATTERNS = [(label, re.compile(pattern)) for label, pattern in RULES]


def flag_reasons(text: str) -> list[str]:
    """The kinds of clause the regulation bars without a legal basis that ``text`` reads as (empty: none)."""
    text = re.sub(r"\s+", "", text or "")
    return [label for label, pattern in PATTERNS if pattern.search(text)]
