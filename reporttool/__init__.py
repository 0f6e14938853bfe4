"""reporttool: write, check and produce Chinese education bureau work reports."""

__version__ = "0.1.0"
