"""Plain typed objects built from a schema-valid draft. Rules and templates read these, never YAML.

Every object keeps its path, so problems point at the node, and every prose field can
locate a character inside itself (Loaded.locate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Required, TypedDict, cast, overload

from reporttool.load.parse import Loaded
from reporttool.model import units

# --- the shape of a schema-valid draft (schemas/work-report.schema.yaml), as the loader builds it --

Number = int | Decimal  # the loader reads integers as int, other numbers as Decimal


class RateData(TypedDict):
    numerator: str
    denominator: str


class MetricData(TypedDict, total=False):
    """A metric item. The long form has these keys (name, value and unit required); the short
    form is one pair {名称: 数值单位} whose key is the name, read through items()."""

    name: str
    id: str
    value: Number
    unit: str
    qualifier: str
    previous: Number
    change: Number
    growth: Number
    rate: RateData
    parts: list[str]
    partial: bool
    deadline: str
    note: str


class BlockData(TypedDict, total=False):
    """A section, item, problem or plan item (an item's `items` are its sub-items)."""

    heading: str
    text: str
    item_numbering: str  # sections only: run-in | numbered
    items: list[BlockData]
    metrics: list[MetricData]
    targets: list[MetricData]


class PartData(TypedDict, total=False):
    """profile, achievements (its blocks are "sections"), problems, plans."""

    heading: str
    text: str
    item_numbering: str  # problems and plans: run-in | numbered
    metrics: list[MetricData]
    items: list[BlockData]
    sections: list[BlockData]


class MergedData(TypedDict, total=False):
    heading: str
    problems: Required[PartData]
    bridge: str
    plans: Required[PartData]


class AttachmentData(TypedDict, total=False):
    title: Required[str]
    title_lines: list[str]
    text: str
    indicators: bool


class MetaData(TypedDict, total=False):
    title: Required[str]
    title_lines: list[str]
    item_numbering: str
    issuer: Required[str]
    recipient: str
    year: Required[Number]  # an integer; 2026.0 passes the schema as a Decimal
    period: str
    kind: Required[str]
    date: Required[str]
    signature: str


class DraftData(TypedDict, total=False):
    schema_version: int
    meta: Required[MetaData]
    preface: str
    profile: PartData
    achievements: Required[PartData]
    problems: PartData
    plans: PartData
    problems_and_plans: MergedData
    closing: str
    attachments: list[AttachmentData]


@dataclass
class Text:
    """A prose field of the draft."""

    value: str
    path: tuple
    role: str  # heading, text, title…


@dataclass
class Metric:
    """A typed metric and its relations."""

    name: str
    path: tuple  # the metric item
    value_path: tuple  # where its number is written
    quantity: units.Quantity | None  # None when the value or unit is unusable (reported)
    id: str | None = None
    short: bool = False
    previous: Decimal | None = None
    change: Decimal | None = None
    growth: Decimal | None = None
    numerator: str | None = None
    denominator: str | None = None
    parts: list[str] = field(default_factory=list)
    partial: bool = False
    deadline: str | None = None
    target: bool = False
    problem: units.ShortFormError | None = None  # why quantity is None

    def field_path(self, name: str) -> tuple:
        return self.path if self.short else self.path + (name,)


@dataclass
class Block:
    """A section, item, problem or plan item: optional heading and text, nested items, metrics."""
    path: tuple
    heading: Text | None
    text: Text | None
    items: list[Block] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    numbering: str | None = None  # a section's item_numbering, as written (None: the draft's)

    @property
    def empty(self) -> bool:
        return self.text is None and not self.items and not self.metrics


@dataclass
class Part:
    """A part of the report (基本情况, 工作成效, 存在问题, 下一步计划)."""

    role: str  # profile, achievements, problems, plans
    path: tuple
    heading: Text | None
    text: Text | None
    blocks: list[Block] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    numbering: str | None = None  # problems/plans: item_numbering as written


@dataclass
class Attachment:
    """An attachment listed after the text."""

    title: Text
    text: Text | None
    path: tuple = ()
    title_lines: list[str] | None = None  # the writer's own line breaks of the title
    indicators: bool = False  # filled with the 主要指标一览表 built from the draft's metrics

    @property
    def empty(self) -> bool:
        """Nothing to print on an attachment page of its own."""
        return self.text is None and not self.indicators


@dataclass
class Report:
    """The whole draft as typed objects."""

    loaded: Loaded
    kind: str
    year: int
    date: str
    title: Text
    title_lines: list[str] | None = None  # the writer's own line breaks of the title (meta.title_lines)
    item_numbering: str | None = None  # the draft's default numbering of items (meta.item_numbering)
    issuer: Text | None = None
    recipient: Text | None = None
    signature: Text | None = None
    period: Text | None = None
    preface: Text | None = None
    closing: Text | None = None
    parts: dict[str, Part] = field(default_factory=dict)
    # "存在问题及下一步打算" as one part: its heading and bridge sentence; None when separate.
    merged_heading: Text | None = None
    merged_bridge: Text | None = None
    merged: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.loaded.file


def build(loaded: Loaded) -> Report:
    """The model of a draft that passed loading undamaged and the schema (check_loaded builds only then)."""
    assert isinstance(loaded.data, dict)
    data = cast(DraftData, loaded.data)  # the schema guarantees the shape
    meta = data["meta"]
    builder = _ModelBuilder(loaded)
    report = Report(loaded, meta["kind"], int(meta["year"]), str(meta["date"]),
                    builder.text(meta["title"], ("meta", "title"), "title"))
    report.title_lines = list(meta["title_lines"]) if "title_lines" in meta else None
    report.item_numbering = meta.get("item_numbering")
    for key in ("issuer", "recipient", "period", "signature"):
        setattr(report, key, builder.text(meta.get(key), ("meta", key), key))
    report.preface = builder.text(data.get("preface"), ("preface",), "text")
    if "profile" in data:
        report.parts["profile"] = builder.part("profile", data["profile"], ("profile",))
    report.parts["achievements"] = builder.part("achievements", data["achievements"], ("achievements",),
                                                blocks_key="sections")
    for role in ("problems", "plans"):
        if role in data:
            report.parts[role] = builder.part(role, data[role], (role,))
    merged = data.get("problems_and_plans")
    if merged:
        report.merged = True
        # texts are collected in document order: heading, problems, bridge, plans
        report.merged_heading = builder.text(merged.get("heading"), ("problems_and_plans", "heading"), "heading")
        report.parts["problems"] = builder.part("problems", merged["problems"], ("problems_and_plans", "problems"))
        report.merged_bridge = builder.text(merged.get("bridge"), ("problems_and_plans", "bridge"), "text")
        report.parts["plans"] = builder.part("plans", merged["plans"], ("problems_and_plans", "plans"))
    report.closing = builder.text(data.get("closing"), ("closing",), "text")
    for index, attachment in enumerate(data.get("attachments", [])):
        lines = attachment.get("title_lines")
        report.attachments.append(Attachment(
            builder.text(attachment["title"], ("attachments", index, "title"), "heading"),
            builder.text(attachment.get("text"), ("attachments", index, "text"), "text"),
            ("attachments", index), list(lines) if lines is not None else None,
            bool(attachment.get("indicators", False))))
    report.texts = builder.texts
    report.metrics = builder.metrics
    return report


class _ModelBuilder:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.texts: list[Text] = []
        self.metrics: list[Metric] = []

    @overload
    def text(self, value: str, path: tuple, role: str) -> Text: ...

    @overload
    def text(self, value: object, path: tuple, role: str) -> Text | None: ...

    def text(self, value: object, path: tuple, role: str) -> Text | None:
        if not isinstance(value, str):
            return None
        text = Text(value, path, role)
        self.texts.append(text)
        return text

    def part(self, role: str, data: PartData, path: tuple,
             blocks_key: Literal["items", "sections"] = "items") -> Part:
        part = Part(role, path, self.text(data.get("heading"), path + ("heading",), "heading"),
                    self.text(data.get("text"), path + ("text",), "text"), numbering=data.get("item_numbering"))
        for index, block in enumerate(data.get(blocks_key, [])):
            part.blocks.append(self.block(block, path + (blocks_key, index), target=role == "plans"))
        part.metrics = self.metric_list(data.get("metrics", []), path + ("metrics",))
        return part

    def block(self, data: BlockData, path: tuple, target: bool) -> Block:
        block = Block(path, self.text(data.get("heading"), path + ("heading",), "heading"),
                      self.text(data.get("text"), path + ("text",), "text"), numbering=data.get("item_numbering"))
        for index, item in enumerate(data.get("items", [])):
            block.items.append(self.block(item, path + ("items", index), target))
        block.metrics = self.metric_list(data.get("metrics", []), path + ("metrics",))
        block.metrics += self.metric_list(data.get("targets", []), path + ("targets",), target=True)
        return block

    def metric_list(self, items: list[MetricData], path: tuple, target: bool = False) -> list[Metric]:
        out = []
        for index, item in enumerate(items):
            metric = self.metric(item, path + (index,), target)
            if metric is not None:
                out.append(metric)
                self.metrics.append(metric)
        return out

    def metric(self, item: MetricData, path: tuple, target: bool) -> Metric | None:
        if "name" not in item:  # short form: {名称: "1557.42万元"}
            (name, value), = item.items()
            metric = Metric(name, path, path + (name,), None, short=True, target=target)
            if isinstance(value, str):
                text = value
            else:
                assert isinstance(value, Number), "the schema admits text or a number"
                text = units.format_number(units.to_decimal(value))
            try:
                metric.quantity = units.parse(text)
            except units.ShortFormError as exc:
                metric.problem = exc
            return metric
        metric = Metric(item["name"], path, path + ("value",), None, id=item.get("id"), target=target,
                        previous=units.to_decimal(item.get("previous")), change=units.to_decimal(item.get("change")),
                        growth=units.to_decimal(item.get("growth")), parts=list(item.get("parts", [])),
                        partial=bool(item.get("partial", False)), deadline=item.get("deadline"))
        rate = item.get("rate")
        if rate:
            metric.numerator, metric.denominator = rate["numerator"], rate["denominator"]
        table = units.table()
        unit = table.lookup(item["unit"])
        if unit is None:
            near = table.nearest(item["unit"])
            metric.problem = units.ShortFormError(
                f"不认识的单位“{item['unit']}”", f"是否应为“{near}”？" if near else "单位表见 schemas/units.yaml")
            return metric
        qualifier = item.get("qualifier")
        metric.quantity = units.Quantity(units.to_decimal(item["value"]), unit, qualifier,
                                         bool(qualifier) and qualifier not in table.exact)
        return metric

