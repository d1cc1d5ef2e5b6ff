"""Parameter tables: declared once per request type, parsed in one pass."""
