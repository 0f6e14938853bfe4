"""The `reporttool` command: `python -m reporttool` and the installed script both start here.

Before the command line is parsed (click and the CLI cost ~60 ms to import), a `render` starts its
helper process (render/prewarm.py), so the helper's imports overlap the CLI's as well.
"""

import sys


def main() -> None:
    from reporttool.render import prewarm

    prewarm.early(sys.argv[1:])
    from reporttool.cli import main as run

    run()


if __name__ == "__main__":
    main()
