"""Import alone reads realistic reports the way a careful writer would: validation of the imported
draft finds exactly the arithmetic failures planted in them, and nothing on the figures that are
right (the near misses), whose relations must have been declared, so that they were checked.

The reports (tests/fixtures/import-*.txt, and a Word document built below) are written for these
tests in the forms real county and city reports use: a county 工作总结 with its recipient, 署名 and
成文日期; a 工作汇报 to inspectors with a salutation and an unheaded closing paragraph; a 调研报告
with 1、 sections and 对策建议; a city 工作总结 whose parts are its topic areas; a half-year
summary; a 汇报 with a table. None of their sentences comes from ../shared/corpus.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reporttool import check_text
from reporttool.check import schema
from reporttool.importer import shapes
from reporttool.importer.run import import_file
from reporttool.load.parse import load_text
from reporttool.model import report as model
from reporttool.render import compose

FIXTURES = Path(__file__).parent / "fixtures"


class Case:
    """What a reader sees in one report: its parts, its meta, the failures planted in it, and
    relations that hold (each must be declared by the import, and must not be reported)."""

    def __init__(self, roles: list[str], failures: set[tuple[str, str]], holds: dict[str, dict],
                 meta: dict[str, object]) -> None:
        self.roles, self.failures, self.holds, self.meta = roles, failures, holds, meta


CASES = {
    "import-county-annual.txt": Case(
        ["profile", "achievements", "problems", "plans"],
        {("metric/parts-sum", "各级各类学校"),  # 2+9+4+38+15 = 68 of 70
         ("metric/class-size", "普通高中教学班"),  # 5620 pupils in 98 classes: 57.3 a class
         ("metric/parts-sum", "新增学位")},  # （其中小学学位1620个、初中学位1140个） of 2860
        {"专任教师": {"parts": ["小学专任教师", "初中专任教师", "普通高中专任教师"], "partial": False},
         "教职工": {"parts": ["专任教师"], "partial": True},  # the stage split is of 专任教师, not of 教职工
         "教育投入": {"previous": Decimal("4.32"), "change": Decimal("0.54"), "growth": Decimal("12.5")},
         "新建、改扩建校舍": {"parts": ["新建校舍", "改扩建校舍"], "partial": False},
         "本科上线率": {"rate": ("本科上线", "参加高考")},
         "就业率": {"rate": ("就业人数", "中职毕业生")},
         "义务教育巩固率": {"previous": Decimal("98.6"), "change": Decimal("0.5")},
         "招聘教师": {"parts": ["特岗教师", "公开招聘"], "partial": False},  # 安置到农村学校148名 is no part
         "资助学生": {"parts": ["学前教育资助", "义务教育资助", "普通高中资助", "中职资助"], "partial": False},
         "小学在校生": {}, "小学教学班": {}, "初中在校生": {}, "初中教学班": {}},  # 51.8 and 48.0 a class
        {"recipient": "县人民政府", "issuer": "青川县教育局", "date": "2026-01-08", "kind": "annual", "year": 2025}),
    "import-inspection-report.txt": Case(
        ["profile", "achievements", "problems", "plans"],
        {("metric/pupil-teacher", "初中教职工"),  # 9230 pupils, 620 staff: 14.9 > 13.5
         ("metric/rate", "本科及以上学历占比"),  # 1386 of 1650 is 84.0 %, not 84.2 %
         ("metric/change", "交流轮岗教师")},  # 126 → 218 is 92 more, not 82
        {"义务教育学校": {"parts": ["小学", "初中", "九年一贯制学校"], "partial": False},
         "小学": {"parts": ["教学点"], "partial": True},  # （含教学点12个）: 个 counted with 所
         "义务教育阶段在校学生": {"parts": ["小学在校学生", "初中在校学生"], "partial": False},
         "投入义务教育经费": {"parts": ["中央和省级资金", "县级资金"], "partial": False},
         "高级职称教师占比": {"rate": ("高级职称教师", "义务教育阶段专任教师")},
         "小学教职工": {},  # 19230 ÷ 1080 = 17.8, within 19
         "生均公用经费小学": {"previous": Decimal(650)},
         "城区学校大班额": {"previous": Decimal(46)}},
        {"recipient": "尊敬的省督导评估组各位领导、各位专家", "issuer": "平安县人民政府", "date": "2025-10-15",
         "kind": "special"}),
    "import-survey-report.txt": Case(
        ["profile", "achievements", "problems", "plans"],
        {("metric/rate", "本科及以上学历占比"),  # 1325 of 1948 is 68.0 %, not 70.0 %
         ("metric/parts-sum", "培训农村教师")},  # 420+1360+4080 = 5860 of 5680
        {"农村学校在编教职工": {"parts": ["专任教师", "管理人员", "工勤人员"], "partial": False},
         "专任教师": {"parts": ["男教师", "女教师"], "partial": False},  # “专任教师中，男教师……”
         "35岁以下教师占比": {"rate": ("35岁以下教师", "专任教师")},
         "50岁以上教师占比": {"rate": ("50岁以上教师", "专任教师")},  # 占专任教师总数的: in an earlier part
         "发放补助资金": {"previous": Decimal(1650), "growth": Decimal("14.9")},
         "补充农村教师": {"change": Decimal(23), "parts": ["定向培养师范生"], "partial": True},
         "农村小学在校生": {}, "农村小学教学班": {}},  # the classes of the same 农村小学
        {"kind": "special", "date": None}),
    "import-topic-areas.txt": Case(
        ["achievements", "achievements", "achievements", "achievements", "plans"],
        {("metric/class-size", "初中教学班")},  # 8.9万 pupils in 1530 classes: 58.2 a class
        {"新增公办学位": {"parts": ["幼儿园学位", "小学学位", "初中学位", "高中学位"], "partial": False},
         "一般公共预算教育支出占比": {"rate": ("一般公共预算教育支出", "教育经费总投入")},
         "招聘教师": {"change": Decimal(-140), "parts": ["研究生学历"], "partial": True},
         "小学在校生": {}, "小学教学班": {}},
        {"issuer": "东江市教育局", "kind": "annual", "date": None}),
    "import-half-year.txt": Case(
        ["profile", "achievements", "plans"],
        {("metric/pupil-teacher", "初中教职员工"),  # 2.37万 pupils, 1560 staff: 15.2 > 13.5
         ("metric/growth", "发放学生资助资金")},  # 2950 → 3260 is 10.5 %, not 12.5 %
        {"中小学校": {"parts": ["公办学校", "民办学校"], "partial": False},
         "在校学生": {"parts": ["小学在校学生", "初中在校学生"], "partial": False},
         "幼儿园": {"parts": ["公办幼儿园", "普惠性民办幼儿园"], "partial": True},  # 含……等
         "专任教师": {"parts": ["小学专任教师", "初中专任教师"], "partial": False},
         "教职工": {"parts": []},  # the stage split of 专任教师 is not the 教职工's
         "完成校舍维修项目": {"parts": ["城区学校", "农村学校"], "partial": False},  # “。其中，”
         "区级骨干教师": {"previous": Decimal(320), "growth": Decimal("20.6")},
         "入学率": {"rate": ("适龄儿童入学", "应入学")},
         "小学教职员工": {}},  # 4.05万 ÷ 2480 = 16.3, within 19
        {"issuer": "滨河区教育局", "kind": "half-year", "date": "2025-07-10"}),
    "import-announced-counts.txt": Case(  # counts announced in words and digits, in headings and texts
        ["achievements", "problems", "plans"],
        {("metric/announced-count", "4支团队"),  # （二）组建4支团队 over three 1、 items
         ("metric/announced-count", "六个方面的工作")},  # 重点抓好六个方面的工作： over （一）…（五）
        {"四大行动": {"counts": "sections"},  # the lead, closing with a colon, over （一）…（四）
         "三大工程": {"counts": "items"},  # in a heading, over 一是……三是 in its text
         "五件民生实事": {"counts": "items"},
         "三个方面的问题": {"counts": "items"}},  # ……的问题：一是……三是
        {"issuer": "石门县教育体育局", "date": "2026-01-15", "kind": "annual", "year": 2025}),
    "import-restated.txt": Case(  # the stocks of 基本情况 stated again in the achievements
        ["profile", "achievements", "problems", "plans"],
        {("metric/same-as", "初中教职工（2）")},  # 716 in 基本情况, 761 in （二）
        {"小学在校生（2）": {"same_as": "小学在校生"},  # the same 18640, in other words' place
         "小学教学班（2）": {"same_as": "小学教学班"},
         "新增学位（2）": {"same_as": None},  # a year's flow stated twice is no stock that must agree
         "初中教职工（2）": {"parts": ["专任教师"], "partial": True}},
        {"recipient": "市教育局", "issuer": "清河县教育局", "date": "2025-11-06", "kind": "special"}),
    "import-near-misses.txt": Case(  # every figure right, and every relation one that a careless reader gets wrong
        ["profile", "achievements", "problems", "plans"],
        set(),
        {"各级各类学校": {"parts": ["教学点"], "partial": True},  # （含教学点21个）, and the stage split
         "专任教师": {"parts": ["小学专任教师", "初中专任教师", "高中专任教师"], "partial": False,
                      "at_most": ["教职工"]},  # not under the 4126 教职工 stated before them
         "实施项目": {"parts": ["新建项目", "改扩建项目"], "partial": False},
         "新增学位": {"parts": ["城区学位"], "partial": True},
         "招聘教师": {"parts": ["公开招聘", "人才引进", "特岗教师"], "partial": False},  # 其中： with commas
         "本科以上学历占比": {"rate": ("本科以上学历", "专任教师（2）")},
         "研究生学历占比": {"rate": ("研究生学历", "专任教师（2）")},
         "财政性教育经费占比": {"rate": ("财政性教育经费", "教育经费总投入")},
         "义务教育阶段在校生": {"change": Decimal("0.126"), "growth": Decimal("3.0")},  # 1260人 of 4.38万人
         "接收随迁子女入学占比": {"rate": ("接收随迁子女入学", "义务教育阶段在校生")},
         "高考600分以上考生": {"change": Decimal(12)},
         "大班额比例": {"previous": Decimal("3.2")},
         "小学在校生": {}, "小学教学班": {}, "初中在校生": {}, "初中教学班": {}, "普通高中在校生": {},
         "普通高中教学班": {}, "小学教职工": {}, "初中教职工": {}, "普通高中教职工": {}},  # all within the standards
        {"issuer": "金沙县教育和科技局", "date": "2026-01-12", "kind": "annual", "year": 2025}),
}


def metric_problems(text: str) -> tuple[set[tuple[str, str]], model.Report]:
    """(rule, metric name) of every metric/ finding of the draft, and the checked model."""
    result = check_text(text, "imported.yaml")
    assert result.report is not None, [p.message for p in result.problems]
    found = set()
    for problem in result.problems:
        if not problem.rule.startswith("metric/"):
            continue
        owner = next(m for m in result.report.metrics if f"{problem.path}.".startswith(dotted(m.path) + "."))
        found.add((problem.rule, owner.name))
    return found, result.report


def dotted(path: tuple) -> str:
    """A model path as problems write it: profile.metrics[16]."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


