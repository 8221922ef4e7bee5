"""Reusing practices elsewhere: fit for a community (`fit`, `rules`, `ranking`)."""
