"""Documentation stays true: every field and every setting is documented."""

from __future__ import annotations

from pathlib import Path

from indexer.casestudy.schema import FRONT_MATTER_FIELDS, Contact, Link, Transferability
from indexer.operations.config import VARIABLES

ROOT = Path(__file__).resolve().parent.parent


def test_every_front_matter_field_is_in_the_authoring_guide() -> None:
    guide = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    fields = [f for f in FRONT_MATTER_FIELDS if f != "transferability"]
    fields += [f"transferability.{name}" for name in Transferability.model_fields]
    fields += [f"contact.{name}" for name in Contact.model_fields]
    fields += list(Link.model_fields)
    missing = [name for name in fields if f"`{name}`" not in guide]
    assert not missing, f"undocumented in content/README.md: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in VARIABLES if f"`{name}`" not in readme]
    assert not missing, f"undocumented in README.md: {missing}"


def test_the_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["./kb serve", "./kb test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./kb test" in ci
