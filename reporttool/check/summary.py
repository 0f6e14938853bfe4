"""A table of chosen metrics across drafts (a city's counties, a province over years): one row per
draft, one column per metric in one unit, totals, and flags where a figure looks wrong.

Flags come from the plausibility rules each draft's own check applies (pupils per class, the
pupil–teacher ratio) and from the set itself: a figure ten times above or below the column's
median is most often a unit slip (元 for 万元). Drafts are read in worker processes like a batch.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from reporttool.load.parse import format_path
from reporttool.model import units

PLAUSIBILITY = ("metric/class-size", "metric/pupil-teacher")
OUTLIER_FACTOR = Decimal(10)
DEFAULT_COLUMNS = 12  # without --metric: the metrics most drafts report, at most this many


@dataclass
class Figure:
    name: str
    id: str | None
    value: Decimal
    unit: str
    line: int
    flag: str | None = None  # the draft's own plausibility finding at this metric


@dataclass
class Row:
    file: str
    issuer: str = ""
    year: int | None = None
    figures: list[Figure] = field(default_factory=list)
    problem: str | None = None  # why the draft gave no figures


@dataclass
class Cell:
    value: Decimal | None
    text: str  # as shown, in the column's unit
    flags: list[str] = field(default_factory=list)


@dataclass
class Column:
    key: str  # the id or name asked for
    title: str
    unit: str
    total_label: str  # 合计 or 平均
    total: Decimal | None = None


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    cells: list[list[Cell]]  # per row, per column
    totals: list[str]

    @property
    def flagged(self) -> list[tuple[Row, Column, Cell]]:
        return [(row, column, cell) for row, cells in zip(self.rows, self.cells)
                for column, cell in zip(self.columns, cells) if cell.flags]


def read(path: str) -> Row:
    """One draft's figures (worker side: plain data only, cheap to send)."""
    from reporttool.check.draft import check_file

    result = check_file(path)
    report = result.report
    if report is None:
        first = next((p for p in result.problems if p.severity.value == "error"), None)
        return Row(path, problem=(first.message if first else "读不出指标"))
    flags = {p.path: p.message for p in result.problems if p.rule in PLAUSIBILITY}
    figures = [Figure(m.name, m.id, m.quantity.value, m.quantity.unit.name, report.loaded.pos(m.value_path).line,
                      flags.get(format_path(m.value_path))) for m in report.metrics
               if m.quantity is not None and not m.target]
    return Row(path, report.issuer.value if report.issuer else "", report.year, figures)


