"""The `reporttool` command. Thin: parses options, calls the checks, hands problems to a reporter.

Heavy modules (jinja2, docx) are imported inside the commands that need them, so
`reporttool --version` and `validate` start fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from typing import NoReturn, Protocol, runtime_checkable

import click

from reporttool import __version__
from reporttool.kinds import DEFAULT_KIND, KINDS
from reporttool.kinds import describe as describe_kinds
from reporttool.messages import os_reason
from reporttool.problems import EXIT_INTERRUPTED, EXIT_TERMINATED

CONTEXT = {"help_option_names": ["-h", "--help"]}


class _ChineseFormatter(click.HelpFormatter):
    """click's help in Chinese: its own words (Usage, Options, Commands, [default: …]) are English."""

    SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[选项]").replace("COMMAND", "命令")
                            .replace("[ARGS]...", "[参数]..."), prefix="用法：" if prefix is None else prefix)

    def section(self, name: str):
        return super().section(self.SECTIONS.get(name, name))

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, re.sub(r"\[default: (.*?)\]", r"［默认：\1］", second).replace("[required]", "［必填］"))
                for first, second in rows]
        super().write_dl(rows, col_max, col_spacing)


class _ChineseContext(click.Context):
    formatter_class = _ChineseFormatter


PROGRESS_FROM = 8  # fewer drafts are checked before a bar would show


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="reporttool", message="%(prog)s %(version)s",
                      help="显示版本号并退出。")
@click.option("--debug", is_flag=True, help="出现内部错误时显示完整的调用栈（用于报告问题）。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """reporttool：教育局工作总结、工作汇报的起草、检查与排版工具。

    \b
    常用命令：
      reporttool validate 草稿.yaml     检查草稿
      reporttool validate drafts/       检查目录中的全部草稿
      reporttool schema -o work-report.schema.json  导出格式定义，供编辑器补全
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str), metavar="草稿或目录...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit", "sarif"]), default="text",
              show_default=True,
              help="输出格式：text 供人阅读，json 供程序处理，github 供 GitHub Actions 标注（并写步骤摘要），"
                   "junit 供 CI 仪表板，sarif 供代码扫描（SARIF 2.1.0）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="同时检查的进程数，默认等于 CPU 核数。")
@click.option("--strict", is_flag=True, help="有警告也以失败（退出码 1）结束。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题行，不输出原文、提示和汇总。")
@click.option("--only-drafts", is_flag=True,
              help="跳过不是草稿的 YAML 文件（没有 schema_version，也没有 reporttool 的首行说明），供 pre-commit 使用。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str),
              help="规则配置文件（reporttool.toml）。默认使用草稿所在目录或上级目录中最近的配置。")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="不使用缓存，每份草稿都重新检查（默认：内容、配置和 reporttool 版本都没变的草稿直接用上次的结果）。")
@click.option("--previous", "previous_path", type=click.Path(dir_okay=False, path_type=str), metavar="上年报告",
              help="上年报告的草稿：各指标的上年数与它核对（默认用草稿 meta.previous_report 写的文件）。")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=str), metavar="基线文件",
              help="只报告新问题：跳过基线文件（reporttool baseline 写出）中已确认的问题，并列出其中已不再出现的。")
