"""The `reporttool` command: `python -m reporttool` and the installed script both start here.

Before the command line is parsed (click and the CLI cost ~60 ms to import), a `render` starts its
helper process (render/prewarm.py), so the helper's imports overlap the CLI's as well.
"""

import sys


def main() -> None:
    try:
        words = [arg for arg in sys.argv[1:] if not arg.startswith("-")]  # the command: the first word
        if words[:1] == ["render"] and not {"-h", "--help"} & set(sys.argv):
            from reporttool.render import prewarm  # only here: other commands do not pay for its imports

            prewarm.early()
        from reporttool.cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the CLI is still being imported: no traceback either
        from reporttool.problems import EXIT_INTERRUPTED

        print("已中断", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    run()


if __name__ == "__main__":
    main()
