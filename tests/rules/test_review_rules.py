"""The checks evaluators score: deadline (D-1), repetition from last year (R-1), ratio jumps (Y-1)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaigen.api import reports as api
from gaigen.core.errors import InputError, UsageError
from gaigen.core.problems import message
from gaigen.rules import check_report
from gaigen.rules.similarity import coverage, normalise, shingles
from gaigen.spec.layout import Edition
from tests.builders import set_cell, write
from tests.county import agency_file, copied, narrative

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "county-government-2024.yaml"


def rules_of(result: api.Validation, rule: str) -> list[str]:
    return [message(p) for p in result.problems if p.rule == rule]


@pytest.mark.parametrize(
    ("level", "published", "late"),
    [("部门", "2025-01-31", None), ("部门", "2025-02-01", 1), ("政府", "2025-03-31", None), ("政府", "2025-04-01", 1)],
)
def test_the_statutory_deadline_missed_by_one_day_is_warned(
    tmp_path: Path, level: str, published: str, late: int | None
) -> None:
    data = agency_file(tmp_path, "a.yaml", 1)
    data["级别"] = level
    if level == "政府":
        data["一、总体情况"]["监督保障"] += "开展工作考核、社会评议，未发生责任追究。"
    data["发布日期"] = published
    found = rules_of(api.validate_file(write(data, tmp_path / "a.yaml")), "D-1")
    if late is None:
        assert found == []
    else:
        who, limit = ("人民政府", "2025 年 3 月 31 日") if level == "政府" else ("部门", "2025 年 1 月 31 日")
        assert len(found) == 1
        assert found[0].endswith(
            f"“发布日期”为 {published}，晚于发布期限 1 天（《条例》规定{who}在 {limit}前公布）（D-1）。"
            "逾期发布会在评估中扣分；如日期填错请改正，确实逾期请在报告中说明原因。"
        )
        assert found[0].startswith(f"{tmp_path / 'a.yaml'} 第 ")


def test_a_local_deadline_from_the_option_or_the_config_file(tmp_path: Path) -> None:
    data = agency_file(tmp_path, "a.yaml", 1)
    data["发布日期"] = "2025-01-21"
    path = write(data, tmp_path / "a.yaml")
    assert rules_of(api.validate_file(path), "D-1") == []
    local = rules_of(api.validate_file(path, settings=api.load_settings(deadline="2025-01-20")), "D-1")
    assert len(local) == 1 and "晚于发布期限 1 天（本地规定的发布期限为 2025 年 1 月 20 日）" in local[0]
    config = tmp_path / "县设置.yaml"
    config.write_text("发布期限:\n  部门: 2025-01-15\n  政府: 2025-03-01\n重复率阈值: 40\n", encoding="utf-8")
    settings = api.load_settings(config)
    assert settings.repeat_threshold == 0.4
    found = rules_of(api.validate_file(path, settings=settings), "D-1")
    assert len(found) == 1 and "晚于发布期限 6 天" in found[0]


def test_a_bad_setting_is_named_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "县设置.yaml"
    config.write_text("审核机关: 某某县人民政府办公室\n重复率: 40\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        api.load_settings(config)
    assert str(raised.value).startswith(f"{config} 第 2 行：不认识的设置“重复率”。")
    with pytest.raises(UsageError, match="--deadline 为“1月31日”，应为日期"):
        api.load_settings(deadline="1月31日")


@pytest.mark.parametrize(("share", "warned"), [(0.6, True), (0.4, False)])
def test_a_report_copied_from_last_year(tmp_path: Path, share: float, warned: bool) -> None:
    rng = random.Random(7)
    before = narrative(rng)
    last = agency_file(tmp_path / "2023", "a.yaml", 3, before, agency="某某县交通运输局")
    last["年度"] = 2023
    last["发布日期"] = "2024-01-20"
    previous = write(last, tmp_path / "2023" / "a.yaml")
    now = agency_file(tmp_path, "a.yaml", 4, copied(before, share, rng), agency="某某县交通运输局")
    found = rules_of(api.validate_file(tmp_path / "a.yaml", previous), "R-1")
    assert now["年度"] == 2024
    if not warned:
        assert found == []
        return
    assert len(found) == 1
    assert "“正文”，与上年报告（" in found[0]  # 五 is 50 % copied: not over the threshold, not named
    assert "）重复 60%，其中一、总体情况 60%、六、其他需要报告的事项 100%，超过 50%（R-1）" in found[0]


def test_the_repeat_threshold_is_configurable(tmp_path: Path) -> None:
    rng = random.Random(8)
    before = narrative(rng)
    last = agency_file(tmp_path / "2023", "a.yaml", 3, before)
    last["年度"] = 2023
    last["发布日期"] = "2024-01-20"
    previous = write(last, tmp_path / "2023" / "a.yaml")
    agency_file(tmp_path, "a.yaml", 3, copied(before, 0.4, rng))
    settings = api.load_settings(None)
    assert rules_of(api.validate_file(tmp_path / "a.yaml", previous, settings), "R-1") == []
    config = tmp_path / "设置.yaml"
    config.write_text("重复率阈值: 30\n", encoding="utf-8")
    found = rules_of(api.validate_file(tmp_path / "a.yaml", previous, api.load_settings(config)), "R-1")
    assert len(found) == 1 and "重复 40%" in found[0] and "超过 30%" in found[0]


def test_numbers_changed_in_a_copied_sentence_still_count_as_copied() -> None:
    before = normalise("2023年，本机关共收到政府信息公开申请15件，全部按时办结。")
    now = normalise("2024年，本机关共收到政府信息公开申请27件，全部按时办结。")
    assert coverage(now, shingles(before), before) == 1.0


@given(st.text(alphabet="政府信息公开申请办理结果年度报告", min_size=0, max_size=60))
def test_a_text_is_wholly_found_in_itself(text: str) -> None:
    normal = normalise(text)
    share = coverage(normal, shingles(normal), normal)
    assert share == (1.0 if normal else 0.0)


def test_a_large_jump_of_a_ratio_from_last_year(tmp_path: Path) -> None:
    last = agency_file(tmp_path / "2023", "a.yaml", 5)
    last["年度"] = 2023
    last["发布日期"] = "2024-01-20"
    for column in ("结果维持", "结果纠正", "其他结果", "尚未审结"):
        set_cell(last, "表四", ("行政复议",), column, 0)
    set_cell(last, "表四", ("行政复议",), "结果维持", 20)
    previous = write(last, tmp_path / "2023" / "a.yaml")
    data = agency_file(tmp_path, "a.yaml", 6)
    for column, value in (("结果维持", 5), ("结果纠正", 15), ("其他结果", 0), ("尚未审结", 0)):
        set_cell(data, "表四", ("行政复议",), column, value)
    path = write(data, tmp_path / "a.yaml")
    found = rules_of(api.validate_file(path, previous), "Y-1")
    assert [m.split("：", 1)[1] for m in found] == [
        "“复议纠错率”为 75%，上年为 0%，变化超过 30%（复议纠错率 = 表四 行政复议 结果纠正 ÷ 行政复议 总计）（Y-1）。"
        "请核对表中数字；确属实际情况的，建议在报告中说明原因。"
    ]
    set_cell(data, "表四", ("行政复议",), "结果纠正", 1)  # 1 of 6: too few cases to compare
    set_cell(data, "表四", ("行政复议",), "结果维持", 5)
    assert rules_of(api.validate_file(write(data, path), previous), "Y-1") == []


def test_the_2019_edition_is_checked_too(tmp_path: Path) -> None:
    data = agency_file(tmp_path, "a.yaml", 2, edition=Edition.E2019)
    data["发布日期"] = "2021-02-02"
    assert len(rules_of(api.validate_file(write(data, tmp_path / "a.yaml")), "D-1")) == 1


@given(st.dates(dt.date(2025, 1, 1), dt.date(2025, 6, 30)), st.sampled_from(["部门", "政府"]))
def test_d1_warns_exactly_after_the_deadline(published: dt.date, level: str) -> None:
    report, _ = api.load_report(EXAMPLE)  # 2024, 级别 政府
    report.published, report.level = published, level
    limit = dt.date(2025, 1, 31) if level == "部门" else dt.date(2025, 3, 31)
    found = [p for p in check_report(report) if p.rule == "D-1"]
    assert len(found) == (1 if published > limit else 0)
    if found:
        assert f"晚于发布期限 {(published - limit).days} 天" in found[0].why
