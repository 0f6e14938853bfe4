"""The language server: an open draft is checked on every change (the latest text only, one check
at a time, off the protocol thread) and its problems published with their rule ids at the places
`validate` gives; fmt's edits come as quick fixes, a fix-all action and document formatting."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from reporttool.author.fmt import FIXES, format_text
from reporttool.check.config import DEFAULT
from reporttool.check.draft import check_data, config_for
from reporttool.load.files import is_draft_head
from reporttool.lsp import convert
from reporttool.messages import RULES
from reporttool.problems import Problem, Severity
from reporttool.version import __version__

SOURCE = "reporttool"
_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.INFO: types.DiagnosticSeverity.Information}


class DraftServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("reporttool", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        # one checking thread: a check never blocks the protocol, and checks never overlap
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reporttool-check")
        self.stale: set[str] = set()  # documents changed since their check started
        self.checking: dict[str, asyncio.Task] = {}

    def document(self, uri: str):
        return self.workspace.text_documents.get(unquote(uri))

    def to_client(self, lines: list[str], span: convert.Span) -> types.Range:
        server = ServerTextRange(ServerTextPosition(span.start_line, span.start_char),
                                 ServerTextPosition(span.end_line, span.end_char))
        return self.workspace.position_codec.range_to_client_units(lines, server)


server = DraftServer()


def _as_draft(uri: str, text: str) -> tuple[bytes, str | None] | None:
    """An open text's bytes and its file's path (None for a buffer not yet saved, untitled:), or
    None for a YAML file that is no draft (a mkdocs.yml gets nothing from reporttool)."""
    data = text.encode("utf-8", "surrogatepass")
    return (data, to_fs_path(uri)) if is_draft_head(data) else None


def problems_of(uri: str, text: str) -> list[Problem] | None:
    """The problems `validate` reports for this text at this place (its project configuration
    applies), or None for a file that is no draft."""
    draft = _as_draft(uri, text)
    if draft is None:
        return None
    data, path = draft
    config = DEFAULT
    if path is not None:
        found = config_for(path)
        if isinstance(found, Problem):
            return [found]
        config = found
    return check_data(data, path or uri, config).problems


def diagnostics(ls: DraftServer, problems: list[Problem], lines: list[str]) -> list[types.Diagnostic]:
    return [types.Diagnostic(range=ls.to_client(lines, convert.problem_span(problem, lines)),
                             message=convert.message(problem), severity=_SEVERITY[problem.severity],
                             code=problem.rule, source=SOURCE, data={"path": problem.path} if problem.path else None)
            for problem in problems]


def schedule(ls: DraftServer, uri: str) -> None:
    ls.stale.add(uri)
    if uri not in ls.checking:
        ls.checking[uri] = asyncio.get_running_loop().create_task(_check(ls, uri))


async def _check(ls: DraftServer, uri: str) -> None:
    """Check until the text checked is the latest: changes typed during a check are coalesced into
    one more check, and a result for an older text is never published."""
    loop = asyncio.get_running_loop()
    try:
        while uri in ls.stale:
            ls.stale.discard(uri)
            document = ls.document(uri)
            if document is None:
                return
            text, version = document.source, document.version
            found = await loop.run_in_executor(ls.checker, problems_of, uri, text)
            if uri in ls.stale or ls.document(uri) is None:
                continue
            lines = convert.lines_of(text)
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=diagnostics(ls, found or [], lines)))
    finally:
        ls.checking.pop(uri, None)


# checked once at start-up, so that the first draft the writer opens does not wait for the
# checker's imports and compiled patterns (~100 ms in a new process)
_WARM_UP = """schema_version: 1
meta: {title: 示例县教育局2026年工作总结, issuer: 示例县教育局, year: 2026, kind: special, date: 2026-12-02}
achievements:
  sections:
    - heading: 办学条件改善
      text: |
        投入【投入】，新建校舍12000平方米。
      metrics:
        - 投入: 1557.42万元
"""


def _warm_up() -> None:
    check_data(_WARM_UP.encode("utf-8"), "warm-up.yaml")
    format_text(_WARM_UP, "warm-up.yaml")


@server.feature(types.INITIALIZED)
def initialized(ls: DraftServer, params: types.InitializedParams) -> None:
    ls.checker.submit(_warm_up)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DraftServer, params: types.DidOpenTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DraftServer, params: types.DidChangeTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DraftServer, params: types.DidSaveTextDocumentParams) -> None:
    schedule(ls, params.text_document.uri)  # a reporttool.toml edited meanwhile applies now


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DraftServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.stale.discard(params.text_document.uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


def _fmt_edits(ls: DraftServer, uri: str) -> tuple[list[convert.Edit], list[str], str | None]:
    """fmt's edits of the open text, its lines, and why fmt refused (a YAML error), if it did."""
    document = ls.document(uri)
    if document is None:
        return [], [], None
    text = document.source
    draft = _as_draft(uri, text)
    if draft is None:
        return [], [], None
    formatted = format_text(text, draft[1] or uri)
    return convert.edits(text, formatted.text), convert.lines_of(text), formatted.refused


def _text_edits(ls: DraftServer, lines: list[str], found: list[convert.Edit]) -> list[types.TextEdit]:
    return [types.TextEdit(range=ls.to_client(lines, edit.span), new_text=edit.new_text) for edit in found]


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]))
def code_action(ls: DraftServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    fixable = [d for d in params.context.diagnostics if d.source == SOURCE and d.code in FIXES]
    wants_all = only is not None and any(types.CodeActionKind.SourceFixAll.value.startswith(kind) for kind in only)
    if not fixable and not wants_all:
        return []
    found, lines, _ = _fmt_edits(ls, uri)
    if not found:
        return []
    codec = ls.workspace.position_codec
    actions = []
    if only is None or any(types.CodeActionKind.QuickFix.value.startswith(kind) for kind in only):
        for diagnostic in fixable:
            start = codec.position_from_client_units(lines, diagnostic.range.start)
            here = convert.touching(found, convert.Span(start.line, start.character, start.line, start.character))
            if here:
                actions.append(types.CodeAction(
                    title=f"改正：{RULES[str(diagnostic.code)].summary}（reporttool fmt）",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic], is_preferred=True,
                    edit=types.WorkspaceEdit(changes={uri: _text_edits(ls, lines, here)})))
    if only is None or wants_all:
        actions.append(types.CodeAction(
            title="reporttool fmt：整理全文（标点、数字、缩进）", kind=types.CodeActionKind.SourceFixAll,
            edit=types.WorkspaceEdit(changes={uri: _text_edits(ls, lines, found)})))
    return actions


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: DraftServer, params: types.DocumentFormattingParams) -> list[types.TextEdit]:
    found, lines, refused = _fmt_edits(ls, params.text_document.uri)
    if refused:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=refused))
    return _text_edits(ls, lines, found)


def serve() -> None:
    """Serve one editor over stdin/stdout until it exits."""
    server.start_io()