@click.option("--time-limit", "time_limit", type=click.FloatRange(min=0), default=60, show_default=True, metavar="秒",
              help="检查一个文件最多用的秒数，超过的报告为 io/timeout 并跳过，其余照常检查；0 表示不限。")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str, jobs: int | None, strict: bool, quiet: bool,
             only_drafts: bool, config_path: str | None, no_cache: bool, previous_path: str | None,
             baseline_path: str | None, time_limit: float) -> None:
    """检查草稿（文件或目录，目录会递归查找 .yaml/.yml；“-”表示从标准输入读入一份草稿）。

    \b
    退出码：0 没有错误；1 草稿中有错误（加 --strict 时警告也算）；
            2 用法错误，或有文件无法读取（其余文件照常检查）。
    """
    from reporttool.api import check_text
    from reporttool.check.reporters import LINES
    from reporttool.load.files import MAX_BYTES
    from reporttool.problems import Severity

    config = _config(ctx, config_path)
    settled = _baseline(ctx, baseline_path)
    result = _checked_with_progress([p for p in paths if p != STDIN], config, jobs, only_drafts, not no_cache,
                                    previous_path, time_limit or None) \
        if set(paths) - {STDIN} \
        else _empty_batch()
    if STDIN in paths:  # one draft piped in; the project config applies only through --config
        piped = check_text(sys.stdin.buffer.read(MAX_BYTES + 1), STDIN, config=config)
        result.files.insert(0, STDIN)
        result.results.insert(0, piped)
    if settled is not None:
        result.apply_baseline(settled)
    problems = result.problems
    shown = [p for p in problems if p.severity is Severity.ERROR] if quiet and not strict else problems
    seconds = result.seconds if len(result.files) > 1 else None  # one file: output stays reproducible
    _echo_lines(LINES[fmt](shown, result.files, quiet=quiet, seconds=seconds, baseline=result.baseline))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary_file:  # the job's summary page: a table of files and counts
        from reporttool.check.reporters import step_summary

        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(step_summary(problems, result.files))
        except OSError as exc:
            click.echo(f"警告：无法写入步骤摘要 {summary_file}：{os_reason(exc)}", err=True)
    ctx.exit(result.exit_code(strict))


@cli.command("baseline")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str), metavar="草稿或目录...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), default="reporttool-baseline.yaml",
              show_default=True, help="基线文件。已存在时替换它，并保留其中已写的确认理由（reason）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="同时检查的进程数，默认等于 CPU 核数。")
@click.option("--only-drafts", is_flag=True, help="跳过不是草稿的 YAML 文件。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str),
              help="规则配置文件（reporttool.toml）。默认使用草稿所在目录或上级目录中最近的配置。")
@click.pass_context
def baseline_command(ctx: click.Context, paths: tuple[str, ...], output: str, jobs: int | None, only_drafts: bool,
                     config_path: str | None) -> None:
    """把草稿中现有的问题记为已确认（写入基线文件），此后 validate --baseline 只报告新问题。

    \b
    每条问题的指纹由规则、文件、结构中的位置和问题中的数字、名称算出，与行号无关。
    退出码：0 已写入；2 有文件无法读取或配置有误（其余问题照常写入），或基线无法写入。
    """
    from reporttool.api import write_baseline
    from reporttool.check.reporters import text

    config = _config(ctx, config_path)
    try:
        written = write_baseline(paths, output, config=config, jobs=jobs, only_drafts=only_drafts)
    except OSError as exc:
        _fail(ctx, f"无法写入基线 {output}：{os_reason(exc)}")
    if written.unsettled:
        click.echo(text(written.unsettled, [], quiet=True), err=True)
    kept = f"，保留了 {written.reasons_kept} 条确认理由" if written.reasons_kept else ""
    click.echo(f"已写入基线 {written.path}：{len(written.entries)} 个已确认的问题{kept}")
    ctx.exit(2 if written.unsettled else 0)


@cli.command("summary")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str), metavar="草稿或目录...")
@click.option("-m", "--metric", "metrics", multiple=True, metavar="指标",
              help="要列的指标（编号或名称），可写多次；默认列出半数以上草稿都有的指标（至多 12 个）。")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "xlsx"]), default="text", show_default=True,
              help="text 供阅读，csv 和 xlsx 供 Excel、WPS 打开（xlsx 须用 -o 指定文件）。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="写入文件（默认输出到屏幕）。")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="同时读取的进程数，默认等于 CPU 核数。")
