"""Configuration from environment variables (SPEC section 7), all optional.

`Settings()` reads `LIPKB_*` (and Meilisearch's own `MEILI_URL`, `MEILI_MASTER_KEY`);
each field's description is what the README documents (`tests/test_docs.py` checks that
every variable is there). An unusable setting fails at start-up with one line per
problem naming the variable (`Settings.load`), never a stack trace; secrets are
`SecretStr`, so they never appear in a `repr`, a log line or an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from indexer.casestudy.taxonomy import DEFAULT_TAXONOMY_PATH
from indexer.operations.logs import Format, Level
from indexer.store.database import sqlite_url

PREFIX = "LIPKB_"
# Meilisearch refuses shorter master keys when it runs in production mode.
MIN_MEILI_KEY_BYTES = 16
DATABASE_BACKENDS = ("sqlite", "postgresql")


class ConfigError(Exception):
    """The configuration cannot be used; `str()` is one line per problem."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
    )

    data_dir: Path = Field(
        Path("data"),
        description="folder for the SQLite store and the embedded search index (default: data)",
    )
    database_url: SecretStr | None = Field(
        None,
        description="store URL (default: SQLite in the data folder; or postgresql+psycopg://)",
    )
    content_dir: Path = Field(
        Path("content"),
        description="case studies `lipkb serve` loads into an empty store (default: content)",
    )
    taxonomy_path: Path = Field(
        DEFAULT_TAXONOMY_PATH,
        validation_alias="LIPKB_TAXONOMY",
        description="the vocabularies file (default: content/taxonomy.yaml of this project)",
    )
    search_engine: str = Field(
        "sqlite", description="search engine: sqlite (default) or meilisearch"
    )
    meili_url: str | None = Field(
        None,
        validation_alias="MEILI_URL",
        description="Meilisearch server URL, for the meilisearch engine",
    )
    meili_master_key: SecretStr | None = Field(
        None,
        validation_alias="MEILI_MASTER_KEY",
        description="Meilisearch master key, used only to look up the search and admin keys; "
        "it never leaves the server",
    )
    meili_search_key: SecretStr | None = Field(
        None,
        validation_alias="MEILI_SEARCH_KEY",
        description="Meilisearch key for searches (default: its Default Search API Key, "
        "looked up with the master key)",
    )
    meili_admin_key: SecretStr | None = Field(
        None,
        validation_alias="MEILI_ADMIN_KEY",
        description="Meilisearch key for index writes and settings (default: its Default "
        "Admin API Key, looked up with the master key)",
    )
    meili_index: str = Field("practices", description="Meilisearch index name (default: practices)")
    meili_timeout: float = Field(
        5.0,
        gt=0,
        le=300,
        description="seconds to wait for Meilisearch before answering 503 (default: 5)",
    )

    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="comma-separated origins allowed to call the API from a browser "
        "(default: none, CORS closed)",
    )
    auth_max_failures: int = Field(
        10,
        ge=1,
        description="failed authentications a client address may make in the window "
        "before 429 (default: 10)",
    )
    auth_failure_window: float = Field(
        300.0,
        gt=0,
        description="seconds the failed authentications of an address count (default: 300)",
    )

    workers: int = Field(
        1,
        ge=1,
        description="worker processes `lipkb serve` starts, e.g. one per core (default: 1)",
    )

    public_url: str = Field(
        "http://127.0.0.1:8000",
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="the address people reach this instance at, for the links of exports "
        "and feeds (default: http://127.0.0.1:8000)",
    )

    log_format: Format = Field(
        "auto",
        description="log lines of `lipkb serve`: json (one object a line), text, or auto "
        "(default: text on a terminal, json otherwise)",
    )
    log_level: Level = Field(
        "INFO", description="least severe log level written: DEBUG, INFO (default), WARNING, ERROR"
    )

    @classmethod
    def load(cls) -> Settings:
        """The settings of the environment, or `ConfigError` naming each unusable variable."""
        try:
            return cls()
        except ValidationError as err:
            raise ConfigError("\n".join(_problems(err))) from None

    @classmethod
    def from_env(cls) -> Settings:
        return cls.load()

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(origin.strip() for origin in value.split(",") if origin.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            backend = make_url(value.get_secret_value()).get_backend_name()
        except ArgumentError:
            raise ValueError(
                "not a database URL (e.g. postgresql+psycopg://user@host/db)"
            ) from None
        if backend not in DATABASE_BACKENDS:
            raise ValueError(f"a {backend} database is not supported: use SQLite or PostgreSQL")
        return value

    @model_validator(mode="after")
    def _meilisearch_is_usable(self) -> Settings:
        if self.search_engine == "meilisearch" and not self.meili_url:
            raise ValueError("MEILI_URL is needed when LIPKB_SEARCH_ENGINE is meilisearch")
        if (self.meili_search_key is None) != (self.meili_admin_key is None) and (
            self.meili_master_key is None
        ):
            given = "MEILI_SEARCH_KEY" if self.meili_search_key else "MEILI_ADMIN_KEY"
            raise ValueError(
                f"{given} is set alone: set MEILI_SEARCH_KEY and MEILI_ADMIN_KEY, or "
                "MEILI_MASTER_KEY to look up the other one"
            )
        key = self.meili_master_key
        if key is not None and len(key.get_secret_value().encode()) < MIN_MEILI_KEY_BYTES:
            raise ValueError(
                f"MEILI_MASTER_KEY is shorter than the {MIN_MEILI_KEY_BYTES} bytes "
                "Meilisearch accepts"
            )
        return self

    @property
    def store_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return sqlite_url(self.data_dir.resolve() / "lipkb.sqlite3")

    def effective(self) -> dict[str, str]:
        """Every variable with the value in force, secrets masked (`lipkb config`)."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value: Any = getattr(self, name)
            if name == "database_url":
                value = masked_url(self.store_url)
            elif isinstance(value, SecretStr):
                value = "********"
            shown[variable(name)] = "" if value is None else str(value)
        return shown


def variable(field: str) -> str:
    """The environment variable of a settings field."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else f"{PREFIX}{field.upper()}"


def masked_url(url: str) -> str:
    """A database URL fit to print: its password, if any, replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def _problems(err: ValidationError) -> list[str]:
    lines = []
    for error in err.errors(include_url=False, include_input=False):
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:
            field = str(error["loc"][0])
            name = field if field.isupper() else variable(field)
            lines.append(f"{name}: {message}")
        else:
            lines.append(message)
    return lines


# Every variable the application reads, with what it means (from the fields above).
VARIABLES: dict[str, str] = {
    variable(name): field.description or "" for name, field in Settings.model_fields.items()
}
