"""The HTTP layer: FastAPI routes over the `indexer` package. `create_app` builds the app."""
