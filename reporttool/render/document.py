"""Draft → checked model → blocks → .docx, written atomically. Each step lives in its own module."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from reporttool.problems import Problem, Severity


class RenderError(Exception):
    """Rendering stopped: `code` is the exit code, `problems` what to show, `message` the reason."""

    def __init__(self, message: str, code: int = 2, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problems = problems or []


@dataclass
class Result:
    """A finished render."""

    output: str
    problems: list[Problem] = field(default_factory=list)  # warnings (or errors under --force)
    blocks: int = 0


def render(draft: str, output: str | None = None, *, template: str | None = None, style: str | None = None,
           indicators: bool = False, force: bool = False, overwrite: bool = False, config=None) -> Result:
    from reporttool.render import compose
    from reporttool.render import house_style
    from reporttool.render.docx_writer import Writer
    from reporttool.load.files import load_bytes, read_draft
    from reporttool.check.draft import check_loaded

    output = output or os.path.splitext(draft)[0] + ".docx"
    if os.path.exists(output) and not overwrite:
        raise RenderError(f"输出文件已存在：{output}（使用 --overwrite 覆盖）")
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise RenderError(f"无法写入 {output}：目录“{directory}”不存在")
    if not os.access(directory, os.W_OK):
        raise RenderError(f"无法写入 {output}：目录“{directory}”不可写")
    data, problems = read_draft(draft, draft)
    if data is None:
        raise RenderError("草稿无法读取", 2, problems)
    problems, report = check_loaded(load_bytes(data, draft), config)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if report is None:
        raise RenderError("草稿有错误，未排版", 1, problems)
    if errors and not force:
        raise RenderError("草稿有错误，未排版（确认无误后可用 --force 强制排版）", 1, problems)
    try:
        style_data = house_style.load(style)
    except house_style.StyleError as exc:
        raise RenderError("版式文件有误，未排版", 2, exc.problems) from exc
    try:
        blocks = compose.compose(report, template, indicators)
    except compose.ComposeError as exc:
        raise RenderError(str(exc)) from exc
    writer = Writer(style_data)
    writer.write(blocks)
    issuer = report.issuer.value if report.issuer else ""
    writer.metadata(report.title.value, issuer)
    try:
        writer.save(output)
    except OSError as exc:
        raise RenderError(f"无法写入 {output}：{exc.strerror or exc}") from exc
    return Result(output, problems, len(blocks))
