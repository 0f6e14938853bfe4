"""`reporttool summary`: county × metric across drafts, one unit per column, totals, and flags where
a figure needs checking (the drafts' own plausibility findings; a figure ten times off the set's
median). Text, CSV (read back with the csv module) and .xlsx (read back with openpyxl)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from reporttool import api
from reporttool.cli import cli
from test_history import county_set

CLASSES = """        - name: 小学在校学生
          id: primary-pupils
          value: 6300
          unit: 人
        - name: 小学教学班
          id: primary-classes
          value: 90
          unit: 个
"""


def planted_set(root: Path) -> Path:
    """The 2026 counties, 乙县 writing its spending in 元 by slip, 甲县 with 70 pupils a class."""
    counties = county_set(root)
    text = (counties / "乙县.yaml").read_text(encoding="utf-8")
    (counties / "乙县.yaml").write_text(text.replace('value: 10094\n          unit: "万元"',
                                                     'value: 10094\n          unit: "元"'), encoding="utf-8")
    text = (counties / "甲县.yaml").read_text(encoding="utf-8")
    (counties / "甲县.yaml").write_text(text + CLASSES, encoding="utf-8")
    return counties


def test_the_table_lines_up_counties_and_metrics_in_one_unit_with_totals_and_flags(tmp_path):
    counties = planted_set(tmp_path)
    table, unusable = api.summarize([counties])
    assert not unusable and len(table.rows) == 5
    titles = [c.title for c in table.columns]
    assert titles[:5] == ["在校学生", "专任教师", "教育总投入", "新建校舍面积", "义务教育巩固率"]  # 丁县's rename: id
    spending = titles.index("教育总投入")
    assert table.columns[spending].unit == "万元"
    by_county = {Path(r.file).stem: cells for r, cells in zip(table.rows, table.cells)}
    assert by_county["乙县"][spending].text == "1.0094"  # 元 converted to 万元: the slip is visible …
    assert any("中位数" in flag for flag in by_county["乙县"][spending].flags)  # … and flagged
    students = titles.index("在校学生")
    assert table.totals[students] == str(sum(int(by_county[c][students].text) for c in by_county))
    assert table.columns[titles.index("义务教育巩固率")].total_label == "平均"
    flagged = {(Path(row.file).stem, column.title) for row, column, _ in table.flagged}
    assert flagged == {("乙县", "教育总投入")}
    # 70 pupils a class, the draft's own plausibility rule: a flag in its column when one is asked for …
    chosen, _ = api.summarize([counties], ["primary-pupils", "primary-classes"])
    assert {(Path(r.file).stem, c.title) for r, c, _ in chosen.flagged} == {("甲县", "小学教学班")}
    # … and in the row's marks when not
    from reporttool.check.summary import records

    marks = {Path(r[0]).stem: r[-1] for r in records(table)[1:-1]}
    assert "小学教学班：小学平均每班70.0人" in marks["甲县"]


def test_text_csv_and_xlsx_carry_the_same_table(tmp_path):
    counties = planted_set(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(cli, ["summary", str(counties), "-m", "students", "-m", "spending"])
    assert shown.exit_code == 0, shown.output
    assert "在校学生（人）" in shown.output and "教育总投入（万元）" in shown.output and "合计" in shown.output
    assert "2 份有标记" in shown.output  # 乙县's spending; 甲县's class size (not a column: in its row)
    out = tmp_path / "汇总.csv"
    assert runner.invoke(cli, ["summary", str(counties), "-m", "students", "-m", "spending", "--format", "csv",
                               "-o", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:5] == ["草稿", "发文机关", "年度", "在校学生（人）", "教育总投入（万元）"] and rows[-1][0] == "合计"
    assert len(rows) == 7 and any("乙县" in r[0] and "中位数" in r[-1] for r in rows)
    book = tmp_path / "汇总.xlsx"
    made = subprocess.run([sys.executable, "-m", "reporttool", "summary", str(counties), "--format", "xlsx", "-o",
                           str(book)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and "已写入" in made.stdout
    sheet = load_workbook(book).active
    values = list(sheet.values)
    assert values[0][3] == "在校学生（人）" and values[-1][0] == "合计"
    county_rows = {Path(r[0]).stem: r for r in values[1:-1]}
    assert county_rows["乙县"][5] == 1.0094 and county_rows["甲县"][3] == 42472  # numbers, not text
    commented = [c for row in sheet.iter_rows() for c in row if c.comment is not None]
    assert any("中位数" in c.comment.text for c in commented)
    refused = subprocess.run([sys.executable, "-m", "reporttool", "summary", str(counties), "--format", "xlsx"],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "-o" in refused.stderr and "Traceback" not in refused.stderr


def test_a_broken_draft_is_a_row_that_says_why(tmp_path):
    counties = planted_set(tmp_path)
    (counties / "戊县.yaml").write_text("schema_version: 1\nmeta: [\n", encoding="utf-8")
    table, _ = api.summarize([counties, tmp_path / "无此目录"])
    broken = next(r for r in table.rows if r.file.endswith("戊县.yaml"))
    assert broken.problem and not broken.figures
    assert "未读出" in next(line for line in api_text(table).splitlines() if "戊县" in line)


def api_text(table) -> str:
    from reporttool.check.summary import to_text

    return to_text(table)
