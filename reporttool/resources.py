"""Where the shipped data lives: inside the installed package, or at the top of a checkout.

The folders are found with os.path: a re-run answered from the cache needs only the schemas'
folder, and pathlib with its imports is ~5 ms of such a run's ~110.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = os.path.dirname(os.path.realpath(__file__))  # the package folder, symlinks resolved


def data_folder(name: str) -> str:
    installed = os.path.join(PACKAGE, name)
    if os.path.isdir(installed):
        return installed
    # Running from a source checkout (python -m reporttool without install).
    return os.path.join(os.path.dirname(PACKAGE), name)


def _path(name: str) -> Path:
    from pathlib import Path

    return Path(data_folder(name))


def schemas_dir() -> Path:
    return _path("schemas")


def templates_dir() -> Path:
    return _path("templates")


def schema_path(name: str = "work-report") -> Path:
    return schemas_dir() / f"{name}.schema.yaml"
