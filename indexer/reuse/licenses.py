"""What each licence lets another instance do with a case study (`content/licenses.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LICENSES_PATH = Path(__file__).resolve().parents[2] / "content" / "licenses.yaml"


@dataclass(frozen=True)
class License:
    id: str
    name: str
    url: str | None
    redistribution: bool  # may another instance publish copies?


@cache
def licenses(path: Path = LICENSES_PATH) -> dict[str, License]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["id"]: License(**entry) for entry in data["licenses"]}


def license_of(spdx_id: str) -> License:
    """The licence, or an unknown one that allows nothing beyond reading."""
    return licenses().get(spdx_id) or License(spdx_id, spdx_id, None, False)
