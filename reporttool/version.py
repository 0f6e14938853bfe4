"""The version, in one place: the CLI shows it, the package metadata reads it, caches are keyed on it."""

__version__ = "0.1.0"
