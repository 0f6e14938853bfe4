"""reporttool: write, check and produce Chinese education bureau work reports.

The public API (see README “在程序中使用”): check_text / check_file / check_files, render_text /
render_file, format_text / format_files, import_report, new_draft / save_new, load_config /
find_config, editor_schema, rules / explain_rule, and the types they return. Everything else is private.
Names are loaded on first use, so `import reporttool` (and `reporttool --version`) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reporttool.version import __version__

__all__ = [
    "BatchResult", "CheckResult", "Config", "ConfigError", "FormatRun", "Formatted", "ImportedDraft", "Problem",
    "RenderError", "RenderResult", "Severity",
    "__version__", "check_file", "check_files", "check_text", "editor_schema", "explain_rule", "find_config", "format_files",
    "format_text", "import_report", "load_config", "save_imported", "new_draft", "render_file", "render_text", "rules", "save_new",
    "to_pdf", "proof_file", "ProofResult", "BaselineError", "BaselineWritten", "write_baseline",
    "load_baseline", "summarize",
]

if TYPE_CHECKING:
    from reporttool.api import (
        BaselineError,
        BaselineWritten,
        BatchResult,
        CheckResult,
        Config,
        ConfigError,
        FormatRun,
        Formatted,
        ImportedDraft,
        Problem,
        ProofResult,
        RenderError,
        RenderResult,
        Severity,
        check_file,
        check_files,
        check_text,
        editor_schema,
        explain_rule,
        find_config,
        format_files,
        format_text,
        import_report,
        load_baseline,
        load_config,
        new_draft,
        proof_file,
        render_file,
        render_text,
        rules,
        save_imported,
        save_new,
        summarize,
        to_pdf,
        write_baseline,
    )


def __getattr__(name: str) -> object:
    if name in __all__:
        from reporttool import api

        return getattr(api, name)
    raise AttributeError(f"module 'reporttool' has no attribute {name!r}")