def read_all(paths: list[str], jobs: int | None = None) -> list[Row]:
    if len(paths) < 8 or jobs == 1:
        return [read(p) for p in paths]
    from concurrent.futures import ProcessPoolExecutor

    workers = max(1, jobs or os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(read, paths, chunksize=max(1, min(32, len(paths) // (workers * 8)))))


def build(rows: list[Row], wanted: list[str] | None = None) -> Table:
    keys = wanted or _common(rows)
    columns = []
    for key in keys:
        found = [f for row in rows if (f := _find(row, key)) is not None]
        unit = _main_unit(found)
        names = [f.name for f in found]
        title = max(dict.fromkeys(names), key=names.count) if names else key  # the name most drafts use
        percent = unit is not None and units.is_percent(unit)
        columns.append(Column(key, title, unit.name if unit else "", "平均" if percent else "合计"))
    cells = [[_cell(_find(row, c.key), c) for c in columns] for row in rows]
    totals = []
    for n, column in enumerate(columns):
        values: list[Decimal] = [v for row_cells in cells if (v := row_cells[n].value) is not None]
        if not values:
            totals.append("")
            continue
        total = sum(values, Decimal(0)) / (len(values) if column.total_label == "平均" else 1)
        column.total = total
        places = max((units.decimals(v) for v in values), default=0) + (1 if column.total_label == "平均" else 0)
        totals.append(units.format_number(total, places))
        median = Decimal(statistics.median(values))
        if median > 0 and column.total_label == "合计" and len(values) >= 3:
            for row_cells in cells:
                cell = row_cells[n]
                if cell.value is not None and (cell.value > median * OUTLIER_FACTOR or
                                               cell.value * OUTLIER_FACTOR < median):
                    cell.flags.append(f"与各份的中位数{units.format_number(median)}{column.unit}相差十倍以上，核对单位和数字")
    return Table(columns, rows, cells, totals)


def _common(rows: list[Row]) -> list[str]:
    """Without chosen metrics: those at least half of the drafts report (by id, else name), in order."""
    seen: dict[str, int] = {}
    for row in rows:
        for key in dict.fromkeys(f.id or f.name for f in row.figures):
            seen[key] = seen.get(key, 0) + 1
    needed = max(1, (len([r for r in rows if r.problem is None]) + 1) // 2)
    return [key for key, count in seen.items() if count >= needed][:DEFAULT_COLUMNS]


def _find(row: Row, key: str) -> Figure | None:
    return next((f for f in row.figures if f.id == key), None) or next((f for f in row.figures if f.name == key), None)


def _main_unit(found: list[Figure]) -> units.Unit | None:
    """The unit most drafts write the metric in (the first among equals)."""
    counted: dict[str, int] = {}
    for figure in found:
        counted[figure.unit] = counted.get(figure.unit, 0) + 1
    for name in sorted(counted, key=lambda n: -counted[n]):
        unit = units.table().lookup(name)
        if unit is not None:
            return unit
    return None


def _cell(figure: Figure | None, column: Column) -> Cell:
    if figure is None:
        return Cell(None, "—")
    unit, target = units.table().lookup(figure.unit), units.table().lookup(column.unit)
    flags = [figure.flag] if figure.flag else []
    if unit is None or target is None or not unit.compatible(target):
        return Cell(None, f"{units.format_number(figure.value)}{figure.unit}",
                    flags + [f"单位“{figure.unit}”无法换算成{column.unit}"])
    value = unit.to_base(figure.value) / target.factor
    return Cell(value, units.format_number(value), flags)


# --- output ----------------------------------------------------------------------------------------

def header(table: Table) -> list[str]:
    return ["草稿", "发文机关", "年度"] + [f"{c.title}（{c.unit}）" if c.unit else c.title for c in table.columns] + ["标记"]


def records(table: Table) -> list[list[str]]:
    """The table as rows of text: the header, one row per draft, the totals."""
    out = [header(table)]
    for row, cells in zip(table.rows, table.cells):
        marks = [f"{c.title}：{flag}" for c, cell in zip(table.columns, cells) for flag in cell.flags]
        shown = {id(_find(row, c.key)) for c in table.columns}
        marks += [f"{f.name}：{f.flag}" for f in row.figures if f.flag and id(f) not in shown]  # not a column
        if row.problem:
            marks.insert(0, f"未读出：{row.problem}")
        out.append([_shown(row.file), row.issuer, str(row.year or "")] + [cell.text for cell in cells]
                   + ["；".join(marks)])
    means = [c.total_label == "平均" for c in table.columns]
    out.append(["合计", "", ""] + [f"平均 {t}" if mean and t else t for t, mean in zip(table.totals, means)] + [""])
    return out


def marked_rows(table: Table) -> int:
    """Drafts whose 标记 says something: a flagged figure, in a column or not, or no figures at all."""
    return sum(1 for record in records(table)[1:-1] if record[-1])


def to_text(table: Table) -> str:
    from reporttool.check.reporters import _width

    rows = records(table)
    rows = [r[:-1] + ([r[-1]] if any(x[-1] for x in rows[1:]) else []) for r in rows]
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) if i < len(r) - 1 else cell for i, cell in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    marked = marked_rows(table)
    lines.append(f"{len(table.rows)} 份草稿，{len(table.columns)} 个指标" +
                 (f"，{marked} 份有标记（见“标记”列）" if marked else "，没有需要核对的数"))
    return "\n".join(lines)


def to_csv(table: Table) -> bytes:
    """CSV with a BOM: Excel and WPS then read the Chinese as UTF-8."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(records(table))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "指标汇总"
    rows = records(table)
    sheet.append(rows[0])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    marked = PatternFill("solid", fgColor="FFF2CC")
    for number, (row, cells) in enumerate(zip(table.rows, table.cells), start=2):
        sheet.append([_shown(row.file), row.issuer, row.year] +
                     [float(cell.value) if cell.value is not None else cell.text for cell in cells]
                     + [rows[number - 1][-1]])
        for column, cell in enumerate(cells, start=4):
            if cell.flags:
                target = sheet.cell(number, column)
                target.fill = marked
                target.comment = Comment("；".join(cell.flags), "reporttool")
    sheet.append([rows[-1][0], None, None] + [float(c.total) if c.total is not None else None for c in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shown(path: str) -> str:
    from reporttool.check.others import display

    return display(path)
