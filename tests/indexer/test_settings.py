"""Configuration fails fast with one line naming the variable, and never shows a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.operations.config import VARIABLES, ConfigError, Settings

LIPKB = Path(sys.executable).parent / "lipkb"
KEY = "a-master-key-of-32-characters-ok"
PASSWORD = "pg-password-never-shown"


def lipkb(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return subprocess.run(
        [str(LIPKB), *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"LIPKB_SEARCH_ENGINE": "meilisearch"},
            "MEILI_URL is needed when LIPKB_SEARCH_ENGINE is meilisearch",
        ),
        (
            {"MEILI_MASTER_KEY": "too-short", "MEILI_URL": "http://127.0.0.1:7700"},
            "MEILI_MASTER_KEY is shorter than the 16 bytes Meilisearch accepts",
        ),
        (
            {"LIPKB_DATABASE_URL": "mysql://kb@db/kb"},
            "LIPKB_DATABASE_URL: a mysql database is not supported: use SQLite or PostgreSQL",
        ),
        ({"LIPKB_DATABASE_URL": "::not a url::"}, "LIPKB_DATABASE_URL: not a database URL"),
        ({"LIPKB_MEILI_TIMEOUT": "soon"}, "LIPKB_MEILI_TIMEOUT: Input should be a valid number"),
        ({"LIPKB_MEILI_TIMEOUT": "0"}, "LIPKB_MEILI_TIMEOUT: Input should be greater than 0"),
    ],
)
def test_an_unusable_setting_is_one_line_naming_it(env: dict[str, str], line: str) -> None:
    run = lipkb("config", **env)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"lipkb: configuration: {line}")
    assert len(run.stderr.splitlines()) == 1
    assert "Traceback" not in run.stderr
    assert "too-short" not in run.stderr


def test_config_prints_every_variable_with_secrets_masked(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://kb:{PASSWORD}@db.example:5432/kb"
    run = lipkb(
        "config",
        LIPKB_DATABASE_URL=url,
        LIPKB_SEARCH_ENGINE="meilisearch",
        MEILI_URL="http://meili:7700",
        MEILI_MASTER_KEY=KEY,
        LIPKB_DATA_DIR=str(tmp_path),
    )
    assert run.returncode == 0, run.stderr
    shown = dict(line.split("=", 1) for line in run.stdout.splitlines())
    assert set(shown) == set(VARIABLES)
    assert shown["LIPKB_DATABASE_URL"] == "postgresql+psycopg://kb:***@db.example:5432/kb"
    assert shown["MEILI_MASTER_KEY"] == "********"
    assert shown["MEILI_URL"] == "http://meili:7700"
    assert shown["LIPKB_DATA_DIR"] == str(tmp_path)
    assert KEY not in run.stdout
    assert PASSWORD not in run.stdout


def test_empty_variables_mean_the_default(tmp_path: Path) -> None:
    run = lipkb("config", LIPKB_SEARCH_ENGINE="", LIPKB_DATA_DIR="", MEILI_MASTER_KEY="")
    assert run.returncode == 0, run.stderr
    assert "LIPKB_SEARCH_ENGINE=sqlite" in run.stdout.splitlines()
    assert "LIPKB_DATA_DIR=data" in run.stdout.splitlines()


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    run = lipkb("migrate", LIPKB_DATABASE_URL=f"postgresql+psycopg://kb:{PASSWORD}@127.0.0.1:9/kb")
    assert run.returncode == 1
    assert run.stderr.startswith(
        "lipkb: the store at postgresql+psycopg://kb:***@127.0.0.1:9/kb cannot be used: "
    )
    assert len(run.stderr.splitlines()) == 1
    assert PASSWORD not in run.stderr


def test_secrets_stay_out_of_repr() -> None:
    settings = Settings(
        meili_master_key=KEY, database_url=f"postgresql+psycopg://kb:{PASSWORD}@db/kb"
    )
    assert KEY not in repr(settings)
    assert PASSWORD not in repr(settings)
    assert KEY not in str(settings.effective())
    assert settings.store_url.endswith(f"{PASSWORD}@db/kb")


def test_load_reports_every_problem_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIPKB_DATABASE_URL", "mysql://kb@db/kb")
    monkeypatch.setenv("LIPKB_MEILI_TIMEOUT", "-1")
    with pytest.raises(ConfigError) as raised:
        Settings.load()
    assert str(raised.value).splitlines() == [
        "LIPKB_DATABASE_URL: a mysql database is not supported: use SQLite or PostgreSQL",
        "LIPKB_MEILI_TIMEOUT: Input should be greater than 0",
    ]
