"""Contributions: access tokens, submissions and their moderation (SPEC sections 2, 7).

`tokens` issues and checks access tokens; `limits` rate-limits failed authentication;
`drafts` turns a submitted body into the Markdown the pipeline checks; `submissions`
stores proposals; `moderation` approves (through the publishing service) or rejects
them; `history` describes what changed between two revisions.
"""
