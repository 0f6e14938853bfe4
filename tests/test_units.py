"""The unit table covers the measure words real reports use; a project can add its own."""

from __future__ import annotations

import pytest

import reporttool
from conftest import VALID_META
from reporttool.model import units


def _draft(metrics: str, text: str = "全县学校【学校】。") -> str:
    return VALID_META + f"""achievements:
  sections:
    - heading: 办学条件
      text: |
        {text}
      metrics:
{metrics}"""


SCHOOLS = """        - {{name: 学校, value: {total}, unit: 所, parts: [小学, 初中, 教学点]}}
        - 小学: 45所
        - 初中: 12所
        - 教学点: 9个
"""


def _rules(source: str, config=None) -> list[str]:
    return [p.rule for p in reporttool.check_text(source, config=config).problems]


def test_schools_and_teaching_points_in_ge_add_up_with_schools_in_suo():
    assert _rules(_draft(SCHOOLS.format(total=66))) == []
    assert _rules(_draft(SCHOOLS.format(total=67))) == ["metric/parts-sum"]  # the real mistake still found


def test_ge_adds_up_with_any_count_but_suo_and_ren_do_not():
    ge, suo, ren, xiao = (units.table().lookup(name) for name in ("个", "所", "人", "校"))
    assert ge.compatible(suo) and suo.compatible(ge) and ge.compatible(ren) and xiao.compatible(suo)
    assert not suo.compatible(ren)
    assert not units.counts_classes(ge) and not units.counts_people(ge)  # 45个 is no class count


@pytest.mark.parametrize("written", ["3000份", "2.5万份", "120幅", "6批次", "40种", "15个工作日", "3.2吨", "2倍", "35岁"])
def test_measure_words_of_real_reports_are_known(written):
    quantity = units.parse(written)
    assert quantity.unit.name == written.lstrip("0123456789.")


def test_a_project_adds_its_own_measure_words(tmp_path):
    draft = _draft("        - 实验设备: 120台套\n        - 图书: 3.5万册次\n", "新增实验设备【实验设备】、图书【图书】。")
    assert "metric/unknown-unit" in _rules(draft)
    (tmp_path / "reporttool.toml").write_text('[units]\n"台套" = {base = "台"}\n"册次" = "count"\n', encoding="utf-8")
    config = reporttool.load_config(str(tmp_path / "reporttool.toml"))
    assert _rules(draft, config) == []
    (tmp_path / "d.yaml").write_text(draft, encoding="utf-8")
    assert reporttool.check_file(tmp_path / "d.yaml").problems == []
    assert units.table().lookup("台套") is None  # the project's units apply to its drafts only


@pytest.mark.parametrize("entry, message", [
    ('"台套" = "counts"', "种类“counts”无效"),
    ('"台套" = {base = "无此单位"}', "需要 kind（种类）或已有的 base"),
    ('"台套" = {kind = "money", base = "台"}', "不是已有的金额单位"),
    ('"台套" = {base = "台", factor = -2}', "factor 应为正数"),
    ('"台套" = 3', "应写成种类名"),
])
def test_a_wrong_unit_entry_is_a_clear_config_error(tmp_path, entry, message):
    (tmp_path / "reporttool.toml").write_text(f"[units]\n{entry}\n", encoding="utf-8")
    with pytest.raises(reporttool.ConfigError, match=message):
        reporttool.load_config(str(tmp_path / "reporttool.toml"))