@click.option("--only-drafts", is_flag=True, help="跳过不是草稿的 YAML 文件。")
@click.pass_context
def summary_command(ctx: click.Context, paths: tuple[str, ...], metrics: tuple[str, ...], fmt: str,
                    output: str | None, jobs: int | None, only_drafts: bool) -> None:
    """各份草稿的指标汇总表（每份一行、每个指标一列，统一单位），带合计，并标出需要核对的数：
    各草稿自身的合理性检查（班额、生师比）发现的，以及与各份的中位数相差十倍以上的（多为单位写错）。

    \b
    退出码：0 已输出；2 用法错误、有文件无法读取或无法写入。
    """
    from reporttool.api import summarize
    from reporttool.check import summary
    from reporttool.check.reporters import text

    if fmt == "xlsx" and output is None:
        _fail(ctx, "xlsx 格式须用 -o 指定文件，如 -o 指标汇总.xlsx")
    table, unusable = summarize(paths, list(metrics), jobs=jobs, only_drafts=only_drafts)
    if unusable:
        click.echo(text(unusable, [], quiet=True), err=True)
    data = {"text": lambda: (summary.to_text(table) + "\n").encode("utf-8"), "csv": lambda: summary.to_csv(table),
            "xlsx": lambda: summary.to_xlsx(table)}[fmt]()
    if output is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        from reporttool.atomic import write_bytes_atomically

        try:
            write_bytes_atomically(output, data)
        except OSError as exc:
            _fail(ctx, f"无法写入 {output}：{os_reason(exc)}")
        click.echo(f"已写入 {output}：{len(table.rows)} 份草稿，{len(table.columns)} 个指标，"
                   f"{summary.marked_rows(table)} 份有标记")
    ctx.exit(2 if unusable else 0)


@cli.command("import")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("source", type=click.Path(dir_okay=False, path_type=str), metavar="原文.txt|原文.docx")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="草稿文件名。默认与原文同名（.yaml）；一个文件含多篇时加 -1、-2。")
@click.option("--report", "show_report", is_flag=True, help="显示识别结果：各部分及标题、节数、条目数、指标数和不确定之处。")
@click.option("--force", is_flag=True, help="草稿文件已存在时覆盖它。")
@click.pass_context
def import_command(ctx: click.Context, source: str, output: str | None, show_report: bool, force: bool) -> None:
    """把已有的工作报告（.txt 或 .docx）转成草稿，原文中的错误随后可用 validate 检查。"""
    from reporttool.api import import_report, save_imported
    from reporttool.importer.read import ReadError
    from reporttool.importer.structure import ROLE_NAMES

    if not os.path.isfile(source):
        _fail(ctx, f"文件不存在：{source}")
    try:
        drafts = import_report(source, output)
    except ValueError as exc:
        _fail(ctx, str(exc))
    except ReadError as exc:
        _fail(ctx, f"无法读取 {source}：{exc}")
    except OSError as exc:
        _fail(ctx, f"无法读取 {source}：{os_reason(exc)}")
    try:
        save_imported(drafts, force=force)
    except FileExistsError as exc:
        _fail(ctx, f"文件已存在：{exc.filename}（使用 --force 覆盖，或用 -o 换一个文件名）")
    except OSError as exc:
        _fail(ctx, f"无法写入 {exc.filename or '草稿'}：{os_reason(exc)}")
    for draft in drafts:
        summary = draft.summary
        click.echo(f"已导入：{draft.name}（{summary.title}）")
        if show_report:
            click.echo(f"  报告类型：{summary.kind}")
            for role, heading in summary.parts:
                click.echo(f"  {ROLE_NAMES[role]}：{heading}")
            click.echo(f"  节 {summary.sections} 个，条目 {summary.items} 个，指标 {summary.metrics} 个")
            for note in summary.uncertain:
                click.echo(f"  不确定：{note}")
    ctx.exit(0)


