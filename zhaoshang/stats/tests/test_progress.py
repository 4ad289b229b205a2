from decimal import Decimal as D

import pytest

from zhaoshang.stats.progress import progress, sentence

# The 楚雄州 reply of 2021-08-20, verbatim but for the dash: the platform writes every month range one way, 1—6月
# (core/formatting.py month_range; see docs/decisions.md), where the reply typed a hyphen.
CHUXIONG = (
    "1—6月，全州引进州外到位资金增长19.4%，高于全年目标（15%）4.4个百分点，"
    "完成全年目标进度60.2%，提前时序进度10.2个百分点。"
)


def test_the_chuxiong_sentence_is_reproduced_exactly():
    # Last year: 1–6 月 100 亿元, full year 200 亿元. Target: +15 % → 230 亿元. This year 1–6 月 119.4 → 119.4/230.
    # 119.4 / 230 = 51.9 %, so pick this year's actual to give 60.2 % completion and 19.4 % growth together:
    # growth 19.4 % on A_ly → A = 1.194 A_ly; completion A / (1.15 F) = 0.602 → F = 1.194 A_ly / 0.6923 = 1.7247 A_ly
    p = progress(
        month=6,
        actual=D("119400"),
        actual_last_year=D("100000"),
        last_year_full=D("172470"),
        growth_target_pct=D("15"),
    )
    assert (p.growth_printed, p.completion_printed, p.elapsed_printed) == (D("19.4"), D("60.2"), D("50.0"))
    assert sentence(p, area="全州", subject="引进州外到位资金") == CHUXIONG


def test_behind_time_and_below_target_and_decline_are_worded():
    p = progress(month=9, actual=D("90"), actual_last_year=D("100"), target=D("200"), growth_target_pct=D("12.5"))
    assert sentence(p, area="全省", subject="协议投资额") == (
        "1—9月，全省协议投资额下降10.0%，低于全年目标（12.5%）22.5个百分点，"
        "完成全年目标进度45.0%，滞后时序进度30.0个百分点。"
    )


def test_without_last_year_or_target_only_what_is_known_is_said():
    assert sentence(progress(month=1, actual=D("5"), target=D("60")), area="全县", subject="签约项目") == (
        "1月，全县签约项目，完成全年目标进度8.3%，与时序进度持平。"
    )


def test_ahead_points_use_the_printed_figures():
    p = progress(month=7, actual=D("60.25"), target=D("100"))
    assert (p.completion_printed, p.elapsed_printed, p.ahead_points) == (D("60.3"), D("58.3"), D("2.0"))


def test_month_must_be_in_the_year():
    with pytest.raises(ValueError):
        progress(month=13, actual=D("1"))


def test_whole_computed_figures_keep_their_decimal_like_the_chuxiong_reply():
    # "其中，省外到位资金增长30.0%，高于全年目标（15%）15.0个百分点，完成全年目标进度64.6%，提前时序进度14.6个百分点"
    p = progress(month=6, actual=D("130"), actual_last_year=D("100"), target=D("201.24"), growth_target_pct=D("15"))
    assert sentence(p, area="", subject="省外到位资金", end="") == (
        "1—6月，省外到位资金增长30.0%，高于全年目标（15%）15.0个百分点，完成全年目标进度64.6%，提前时序进度14.6个百分点"
    )
