"""The shipped risk rules (issue 20 item 3; 2022 opinion 六（六）, 招大引强 measures §8). Loaded once: a rule that
exists keeps the weight, parameters and enabled flag administrators gave it (only missing rules are added)."""

from zhaoshang.risk.choices import RuleCode

# (code, weight, params, enabled, description)
RULES = [
    (
        RuleCode.NO_FUNDS,
        30,
        {"months": 3},
        True,
        "已签约满N个月（参数 months，默认3）仍无资金到位（到位资金台账合计不大于0）。"
        "排除后，签约日期变化或月数达到N的下一个倍数时再次预警。",
    ),
    (
        RuleCode.NOT_STARTED,
        20,
        {"months": 12},
        True,
        "已签约满N个月（参数 months，默认12）仍处于签约或注册阶段、未开工。",
    ),
    (
        RuleCode.MILESTONE,
        20,
        {},
        False,
        "阶段晚于协议约定的开工、投产节点。平台的投资协议目前只记录签约日期和协议期限，没有约定节点日期，"
        "本规则暂不启用；“签约后长期未开工”规则覆盖最常见的情形。",
    ),
    (RuleCode.PROMISE_OVERDUE, 20, {}, True, "项目的招商承诺已过兑现期限仍未兑现（企业服务时限检查标记为逾期）。"),
    (
        RuleCode.CREDIT,
        40,
        {},
        True,
        "投资方信用状况为失信，或其统一社会信用代码在失信主体名单中（未移出），或投资方已注销（企业库中登记了“企业注销”信号）。",
    ),
    (RuleCode.TICKET_OVERDUE, 10, {}, True, "项目涉及的企业诉求超过办理时限仍未办结。"),
    (
        RuleCode.LAND_IDLE,
        20,
        {"months": 12},
        False,
        "交地后满N个月未开工（土地闲置）。平台尚未记录交地日期，本规则暂不启用。",
    ),
    (RuleCode.COLLECTIVE_MISSING, 30, {}, True, "慎招项目（准入检查需集体研判）尚无结论为“同意”的集体决策记录。"),
    (
        RuleCode.LAWFULNESS_UNREVIEWED,
        30,
        {},
        True,
        "被《公平竞争审查条例》标记的承诺条款尚未登记法律依据并经另一人复核（合法性审查）。",
    ),
]


def rule_rows():
    for order, (code, weight, params, enabled, description) in enumerate(RULES, start=1):
        yield (
            code,
            {
                "name": RuleCode(code).label,
                "weight": weight,
                "params": params,
                "enabled": enabled,
                "description": description,
                "order": order * 10,
            },
        )


def load_rules() -> tuple[int, int]:
    from zhaoshang.risk.models import RiskRule

    created = 0
    for code, defaults in rule_rows():
        _, made = RiskRule.objects.get_or_create(code=str(code), defaults=defaults)
        created += made
    return created, 0