@cli.command("fmt")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="草稿或目录...")
@click.option("--check", is_flag=True, help="只检查：有需要修改的文件时显示差异并以退出码 1 结束（用于 CI）。")
@click.option("--diff", "show_diff", is_flag=True, help="只显示将要做的修改，不写入文件。")
@click.option("--to-utf8", is_flag=True, help="同时把 GBK、UTF-16 等编码的文件转换为 UTF-8。")
@click.option("--only-drafts", is_flag=True, help="跳过不是草稿的 YAML 文件（供 pre-commit 使用）。")
@click.pass_context
def fmt_command(ctx: click.Context, paths: tuple[str, ...], check: bool, show_diff: bool, to_utf8: bool,
                only_drafts: bool) -> None:
    """把草稿整理成规范写法，保留全部注释和字段顺序。

    \b
    修改：数字中的“。”改为小数点，全角数字改为半角，中文句子中的半角标点改为全角，
    删除行尾空格，缩进统一为每级两个空格，单引号改为双引号。
    每项修改都先核对：修改后的草稿内容必须与预期完全一致，否则不做这项修改。
    文件的编码、BOM 和换行符保持不变（--to-utf8 时转换为 UTF-8）。
    """
    from reporttool.api import format_files
    from reporttool.check.reporters import shown_name

    dry = check or show_diff
    if only_drafts:
        from reporttool.load.files import expand, looks_like_draft

        paths = tuple(path for path, unusable in expand(paths) if unusable is None and looks_like_draft(path))
        if not paths:
            ctx.exit(0)
    run = format_files(paths, write=not dry, to_utf8=to_utf8)
    for problem in run.unusable:
        click.echo(f"{shown_name(problem.file)}: {problem.message}", err=True)
    for result in run.results:
        if result.refused:
            click.echo(f"{shown_name(result.path)}: 未格式化：{result.refused}", err=True)
        elif not result.changed:
            continue
        elif dry:
            click.echo(result.diff(), nl=False)
            if result.converted and result.after == result.before:
                click.echo(f"{shown_name(result.path)}: {'、'.join(result.changes)}")
        elif result.error:
            click.echo(f"{shown_name(result.path)}: {result.error}", err=True)
        else:
            click.echo(f"已格式化：{shown_name(result.path)}（{'、'.join(result.changes)}）")
    done = [r for r in run.changed if dry or r.written]
    verb = "需要格式化" if dry else "格式化了"
    refused = len(run.refused)
    click.echo(f"{verb} {len(done)} 个文件，{len(run.unchanged)} 个文件无需修改" +
               (f"，{refused} 个文件未处理" if refused else ""), err=True)
    if run.fatal:
        ctx.exit(2)
    ctx.exit(1 if refused or (check and run.changed) else 0)


