"""The store: the system of record for published practices and their revisions.

SQLModel tables (`models`), connections and migrations (`database`), and the `Store`
that the rest of the code talks to (`repository`). SQLite by default, PostgreSQL through
the same code.
"""

from indexer.store.repository import SaveOutcome, Store, StoredPractice

__all__ = ["SaveOutcome", "Store", "StoredPractice"]
