"""The checked report: typed objects built from a schema-valid draft, its units and references."""