class _KindType(click.ParamType):
    """A report kind by its key or its Chinese name (annual, 年度, 年度总结 …)."""

    name = "报告类型"

    def convert(self, value, param, ctx):
        from reporttool.kinds import find

        kind = find(str(value))
        if kind is None:
            self.fail(f"“{value}”不是报告类型（可用：{describe_kinds('、')}，也可写 年度、专项、半年）", param, ctx)
        return kind.key


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.option("--kind", type=_KindType(), help=f"报告类型：{describe_kinds()}（也可写 年度、专项、半年）。")
@click.option("--issuer", help="发文机关全称，如“某县教育局”。")
@click.option("--year", type=click.IntRange(1949, 2100), help="所总结的年度，如 2026。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), default="草稿.yaml",
              show_default=True, help="要创建的草稿文件。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
@click.pass_context
def new(ctx: click.Context, kind: str | None, issuer: str | None, year: int | None, output: str,
        force: bool) -> None:
    """新建一份带中文填写说明的草稿。

    \b
    在终端中运行时，会询问没有给出的报告类型、发文机关和年度。
    已有同名文件时不覆盖（退出码 2），除非加 --force。
    """
    from reporttool.api import new_draft, save_new
    from reporttool.author.scaffold import default_year

    if os.path.exists(output) and not force:
        _fail(ctx, f"文件已存在：{output}（使用 --force 覆盖，或用 -o 换一个文件名）")
    if sys.stdin.isatty():
        if kind is None:
            kind = click.prompt(f"报告类型（{describe_kinds(' / ')}，也可写 年度、专项、半年）", type=_KindType(),
                                default=DEFAULT_KIND, show_choices=False)
        if issuer is None:
            issuer = click.prompt("发文机关全称（如“某县教育局”，不知道可直接回车）", default="", show_default=False)
        if year is None:
            year = click.prompt("所总结的年度", type=click.IntRange(1949, 2100), default=default_year())
    text = new_draft(kind or DEFAULT_KIND, issuer or None, year, os.path.basename(output))
    try:
        save_new(output, text, force=force)
    except FileExistsError:
        _fail(ctx, f"文件已存在：{output}（使用 --force 覆盖）")
    except OSError as exc:
        _fail(ctx, f"无法写入 {output}：{os_reason(exc)}")
    click.echo(f"已创建：{output}（把其中的“____”换成实际内容，然后运行 reporttool validate {output}）")
    ctx.exit(0)


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("draft", type=click.Path(dir_okay=False, path_type=str), metavar="草稿.yaml")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="输出的 .docx 文件。默认与草稿同名。")
@click.option("--template", help=f"模板：{'、'.join(KINDS)} 或模板文件路径。默认按报告类型选择。")
@click.option("--style", "style_path", type=click.Path(dir_okay=False, path_type=str),
              help="版式文件（YAML），覆盖默认版式中的任意项。")
@click.option("--indicators", is_flag=True, help="附上“主要指标一览表”附件。")
@click.option("--allow-errors", "allow_errors", is_flag=True,
              help="数字或正文检查有错误时仍然排版（格式错误不能跳过）。")
@click.option("--force", "old_force", is_flag=True, hidden=True)  # the old name of --allow-errors
@click.option("--overwrite", is_flag=True, help="输出文件已存在时覆盖它。")
@click.option("--pdf", "pdf", is_flag=True,
              help="同时生成 PDF（与 .docx 同名），用 LibreOffice 转换；本机没有公文字体时用版式中列出的同类免费字体。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str),
              help="规则配置文件（reporttool.toml）。默认使用草稿所在目录或上级目录中最近的配置。")
@click.pass_context
def render(ctx: click.Context, draft: str, output: str | None, template: str | None, style_path: str | None,
           indicators: bool, allow_errors: bool, old_force: bool, overwrite: bool, pdf: bool,
           config_path: str | None) -> None:
    """把草稿排版成 Word 文档（.docx，GB/T 9704 公文版式），也可以生成 PDF。

    \b
    草稿有错误时不排版（退出码 1）；输出文件已存在时不覆盖（退出码 2），除非加 --overwrite。
    -o 报告.pdf 只生成 PDF；--pdf 同时生成 .docx 和 PDF。PDF 需要安装 LibreOffice。
    """
    from reporttool.render import prewarm

    prewarm.start()  # before the imports below: the helper's own overlap them
    try:
        _render(ctx, draft, output, template, style_path, indicators, allow_errors, old_force, overwrite, pdf,
                config_path)
    finally:
        prewarm.discard()


