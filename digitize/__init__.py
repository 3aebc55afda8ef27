"""The product's core: domain rules (codes, ids), the pipeline, field extraction, the CLI."""
