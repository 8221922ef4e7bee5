"""Reuse across instances and provinces: licences, exports (Markdown, JSON, JSON-LD,
NDJSON, zip, CSV), feeds, and fit for a community (`rules`, `fit`, `facts`, `ranking`)."""
