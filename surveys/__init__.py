"""Survey domain: instruments, tables, links and the answering rules (no HTTP)."""
