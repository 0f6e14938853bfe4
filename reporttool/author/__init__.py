"""Helping the writer: the commented scaffold of a new draft and the formatter (fmt)."""
