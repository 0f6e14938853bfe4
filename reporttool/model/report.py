"""Plain typed objects built from a schema-valid draft. Rules and templates read these, never YAML.

Every object keeps its path, so problems point at the node, and every prose field can
locate a character inside itself (Loaded.locate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Required, TypedDict, cast, overload

from reporttool.model import units

if TYPE_CHECKING:  # the type only: render's helper unpickles models without the loader (prewarm.py)
    from reporttool.load.parse import Loaded

# --- the shape of a schema-valid draft (schemas/work-report.schema.yaml), as the loader builds it --

Number = int | Decimal  # the loader reads integers as int, other numbers as Decimal


class RateData(TypedDict):
    numerator: str | list[str]  # a list: the sum of the named metrics
    denominator: str | list[str]


class BreakdownData(TypedDict, total=False):
    parts: Required[list[str]]
    partial: bool


class MetricData(TypedDict, total=False):
    """A metric item. The long form has these keys (name, value and unit required); the short
    form is one pair {名称: 数值单位} whose key is the name, read through items()."""

    name: str
    id: str
    value: Number
    unit: str
    qualifier: str
    previous: Number | str  # a text: the name of the metric holding last year's figure
    change: Number
    growth: Number
    rate: RateData
    parts: list[str]
    partial: bool
    breakdowns: list[list[str] | BreakdownData]  # further 其中 of the same total (by stage, by ownership…)
    same_as: str
    at_most: str | list[str]
    counts: str  # items | sections: the figure announces how many entries are listed where it stands
    deadline: str
    note: str
    rollup: RollupData


class RollupData(TypedDict, total=False):
    drafts: Required[str | list[str]]  # a glob or paths, relative to the draft
    of: str  # sum | mean | max | min
    metric: str  # the county metric's id or name (default: this metric's id, else its name)


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
    headless: bool  # the part prints no heading of its own
    in_profile: bool  # achievements only: its sections continue the 基本情况 part
    text: str
    item_numbering: str  # problems and plans: run-in | numbered
    metrics: list[MetricData]
    items: list[BlockData]
    sections: list[BlockData]


class MergedData(TypedDict, total=False):
    heading: str
    headless: bool
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
    copy_number: str
    secrecy: str
    secrecy_period: str
    urgency: str
    mark: str
    doc_number: str
    signer: str
    note: str
    cc: str | list[str]
    printer: str
    print_date: str
    previous_report: str


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
    previous_ref: str | None = None  # `previous` written as a name: that metric is last year's figure
    numerator: list[str] = field(default_factory=list)  # several names: their sum
    denominator: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    partial: bool = False
    breakdowns: list[Breakdown] = field(default_factory=list)
    same_as: str | None = None
    at_most: list[str] = field(default_factory=list)
    counts: str | None = None
    deadline: str | None = None
    rollup: RollupData | None = None  # the metric aggregates the same metric of other drafts
    target: bool = False
    problem: units.ShortFormError | None = None  # why quantity is None
    as_written: str | None = None  # the figure as the draft writes it, when its unit is unknown
    refs: list[tuple[str, tuple]] = field(default_factory=list)  # every name it refers to, and where

    def field_path(self, name: str) -> tuple:
        return self.path if self.short else self.path + (name,)

    def ref_path(self, field_name: str, name: str) -> tuple:
        """Where `name` is written in the relation `field_name` (the field itself if not found)."""
        depth = len(self.path)
        for ref, path in self.refs:
            if ref == name and path[depth:depth + 1] == (field_name,):
                return path
        return self.field_path(field_name)


@dataclass
class Breakdown:
    """One 其中 of a total: its parts, whether only some are listed, and where its names are written."""

    parts: list[str]
    partial: bool
    path: tuple


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
    # No heading of its own (headless: true): nothing is printed in its place and it takes no
    # number; headless achievements number their sections 一、二、… instead.
    headless: bool = False
    in_profile: bool = False  # achievements: the sections continue the 基本情况 part as （一）…


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
    # 版头 (GB/T 9704 7.2), 附注 (7.3.6) and 版记 (7.4): printed only when the draft writes them
    copy_number: Text | None = None
    secrecy: Text | None = None
    secrecy_period: Text | None = None
    urgency: Text | None = None
    mark: Text | None = None
    doc_number: Text | None = None
    signer: Text | None = None
    note: Text | None = None
    printer: Text | None = None
    print_date: str | None = None
    previous_report: str | None = None  # last year's draft, relative to this one (meta.previous_report)
    cc: list[Text] = field(default_factory=list)
    preface: Text | None = None
    closing: Text | None = None
    parts: dict[str, Part] = field(default_factory=dict)
    # "存在问题及下一步打算" as one part: its heading and bridge sentence; None when separate.
    merged_heading: Text | None = None
    merged_bridge: Text | None = None
    merged: bool = False
    merged_headless: bool = False  # problems_and_plans.headless
    attachments: list[Attachment] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.loaded.file


def item_numbering(report: Report, holder: Block | Part) -> str:
    """run-in (一是……；二是……) or numbered (1. / （1） paragraphs) for the items of a section or part:
    its own item_numbering, else the draft's, else numbered when items have sub-items. The
    renderer lays items out by it, and the structure rules judge that layout by it."""
    chosen = holder.numbering or report.item_numbering
    if chosen:
        return chosen
    items = holder.items if isinstance(holder, Block) else holder.blocks
    return "numbered" if any(item.items for item in items) else "run-in"


def _relations(metric: Metric, item: MetricData, path: tuple) -> None:
    """The names a long-form metric refers to, each with the path where it is written."""
    refs = metric.refs

    def names(value: str | list[str], at: tuple) -> list[str]:
        if isinstance(value, str):
            refs.append((value, at))
            return [value]
        refs.extend((name, at + (i,)) for i, name in enumerate(value))
        return list(value)

    names(metric.parts, path + ("parts",))
    rate = item.get("rate")
    if rate:
        metric.numerator = names(rate["numerator"], path + ("rate", "numerator"))
        metric.denominator = names(rate["denominator"], path + ("rate", "denominator"))
    for i, entry in enumerate(item.get("breakdowns", [])):
        if isinstance(entry, list):
            at, parts, partial = path + ("breakdowns", i), entry, False
        else:
            at, parts, partial = path + ("breakdowns", i, "parts"), entry["parts"], bool(entry.get("partial", False))
        metric.breakdowns.append(Breakdown(names(parts, at), partial, at))
    if metric.same_as is not None:
        names(metric.same_as, path + ("same_as",))
    if "at_most" in item:
        metric.at_most = names(item["at_most"], path + ("at_most",))
    if metric.previous_ref is not None:
        names(metric.previous_ref, path + ("previous",))


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
    for key in ("issuer", "recipient", "period", "signature", "copy_number", "secrecy", "secrecy_period", "urgency",
                "mark", "doc_number", "signer", "note", "printer"):
        setattr(report, key, builder.text(meta.get(key), ("meta", key), key))
    report.print_date = meta.get("print_date")
    report.previous_report = meta.get("previous_report")
    cc = meta.get("cc")
    if isinstance(cc, str):
        report.cc = [t for t in [builder.text(cc, ("meta", "cc"), "cc")] if t is not None]
    elif cc:
        report.cc = [t for i, v in enumerate(cc) if (t := builder.text(v, ("meta", "cc", i), "cc")) is not None]
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
        report.merged_headless = bool(merged.get("headless", False))
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
                    self.text(data.get("text"), path + ("text",), "text"), numbering=data.get("item_numbering"),
                    headless=bool(data.get("headless", False)), in_profile=bool(data.get("in_profile", False)))
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
                if isinstance(exc, units.UnknownUnitError):  # a fine figure the tool cannot compute with
                    metric.as_written = text.strip()
            return metric
        previous = item.get("previous")
        metric = Metric(item["name"], path, path + ("value",), None, id=item.get("id"), target=target,
                        previous=None if isinstance(previous, str) else units.to_decimal(previous),
                        previous_ref=previous if isinstance(previous, str) else None,
                        change=units.to_decimal(item.get("change")),
                        growth=units.to_decimal(item.get("growth")), parts=list(item.get("parts", [])),
                        partial=bool(item.get("partial", False)), same_as=item.get("same_as"),
                        counts=item.get("counts"), deadline=item.get("deadline"), rollup=item.get("rollup"))
        _relations(metric, item, path)
        table = units.table()
        unit = table.lookup(item["unit"])
        qualifier = item.get("qualifier")
        if unit is None:
            from reporttool.model.references import quantity_text  # (it imports this module)

            metric.problem = table.unknown(item["unit"])
            # printed as written (3.5万余册次): a stand-in unit of its own, for the text only, never computed with
            words = units.Unit(item["unit"], table.kinds[units.COUNT], item["unit"], Decimal(1))
            metric.as_written = quantity_text(units.Quantity(units.to_decimal(item["value"]), words, qualifier))
            return metric
        metric.quantity = units.Quantity(units.to_decimal(item["value"]), unit, qualifier,
                                         bool(qualifier) and qualifier not in table.exact)
        return metric