def by_name(report: model.Report) -> dict[str, model.Metric]:
    return {metric.name: metric for metric in report.metrics}


_NUMBERING = re.compile(r"(?:^|\n)(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,3}[、.．])")


def normalise(lines: list[str]) -> str:
    """Text as a reader compares it: numbering (regenerated by the template) and whitespace aside."""
    return re.sub(r"\s", "", _NUMBERING.sub("\n", "\n" + "\n".join(lines)))


def imported(name: str):
    drafts = import_file(str(FIXTURES / name))
    assert len(drafts) == 1
    return drafts[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_exactly_the_planted_failures_are_found(name):
    text, _, _ = imported(name)
    found, report = metric_problems(text)
    assert found == CASES[name].failures


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_figures_that_are_right_were_checked(name):
    """Each near miss is a declared relation (a missing one would pass unchecked)."""
    text, _, _ = imported(name)
    metrics = by_name(metric_problems(text)[1])
    for metric_name, expected in CASES[name].holds.items():
        assert metric_name in metrics, sorted(metrics)
        metric = metrics[metric_name]
        for field, value in expected.items():
            if field == "rate":
                assert (metric.numerator, metric.denominator) == ([value[0]], [value[1]]), metric_name
            else:
                assert getattr(metric, field) == value, (metric_name, field, getattr(metric, field))


@pytest.mark.parametrize("name", sorted(CASES))
def test_parts_and_meta_are_read_as_written(name):
    text, summary, _ = imported(name)
    case = CASES[name]
    assert [role for role, _ in summary.parts] == case.roles
    loaded = load_text(text, "imported.yaml")
    assert loaded.problems == [] and schema.check(loaded) == []
    meta = loaded.data["meta"]
    problems = check_text(text, "imported.yaml").problems
    assert not [p.message for p in problems if p.rule.startswith(("structure/", "schema/", "yaml/"))]
    if case.meta.get("date"):  # the year read agrees with the 成文日期
        assert not [p.message for p in problems if p.rule.startswith("date/")]
    for key, value in case.meta.items():
        if key == "date" and value is None:  # never made up: a placeholder validation reports
            assert meta["date"] in ("____", "1900-01-01")
            problems = check_text(text, "imported.yaml").problems
            assert any(p.path == "meta.date" for p in problems)
            assert "原文没有成文日期" in text
        else:
            assert meta.get(key) == value, key


@pytest.mark.parametrize("name", sorted(CASES))
def test_nothing_is_lost(name):
    """Every character of the report is in the rendered draft: numbering aside, the recipient line,
    and the 署名/成文日期 that became meta."""
    text, _, source = imported(name)
    report = model.build(load_text(text, "imported.yaml"))
    blocks = compose.compose(report)
    rendered = [b.text for b in blocks if b.style not in ("signature", "date")]
    ends = [report.signature.value if report.signature else None, report.issuer.value if report.issuer else None]
    while source and (source[-1] in ends or re.fullmatch(r"[^。]{0,30}[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日", source[-1])):
        source = source[:-1]  # 署名 and 成文日期: printed from meta
    assert normalise(rendered) == normalise(source)


def test_a_congress_or_a_slogan_is_no_announced_count():
    """党的二十大 over two items, “三个课堂” in passing: no count is declared, nothing is reported."""
    text, _, _ = imported("import-announced-counts.txt")
    report = metric_problems(text)[1]
    assert not [m.name for m in report.metrics if "二十" in m.name]
    assert all(m.counts for m in report.metrics if m.quantity and m.quantity.unit.name in ("项", "件") and "大" in m.name)


def test_a_heading_run_into_its_body_keeps_the_body():
    text, _, _ = imported("import-topic-areas.txt")
    data = load_text(text, "d.yaml").data
    if shapes.headless("achievements"):
        item = data["achievements"]["sections"][1]["items"][1]
        assert "heading" not in item  # “（二）强化教师队伍建设，全年招聘……”: not a heading of an empty item
        assert item["text"].startswith("强化教师队伍建设，全年招聘教师【招聘教师】")


def test_topic_areas_are_the_achievements_and_the_closing_paragraph_the_plans():
    text, _, _ = imported("import-topic-areas.txt")
    data = load_text(text, "d.yaml").data
    if shapes.headless("achievements"):
        assert data["achievements"]["headless"] is True
        assert [s["heading"] for s in data["achievements"]["sections"]] == [
            "党建引领全面加强", "教育资源持续扩容", "教育质量稳步提升", "教育保障更加有力"]
    plans = data["plans"]
    assert plans["text"].startswith("下一步，我们将继续深化教育综合改革")
    assert "heading" not in plans and plans.get("headless", True) is True
    assert "plans" not in str(data["achievements"]["sections"][-1])  # not merged into the last topic


def test_a_table_in_a_word_document_stays_a_table_of_figures(tmp_path):
    from docx import Document

    doc = Document()
    for line in ["云山县教育体育局关于2025年秋季学期办学规模情况的汇报", "县人民政府：",
                 "现将我县2025年秋季学期义务教育办学规模情况汇报如下。", "一、办学规模", "全县义务教育学校办学规模见下表。"]:
        doc.add_paragraph(line)
    rows = [["学段", "学校数（所）", "教学班（个）", "在校生（人）", "教职工（人）"],
            ["小学", "28", "402", "12600", "610"],  # 12600 ÷ 610 = 20.7 pupils a staff member: above 19
            ["初中", "9", "168", "7980", "640"],  # 12.5: within 13.5
            ["合计", "37", "570", "20680", "1250"]]  # 12600 + 7980 = 20580, not 20680
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    for line in ["二、主要工作", "（一）改善办学条件", "全年投入资金3200万元，新建教学楼2栋。", "三、存在的问题",
                 "小学教职工编制不足。", "云山县教育体育局", "2025年11月20日"]:
        doc.add_paragraph(line)
    path = tmp_path / "规模.docx"
    doc.save(path)
    text, summary, _ = import_file(str(path))[0]
    assert [role for role, _ in summary.parts] == ["profile", "achievements", "problems"]
    found, report = metric_problems(text)
    assert found == {("metric/parts-sum", "合计在校生"), ("metric/pupil-teacher", "小学教职工")}
    metrics = by_name(report)
    assert metrics["合计学校数"].parts == ["小学学校数", "初中学校数"] and not metrics["合计学校数"].partial
    assert metrics["合计教职工"].parts == ["小学教职工", "初中教职工"]
    assert metrics["小学教学班"].quantity is not None and metrics["小学教学班"].quantity.unit.name == "个"
    data = load_text(text, "d.yaml").data
    assert "小学　28　402　12600　610\n" in data["profile"]["text"]  # the row as written, not flattened away
    assert "原文此处是一张表格（4行）" in text  # said at the spot
    assert data["meta"]["recipient"] == "县人民政府" and data["meta"]["date"] == "2025-11-20"