def _render(ctx: click.Context, draft: str, output: str | None, template: str | None, style_path: str | None,
            indicators: bool, allow_errors: bool, old_force: bool, overwrite: bool, pdf: bool,
            config_path: str | None) -> None:
    from reporttool.api import RenderError, render_file
    from reporttool.check.reporters import text as text_report

    if old_force:  # one meaning of --force across commands (overwrite): render's is now --allow-errors
        click.echo("提示：render 的 --force 已改名为 --allow-errors（--force 今后将只表示覆盖已有文件）", err=True)
    config = _config(ctx, config_path)
    try:
        result = render_file(draft, output, template=template, style=style_path, indicators=indicators,
                             allow_errors=allow_errors or old_force, overwrite=overwrite, config=config, pdf=pdf)
    except RenderError as exc:
        if exc.problems:
            click.echo(text_report(exc.problems, 1))
        _fail(ctx, str(exc), exc.code)
    if result.problems:
        click.echo(text_report(result.problems, 1))
    for written in (result.output, result.pdf_output):
        if written is not None:
            click.echo(f"已生成：{written}")
    ctx.exit(0)


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str), metavar="草稿.yaml|报告.docx")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit", "sarif"]), default="text",
              show_default=True, help="输出格式，与 validate 相同。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="同时保存转换得到的 PDF（校样）。")
@click.option("--template", help="排版草稿时使用的模板：annual、special、half-year，或模板文件路径。")
@click.option("--style", "style_path", type=click.Path(dir_okay=False, path_type=str),
              help="本单位版式文件：排版和测量都按它（测量 .docx 时说明它是按哪种版式排的）。")
@click.option("--indicators", is_flag=True, help="排版草稿时附上“主要指标一览表”（与 render 相同）。")
@click.option("--allow-errors", "allow_errors", is_flag=True, help="草稿中的数字或正文有错误时仍然排版并测量。")
@click.option("--overwrite", is_flag=True, help="-o 指定的 PDF 已存在时覆盖它。")
@click.option("--strict", is_flag=True, help="有警告也以失败（退出码 1）结束。")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题行，不输出提示和汇总。")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=str),
              help="规则配置文件（reporttool.toml）。默认使用草稿所在目录或上级目录中最近的配置。")
@click.pass_context
def proof(ctx: click.Context, path: str, fmt: str, output: str | None, template: str | None, style_path: str | None,
          indicators: bool, allow_errors: bool, overwrite: bool, strict: bool, quiet: bool, config_path: str | None) -> None:
    """打校样：排版（或直接取 .docx）、用 LibreOffice 转成 PDF，逐页测量版面并报告问题。

    \b
    报告：标题排在页末（背题）、只有署名和成文日期的一页、空白页、没有排满的页、满行字数、
    页码缺失或位置不对、表格的一行跨页，以及转 PDF 时替代了哪些字体。
    退出码与 validate 相同：0 没有错误；1 有错误（加 --strict 时警告也算）；2 无法排版或转换。
    """
    from reporttool.api import RenderError, _writable_target, _write, proof_file
    from reporttool.check.reporters import FORMATS
    from reporttool.check.reporters import text as text_report
    from reporttool.problems import Severity

    config = _config(ctx, config_path)
    try:
        target = _writable_target(output, overwrite) if output else None
        result = proof_file(path, template=template, style=style_path, indicators=indicators,
                            allow_errors=allow_errors, config=config)
        if target is not None:
            _write(target, result.pdf)
    except RenderError as exc:
        if exc.problems:
            click.echo(text_report(exc.problems, 1))
        _fail(ctx, str(exc), exc.code)
    shown = [p for p in result.problems if p.severity is Severity.ERROR] if quiet and not strict else result.problems
    report = FORMATS[fmt](shown, [path], quiet=quiet)
    if report:
        click.echo(report)
    if fmt == "text" and not quiet:
        click.echo(f"共 {result.pages} 页" + (f"；校样已保存：{output}" if output else ""))
    ctx.exit(result.exit_code(strict))


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True,
              help="json 供编辑器使用；yaml 为带注释的原始定义。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str),
              help="写入文件（总是 UTF-8），如草稿目录中的 work-report.schema.json；已有时更新它。")
