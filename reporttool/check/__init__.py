"""Checking drafts: schema, rules, project configuration, batches and the reporters of problems."""
