"""Reuse across instances and provinces: licences, exports (Markdown, JSON, JSON-LD,
NDJSON, zip, CSV) and feeds."""