@click.pass_context
def schema(ctx: click.Context, fmt: str, output: str | None) -> None:
    """输出草稿的格式定义（JSON Schema），供编辑器补全和检查。

    \b
    草稿第一行写 # yaml-language-server: $schema=./work-report.schema.json，
    再在草稿目录中运行 reporttool schema -o work-report.schema.json，复制到别处也能用。
    """
    from reporttool.api import editor_schema
    from reporttool.resources import schema_path

    text = schema_path().read_text(encoding="utf-8") if fmt == "yaml" else editor_schema()
    if output is None:
        click.echo(text, nl=False)
        return
    from reporttool.atomic import write_bytes_atomically  # a file, not the shell's redirection: UTF-8 everywhere

    try:
        write_bytes_atomically(output, text.encode("utf-8"))
    except OSError as exc:
        _fail(ctx, f"无法写入 {output}：{os_reason(exc)}")
    click.echo(f"已写入：{output}")


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.argument("rule_id", required=False, metavar="[规则编号]")
@click.pass_context
def rules(ctx: click.Context, rule_id: str | None) -> None:
    """列出全部检查规则；给出规则编号（如 text/placeholder）时详细说明这条规则，附会报告和不会报告的示例。"""
    from reporttool.api import explain_rule
    from reporttool.api import rules as all_rules

    if rule_id is not None:
        try:
            click.echo(explain_rule(rule_id))
        except KeyError:
            from reporttool.check.explain import close_matches

            near = close_matches(rule_id)
            hint = f"，是否是 {'、'.join(near)}？" if near else ""
            _fail(ctx, f"没有规则“{rule_id}”{hint}（reporttool rules 列出全部规则）")
        ctx.exit(0)
    catalogue = all_rules()
    width = max(len(rule.id) for rule in catalogue)
    for rule in catalogue:
        click.echo(f"{rule.id:<{width}}  {rule.severity.label}  {rule.summary}")
    click.echo("\n详细说明和示例：reporttool rules 规则编号")


@cli.command()
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.option("--stdio", is_flag=True, help="经标准输入输出通信（默认如此；编辑器常会加上这个参数）。")
def lsp(stdio: bool) -> None:
    """启动语言服务器（LSP），由编辑器调用：边写边显示 reporttool 的全部检查结果，并提供 fmt 的修正。

    \b
    VS Code 用 editors/vscode 中的扩展；Neovim、Helix、Emacs 的设置见 README。
    """
    from reporttool.lsp.server import serve

    serve()


STDIN = "-"


def _empty_batch():
    from reporttool.check.batch import BatchResult

    return BatchResult()


def _fail(ctx: click.Context, message: str, code: int = 2) -> NoReturn:
    click.echo(f"错误：{message}", err=True)
    ctx.exit(code)
    raise AssertionError("unreachable")  # ctx.exit raises


def _config(ctx: click.Context, path: str | None):
    """The --config file given on the command line, or None (each draft's nearest project file)."""
    if path is None:
        return None
    from reporttool.api import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        _fail(ctx, str(exc))


def _baseline(ctx: click.Context, path: str | None):
    """The --baseline file, read before any draft is checked; a broken one ends the run (exit 2)."""
    if path is None:
        return None
    from reporttool.api import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as exc:
        from reporttool.check.reporters import text

        click.echo(text(exc.problems, [], quiet=True), err=True)
        ctx.exit(2)


