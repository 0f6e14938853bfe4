"""The public API: every entry point (the CLI, an editor server, a program) goes through here.

Path-based functions find the project configuration (reporttool.toml, or [tool.reporttool] in
pyproject.toml) nearest to each draft; functions given text or bytes take `config` instead.
Heavy libraries are imported inside the functions that need them, so `import reporttool` is cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reporttool import messages
from reporttool.check.batch import TIME_LIMIT, BatchResult
from reporttool.check.config import DEFAULT, Config, ConfigError
from reporttool.check.draft import CheckResult
from reporttool.problems import Problem, Severity
from reporttool.problems import exit_code as problems_exit_code
from reporttool.render.document import RenderError

if TYPE_CHECKING:
    from reporttool.author.fmt import FormatRun, Formatted
    from reporttool.check.baseline import BaselineError
    from reporttool.importer.draft import Summary
    from reporttool.messages import Rule

DEFAULT_NAME = "草稿.yaml"  # the display name of a draft given as text


# --- configuration --------------------------------------------------------------------------------


def load_config(path: str) -> Config:
    """Read a reporttool.toml (or a pyproject.toml's [tool.reporttool]); raises ConfigError."""
    from reporttool.check.config import load

    return load(path)


def find_config(draft_path: str) -> Config:
    """The configuration that applies to a draft on disk; raises ConfigError if that file is broken."""
    from reporttool.check.draft import config_for

    found = config_for(draft_path)
    if isinstance(found, Problem):
        raise ConfigError(found.message)
    return found


# --- checking -------------------------------------------------------------------------------------


def check_text(source: str | bytes, name: str = DEFAULT_NAME, *, config: Config | None = None) -> CheckResult:
    """Check one draft given as text or bytes (`name` is shown in messages); never raises for bad input."""
    from reporttool.check.draft import check_data

    data = source.encode("utf-8") if isinstance(source, str) else source
    return check_data(data, name, config or DEFAULT)


def check_file(path: str | os.PathLike[str], *, config: Config | None = None,
               previous: str | os.PathLike[str] | None = None) -> CheckResult:
    """Check one draft on disk; `config` None uses the project file nearest to it; `previous` is
    last year's report to check its 上年数 against (else the one its meta.previous_report names)."""
    from reporttool.check.draft import check_file as check_one

    return check_one(os.fspath(path), config=config, previous=os.fspath(previous) if previous is not None else None)


def check_files(paths: Iterable[str | os.PathLike[str]], *, config: Config | None = None, jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None, only_drafts: bool = False,
                cache: bool = False, baseline: str | os.PathLike[str] | None = None,
                previous: str | os.PathLike[str] | None = None, time_limit: float | None = TIME_LIMIT) -> BatchResult:
    """Check many drafts (directories searched for .yaml/.yml) in `jobs` processes; one result per file.

    `progress(done, total)` is called after each draft; `only_drafts` skips YAML files that are no
    drafts (no `schema_version`, no reporttool modeline), as the pre-commit hooks do; `cache` answers
    unchanged drafts from the user's cache (what `validate` does unless --no-cache). `baseline`, a
    file written by write_baseline, hides the findings it settles (result.baseline says which, and
    which settled ones no longer occur); a broken one raises BaselineError before any check.
    `previous`, last year's report, is what every draft's 上年数 are checked against (else the report
    each draft names in meta.previous_report). `time_limit`: the seconds one file may take; a file
    over it is reported (io/timeout) and the others are checked (None: no limit; the limit needs
    POSIX and the calling thread to be the main one).
    """
    from reporttool.check import batch

    settled = load_baseline(baseline) if baseline is not None else None
    collected = batch.collect([os.fspath(p) for p in paths], only_drafts)
    total = len(collected.files)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    result = batch.run(collected.files, config, jobs, advance, collected=collected, cache=cache,
                       previous=os.fspath(previous) if previous is not None else None, time_limit=time_limit)
    if settled is not None:
        result.apply_baseline(settled)
    return result


def summarize(paths: Iterable[str | os.PathLike[str]], metrics: list[str] | None = None, *, jobs: int | None = None,
              only_drafts: bool = False):
    """A table of `metrics` (ids or names; default: those most drafts report) across the drafts,
    with totals and flagged figures (reporttool.check.summary.Table: to_text, to_csv, to_xlsx),
    and the problems with arguments that name no usable draft."""
    from reporttool.check import batch, summary

    collected = batch.collect([os.fspath(p) for p in paths], only_drafts)
    return summary.build(summary.read_all(collected.files, jobs), metrics or None), collected.unusable


def load_baseline(path: str | os.PathLike[str]):
    """Read a baseline file (reporttool baseline writes them); raises BaselineError with located problems."""
    from reporttool.check.baseline import load

    return load(os.fspath(path))


@dataclass
class BaselineWritten:
    """A baseline written: where, its entries, how many reasons were kept from the file it replaced,
    and the problems that could not be settled (unreadable files, broken configuration)."""

    path: str
    entries: list
    reasons_kept: int
    unsettled: list[Problem]


def write_baseline(paths: Iterable[str | os.PathLike[str]], target: str | os.PathLike[str] | None = None, *,
                   config: Config | None = None, jobs: int | None = None, only_drafts: bool = False,
                   cache: bool = True) -> BaselineWritten:
    """Settle the current findings of the drafts: write them to `target` (reporttool-baseline.yaml),
    keeping the reasons an earlier version of that file gave. Written whole or not at all."""
    from reporttool.atomic import write_bytes_atomically
    from reporttool.check import baseline as settled

    path = os.fspath(target) if target is not None else settled.DEFAULT_NAME
    result = check_files(paths, config=config, jobs=jobs, only_drafts=only_drafts, cache=cache)
    reasons = settled.reasons_of(path) if os.path.exists(path) else {}
    folder = os.path.dirname(os.path.abspath(path))
    entries = settled.entries_for(result.problems, folder, reasons)
    write_bytes_atomically(path, settled.dump(entries).encode("utf-8"))
    kept = sum(1 for e in entries if e.reason)
    return BaselineWritten(path, entries, kept, [p for p in result.problems if not settled.settleable(p)])


# --- rendering ------------------------------------------------------------------------------------


@dataclass
class RenderResult:
    """A rendered document: its bytes, where it was written (if it was), and what the check found."""

    docx: bytes
    output: str | None = None  # the .docx written (None when only a PDF was asked for)
    problems: list[Problem] = field(default_factory=list)  # warnings (or errors under allow_errors)
    pdf: bytes | None = None  # the PDF, when one was asked for
    pdf_output: str | None = None


def render_text(source: str | bytes, name: str = DEFAULT_NAME, *, output: str | os.PathLike[str] | None = None,
                template: str | None = None, style: str | None = None, indicators: bool = False,
                allow_errors: bool = False, overwrite: bool = False, config: Config | None = None) -> RenderResult:
    """Render a draft given as text or bytes to .docx bytes (and to `output`, atomically, if given).

    `template`: annual, special, half-year or a template file; `style`: a house-style file;
    `allow_errors` renders despite rule errors (never despite schema errors). Raises RenderError.
    """
    from reporttool.render.document import render_bytes

    data = source.encode("utf-8") if isinstance(source, str) else source
    target = _writable_target(output, overwrite) if output is not None else None
    rendered = render_bytes(data, name, config=config or DEFAULT, template=template, style=style,
                            indicators=indicators, allow_errors=allow_errors)
    if target is not None:
        _write(target, rendered.docx)
    return RenderResult(rendered.docx, target, rendered.problems)


def render_file(path: str | os.PathLike[str], output: str | os.PathLike[str] | None = None, *,
                template: str | None = None, style: str | None = None, indicators: bool = False,
                allow_errors: bool = False, overwrite: bool = False, config: Config | None = None,
                pdf: bool = False) -> RenderResult:
    """Render a draft on disk to `output` (default: the draft's name with .docx), written atomically.

    `pdf` also writes a PDF beside it (converted by LibreOffice with the house style's free faces
    where the official ones are missing); an `output` ending in .pdf writes the PDF alone. An
    existing output is kept unless `overwrite`; `config` None uses the project file nearest to
    the draft, exactly as check_file does. Raises RenderError with the problems.
    """
    path = os.fspath(path)
    output = os.fspath(output) if output is not None else os.path.splitext(path)[0] + ".docx"
    pdf_only = output.lower().endswith(".pdf")
    docx_target = None if pdf_only else _writable_target(output, overwrite)
    pdf_target = _writable_target(output if pdf_only else os.path.splitext(output)[0] + ".pdf", overwrite) \
        if pdf or pdf_only else None
    from reporttool.render import prewarm

    helper = prewarm.claim()  # the render command's: python-docx gets ready while the draft is checked
    try:
        rendered = _rendered(path, template, style, indicators, allow_errors, config, helper)
    finally:
        if helper is not None:
            helper.close()
    result = RenderResult(rendered.docx, docx_target, list(rendered.problems))
    if pdf_target is not None:  # converted before anything is written: no .docx without its PDF
        if rendered.pdf is not None:  # converted already, to place the 版记
            from reporttool.render import pdf as pdf_step

            result.pdf, notes = rendered.pdf[0], pdf_step.notes(rendered.pdf[1], path)
        else:
            result.pdf, notes = to_pdf(rendered.docx, path, style)
        result.problems += notes
        result.pdf_output = pdf_target
    if docx_target is not None:
        _write(docx_target, rendered.docx)
    if pdf_target is not None and result.pdf is not None:
        _write(pdf_target, result.pdf)
    return result


def _rendered(path: str, template: str | None, style: str | None, indicators: bool, allow_errors: bool,
              config: Config | None, helper=None):
    """A draft on disk checked (with its nearest project config unless `config`) and rendered."""
    from reporttool.check.draft import read_with_config
    from reporttool.render.document import render_bytes

    found = read_with_config(path, path, config)
    if isinstance(found, list):
        raise RenderError("配置文件有误，未排版" if found[0].rule == "config/invalid" else "草稿无法读取", 2, found)
    data, config = found
    return render_bytes(data, path, config=config, template=template, style=style, indicators=indicators,
                        allow_errors=allow_errors, helper=helper)


def to_pdf(docx: bytes, name: str = DEFAULT_NAME, style: str | None = None) -> tuple[bytes, list[Problem]]:
    """A rendered document as PDF (LibreOffice), and the warnings of the conversion: which official
    faces were replaced by free ones of the same class. Raises RenderError (exit code 2)."""
    from reporttool.render import house_style
    from reporttool.render import pdf as pdf_step

    try:
        style_data = house_style.load(style)
    except house_style.StyleError as exc:
        raise RenderError("版式文件有误，未排版", 2, exc.problems) from exc
    try:
        data, substitutions = pdf_step.convert(docx, style_data)
    except pdf_step.PdfError as exc:
        raise RenderError(str(exc)) from exc
    return data, pdf_step.notes(substitutions, name)


@dataclass
class ProofResult:
    """A proof: the layout problems of the printed pages (and the font substitutions), the PDF."""

    problems: list[Problem]
    pdf: bytes
    pages: int

    def exit_code(self, strict: bool = False) -> int:
        return problems_exit_code(self.problems, strict)


def proof_file(path: str | os.PathLike[str], *, template: str | None = None, style: str | None = None,
               indicators: bool = False, allow_errors: bool = False, config: Config | None = None) -> ProofResult:
    """Render a draft (or take a .docx as it is), convert it to PDF and measure the pages against
    the house style: a heading at the foot of a page, a page with only 署名/日期, blank pages, short
    pages, full lines, the folio, split table rows. Raises RenderError (as render_file does)."""
    from reporttool.render import house_style
    from reporttool.render import pdf as pdf_step
    from reporttool.render.proof import proof_docx

    path = os.fspath(path)
    converted = None
    if path.lower().endswith(".docx"):
        try:
            with open(path, "rb") as handle:
                docx = handle.read()
        except OSError as exc:
            raise RenderError(f"无法读取 {path}：{messages.os_reason(exc)}") from exc
        if not docx.startswith(b"PK"):
            raise RenderError(f"{path} 不是 Word 文档（.docx）")
    else:
        rendered = _rendered(path, template, style, indicators, allow_errors, config)
        docx, converted = rendered.docx, rendered.pdf  # converted already when the 版记 was placed
    try:
        style_data = house_style.load(style)
    except house_style.StyleError as exc:
        raise RenderError("版式文件有误", 2, exc.problems) from exc
    try:
        problems, pdf, pages = proof_docx(docx, style_data, path, converted)
    except pdf_step.PdfError as exc:
        raise RenderError(str(exc)) from exc
    except Exception as exc:  # a .docx from elsewhere LibreOffice converts but pdfminer cannot read
        raise RenderError(f"无法测量 {path} 的版面：{type(exc).__name__}: {exc}") from exc
    return ProofResult(problems, pdf, pages)


def _writable_target(output: str | os.PathLike[str], overwrite: bool) -> str:
    output = os.fspath(output)
    if os.path.exists(output) and not overwrite:
        raise RenderError(f"输出文件已存在：{output}（使用 --overwrite 覆盖）")
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise RenderError(f"无法写入 {output}：目录“{directory}”不存在")
    if not os.access(directory, os.W_OK):
        raise RenderError(f"无法写入 {output}：目录“{directory}”不可写")
    return output


def _write(target: str, data: bytes) -> None:
    from reporttool.atomic import write_bytes_atomically

    try:
        write_bytes_atomically(target, data)
    except OSError as exc:
        raise RenderError(f"无法写入 {target}：{messages.os_reason(exc)}") from exc


# --- the writer's side: formatting, scaffolds, import -----------------------------------------------


def format_text(text: str, name: str = DEFAULT_NAME) -> Formatted:
    """The canonical form of a draft's text: `.text`, `.changes` (in Chinese), or `.refused` (why not)."""
    from reporttool.author.fmt import format_text as format_one

    return format_one(text, name)


def format_files(paths: Iterable[str | os.PathLike[str]], *, write: bool = True, to_utf8: bool = False) -> FormatRun:
    """Format every draft the paths name; `write` False only reports (each result has .diff())."""
    from reporttool.author.fmt import format_paths

    return format_paths([os.fspath(p) for p in paths], write=write, to_utf8=to_utf8)


def new_draft(kind: str = "annual", issuer: str | None = None, year: int | None = None,
              file_name: str = DEFAULT_NAME) -> str:
    """The commented scaffold of a new draft of `kind` (annual, special, half-year), as text.

    Raises ValueError (a Chinese message) for an unknown kind or a year outside 1949–2100.
    """
    from reporttool.author import scaffold
    from reporttool.kinds import KINDS

    if kind not in KINDS:
        raise ValueError(f"没有报告类型“{kind}”（可用：{'、'.join(KINDS)}）")
    if year is not None and not 1949 <= year <= 2100:
        raise ValueError(f"年度 {year} 不在 1949—2100 之间")
    return scaffold.scaffold(kind, issuer, year or scaffold.default_year(), file_name)


def save_new(path: str | os.PathLike[str], text: str, *, force: bool = False) -> None:
    """Write a new draft; an existing file is replaced only with `force` (then atomically).

    Raises FileExistsError, or OSError when it cannot be written.
    """
    from reporttool.author.scaffold import write_new

    write_new(os.fspath(path), text, force)


@dataclass
class ImportedDraft:
    """One report found in an imported file, as a draft."""

    name: str  # the file name proposed for the draft
    text: str  # the draft's YAML
    summary: Summary  # what was recognised (parts, sections, items, metrics, notes)
    source: list[str]  # the report's own paragraphs, furniture removed


def import_report(path: str | os.PathLike[str], output: str | None = None) -> list[ImportedDraft]:
    """Read a .txt/.docx report → one draft per report in the file (named after `output` or the source).

    Raises OSError or reporttool.importer.read.ReadError when the file cannot be read, ValueError
    when a draft would be written over the source itself.
    """
    from reporttool.importer.run import import_file, output_names

    path = os.fspath(path)
    found = import_file(path)
    names = output_names(path, output, len(found))
    for name in names:
        if os.path.exists(name) and os.path.samefile(name, path):
            raise ValueError(f"草稿文件名与原文相同：{name}（用 -o 另指定一个文件名）")
    return [ImportedDraft(name, text, summary, source) for name, (text, summary, source) in zip(names, found)]


def save_imported(drafts: list[ImportedDraft], *, force: bool = False) -> None:
    """Write each imported draft to its name; with any of them existing (and no `force`) none is written.

    Raises FileExistsError (its filename lists every existing file, joined by “、”) or OSError.
    """
    existing = [draft.name for draft in drafts if os.path.exists(draft.name)]
    if existing and not force:
        raise FileExistsError(17, "文件已存在", "、".join(existing))
    for draft in drafts:
        save_new(draft.name, draft.text, force=force)


# --- reference --------------------------------------------------------------------------------------


def editor_schema() -> str:
    """The draft schema as JSON (Draft 2020-12, Chinese titles, descriptions and error messages in
    the keywords yaml-language-server reads), for editors' completion, hover and checks."""
    from reporttool.check.schema import editor_json

    return editor_json()


def rules() -> list[Rule]:
    """Every rule: id, default severity, summary, message template and hint."""
    from reporttool.messages import RULES

    return list(RULES.values())


def explain_rule(rule_id: str) -> str:
    """A rule explained in Chinese, with a failing and a passing example; KeyError for an unknown id."""
    from reporttool.check.explain import explain

    return explain(rule_id)


def __getattr__(name: str) -> object:
    """fmt's result types and the baseline's error, loaded on first use: checking (validate, a CI
    re-run) never loads the formatter and the YAML writer's machinery, nor the baseline module."""
    if name in ("FormatRun", "Formatted"):
        from reporttool.author import fmt

        return getattr(fmt, name)
    if name == "BaselineError":
        from reporttool.check.baseline import BaselineError

        return BaselineError
    raise AttributeError(f"module 'reporttool.api' has no attribute {name!r}")


__all__ = [  # the same names as reporttool.__all__ (a test holds them equal)
    "BatchResult", "CheckResult", "Config", "ConfigError", "FormatRun", "Formatted", "ImportedDraft", "Problem",
    "RenderError", "RenderResult", "Severity",
    "check_file", "check_files", "check_text", "editor_schema", "explain_rule", "find_config", "format_files", "format_text",
    "import_report", "load_config", "save_imported", "new_draft", "render_file", "render_text", "rules", "save_new",
    "to_pdf", "proof_file", "ProofResult", "BaselineError", "BaselineWritten", "write_baseline",
    "load_baseline", "summarize",
]
