"""The content pipeline of the LIP Practices Knowledge Base.

Markdown case studies are parsed and validated (`parser`), tagged (`tagger`), kept in the
store (`store`), written back as Markdown (`writer`) and indexed for search (`search`).
The HTTP layer in `api/` builds on this package; nothing here imports `api`.
"""
