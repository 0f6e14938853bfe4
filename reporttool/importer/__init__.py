"""Import existing reports (.txt, .docx) into drafts: read → clean → split → structure → metrics → YAML."""
