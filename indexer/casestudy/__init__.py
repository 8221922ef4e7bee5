"""The case-study pipeline: front matter and Markdown parsed, validated against the schema,
tagged from the taxonomy, and written back (SPEC section 4)."""
