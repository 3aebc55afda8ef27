"""Benchmarks (`digitize bench …` from a checkout): OCR accuracy and speed, PDF and signing cost,
field extraction, catalog queries and web pages. Not shipped in the wheel."""
