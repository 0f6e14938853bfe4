"""A Word table → one text line a row and a metric for every figure in it, named by its row and
column (小学 · 在校生数 → 小学在校生数), with the unit from the cell or from its column's header
(在校生（人）); a 合计 row is the total of the rows above it, column by column.

The schema has no table block: the rows stay text lines (the cells as written, joined by “　”),
so nothing is lost or reordered, and the draft says at the spot that a table was there.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reporttool.importer import names
from reporttool.importer.metrics import Extracted
from reporttool.importer.names import Namer
from reporttool.importer.read import Row
from reporttool.model import units
from reporttool.model.references import quantity_text

_NUMBER = re.compile(r"^(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>\S{0,5})$")
_HEADER_UNIT = re.compile(r"[（(](?P<unit>[^（()）]{1,5})[）)]\s*$")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|总数|全[县市区旗]|共计|全部)")
# A column named by what it counts gives the unit its figures are written without.
_IMPLIED_UNITS = ((re.compile("校数|学校数|所数"), "所"), (re.compile("班数|班级数|教学班"), "班"),
                  (re.compile("人数|学生数|在校生|教职工|教师|专任教师|幼儿|毕业生|招生"), "人"),
                  (re.compile("率|比例|占比"), "%"), (re.compile("万元"), "万元"), (re.compile("面积"), "平方米"))


def _cell_quantity(cell: str, header: str) -> tuple[units.Quantity, bool] | None:
    """The cell's quantity, and whether the cell itself writes it (so its text can reference it)."""
    match = _NUMBER.match(cell.strip())
    if match is None:
        return None
    number, unit = match.group("number"), match.group("unit")
    if unit:
        try:
            quantity = units.parse(number + unit)
        except units.ShortFormError:
            return None
        return (quantity, True) if quantity_text(quantity) == cell.strip() else None
    named = _HEADER_UNIT.search(header)
    unit_name = named.group("unit") if named else next((u for pattern, u in _IMPLIED_UNITS if pattern.search(header)),
                                                       None)
    if unit_name is None:
        return None
    try:
        return units.parse(number + unit_name), False
    except units.ShortFormError:
        return None


def _column_name(header: str) -> str:
    return _HEADER_UNIT.sub("", header).strip()


def extract_table(rows: list[Row], namer: Namer) -> tuple[list[str], list[Extracted], str]:
    """(text lines, metrics, the note for the spot) of one table's rows."""
    header = rows[0].cells if rows and not any(_cell_quantity(c, "") for c in rows[0].cells[1:]) and \
        len(rows) > 1 else None
    lines: list[str] = []
    metrics: list[Extracted] = []
    columns: dict[int, list[Extracted]] = {}  # figures of the data rows since the last total row
    for row in rows:
        cells = list(row.cells)
        if header is not None and row is rows[0]:
            lines.append(str(row))
            continue
        label = cells[0].strip() if cells and _cell_quantity(cells[0], header[0] if header else "") is None else ""
        is_total = bool(_TOTAL_ROW.match(label))
        # “其中：农村”, “含教学点”: a row inside the row above it, not one more row of the column's sum
        inner = bool(re.match(r"^(?:其中|含|包括|内[：:])", label)) or cells[0][:1] in (" ", "　")
        shown = []
        for j, cell in enumerate(cells):
            column = header[j] if header is not None and j < len(header) else ""
            found = _cell_quantity(cell, column)
            if found is None or (j == 0 and label):
                shown.append(cell)
                continue
            quantity, written = found
            row_name = re.sub(r"^(?:其中|含|包括)[：:，,]?", "", label)
            base = (row_name + _column_name(column)) or row_name or _column_name(column) or quantity.unit.kind.title
            base = names.shorten(base, 20)
            metric = Extracted(namer.unique(base), quantity, referenced=written, in_table=True)
            if is_total and columns.get(j):
                parts = columns[j]
                if all(p.quantity.unit.compatible(quantity.unit) for p in parts) and not units.is_percent(quantity.unit):
                    metric.parts = [p.name for p in parts]
                    whole = sum((p.quantity.base_value for p in parts), Decimal(0)) == quantity.base_value
                    metric.partial = False if whole or len(parts) > 1 else True
            metrics.append(metric)
            if not is_total and not inner:
                columns.setdefault(j, []).append(metric)
            shown.append(f"【{metric.name}】" if written else cell)
        if is_total:
            columns = {}
        lines.append("　".join(cell for cell in shown if cell))
    note = (f"原文此处是一张表格（{len(rows)}行），按行写成文字（各格以全角空格分开），表中的数字已登记为指标"
            "（以行首和表头为名称，合计行为其上各行之和），请核对")
    return lines, metrics, note
