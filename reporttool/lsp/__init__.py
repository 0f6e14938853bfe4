"""`reporttool lsp`: a language server that shows every reporttool problem of an open draft as the
writer types, with fmt's fixes as code actions (pygls over stdio; started by the editor)."""
