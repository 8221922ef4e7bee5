"""The store: the system of record for published practices and their revisions.

SQLModel tables (`models`), connections and migrations (`database`), the writes
(`saving`), the "index must follow" records (`outbox`), history (`revisions`) and the
`Store` that the rest of the code talks to (`repository`). SQLite by default, PostgreSQL
through the same code.
"""

from indexer.store.outbox import Change
from indexer.store.repository import ConcurrentWrite, Store, StoredPractice
from indexer.store.revisions import Revision
from indexer.store.saving import SaveOutcome

__all__ = ["Change", "ConcurrentWrite", "Revision", "SaveOutcome", "Store", "StoredPractice"]