def _echo_lines(lines) -> None:
    """Write a report made line by line in chunks: the same text as one echo, never all of it in memory."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk = []
    if chunk:
        click.echo("\n".join(chunk))


def _checked_with_progress(paths, config, jobs, only_drafts=False, cache=False, previous=None, time_limit=None):
    """A progress bar on a terminal (never in CI logs or pipes) while many drafts are checked."""
    from reporttool.api import check_files

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < PROGRESS_FROM:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="检查中", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    show = sys.stderr.isatty() and not os.environ.get("CI")
    try:
        return check_files(paths, config=config, jobs=jobs, progress=progress if show else None,
                           only_drafts=only_drafts, cache=cache, previous=previous, time_limit=time_limit)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


# --- process-level behaviour -----------------------------------------------------------------

_USAGE_ZH = [
    (r"^No such option:? '?([^'.]*)'?\.?(.*)", r"没有这个选项：\1\2"),
    (r"^No such command:? '?([^'.]*)'?\.?", r"没有这个命令：\1"),
    (r"^Missing argument '(.*)'\.", r"缺少参数：\1"),
    (r"^Missing option '(.*)'\.", r"缺少选项：\1"),
    (r"^Invalid value for (.+?): (.*)", r"选项 \1 的值无效：\2"),
    (r"^Option '(.*)' requires an argument\.", r"选项 \1 需要一个值"),
    (r"^Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
]
# click's wording of a bad value, after "Invalid value for …:"
_VALUE_ZH = [
    (r"(?:File|Directory|Path) '(.*)' is a directory\.", r"“\1”是目录"),
    (r"(?:File|Directory|Path) '(.*)' is a file\.", r"“\1”是文件"),
    (r"(?:File|Directory|Path) '(.*)' does not exist\.", r"“\1”不存在"),
    (r"'(.*)' is not one of (.*)\.", r"“\1”不是可用的值（可用：\2）"),
    (r"'(.*)' is not a valid integer( range)?\.", r"“\1”不是整数"),
    (r"(.*) is not in the range (.*)\.", r"\1 不在范围 \2 内"),
]


def _usage_message(message: str) -> str:
    for pattern, replacement in _USAGE_ZH:
        if re.match(pattern, message):
            message = re.sub(pattern, replacement, message)
            break
    message = re.sub(r"'(-[-\w]+)' / '(-[-\w]+)'", r"\1 / \2", message)  # "'-o' / '--output'"
    message = message.replace("选项 '", "选项 ").replace("' 的值无效", " 的值无效")
    for pattern, replacement in _VALUE_ZH:
        message = re.sub(pattern, replacement, message)
    return message


@runtime_checkable
class _Reconfigurable(Protocol):  # io.TextIOWrapper, and wrappers that pass reconfigure on
    def reconfigure(self, *, errors: str | None = None) -> None: ...


def _setup_streams() -> None:
    # A GBK console or pipe must never crash while printing a draft's rare characters.
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, _Reconfigurable):  # a replaced stream without reconfigure
            continue
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


def _on_sigterm(signum, frame):  # run finally-blocks (temp files) on CI timeouts and kill
    raise SystemExit(EXIT_TERMINATED)


def _quiet_stdout() -> None:
    """Point stdout at devnull, so what is left in its buffer cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's stream)
        pass


cli.context_class = _ChineseContext
for _command in cli.commands.values():
    _command.context_class = _ChineseContext


def main(argv: list[str] | None = None) -> None:
    _setup_streams()
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread
        pass
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="reporttool", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("已中断", err=True)
        code = EXIT_INTERRUPTED
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `reporttool`: just the help
        click.echo(exc.format_message())
        code = 0
    except click.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f"\n运行“{exc.ctx.command_path} --help”查看用法"
        click.echo(f"用法错误：{_usage_message(exc.format_message())}{hint}", err=True)
        code = 2
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        code = 2
    except BrokenPipeError:
        _quiet_stdout()  # the reader (e.g. `| head`) went away: stop quietly
        code = 0
    except OSError as exc:  # the output could not be written (a full disk, /dev/full), or another OS error
        _quiet_stdout()
        click.echo(f"错误：无法完成：{os_reason(exc)}", err=True)
        code = 2
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback, never exit 1 (= "findings")
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(f"内部错误：{type(exc).__name__}: {exc}（请附上 --debug 的输出报告问题）", err=True)
        code = 2
    if argv is None:  # the process's own command line: the process ends here
        # The result is out and its exit code decided: a Ctrl-C from here on could only turn it into
        # a death by SIGINT (Python puts the default handler back while it shuts down) or a traceback.
        # (Not for a program calling main(argv): SIG_IGN would stay with it and its children.)
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code if isinstance(code, int) else 0)
