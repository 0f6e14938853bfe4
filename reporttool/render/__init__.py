"""Producing the document: Jinja template → blocks → .docx in the house style."""
