"""Where the shipped data lives: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PKG / name
    if installed.is_dir():
        return installed
    # Running from a source checkout (python -m reporttool without install).
    return _PKG.parent / name


def schemas_dir() -> Path:
    return _data_dir("schemas")


def templates_dir() -> Path:
    return _data_dir("templates")


def schema_path(name: str = "work-report") -> Path:
    return schemas_dir() / f"{name}.schema.yaml"
