"""The case-study front matter as a typed schema (SPEC section 4).

`CaseStudy` is what a Markdown file says: its front matter and its body. Validation needs
the taxonomy, passed as context (`CaseStudy.model_validate(data, context={"taxonomy": t})`),
so that vocabulary values are checked against data rather than hard-coded lists. The store
reads with `context={"stored": True}`: what was valid when stored stays readable.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from indexer.casestudy.taxonomy import Taxonomy

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPDX_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{1,63}$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
URL_SCHEMES = ("http://", "https://")
MAX_SLUG_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _one_line(value: str) -> str:
    """Fold runs of white space (YAML folded scalars, stray tabs) to single spaces."""
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return " ".join(value.split())


def _url(value: str) -> str:
    if not value.lower().startswith(URL_SCHEMES) or len(value) > 2000 or " " in value:
        raise PydanticCustomError(
            "url", "{value} is not an http or https URL", {"value": repr(value[:80])}
        )
    return value


OneLine = Annotated[str, AfterValidator(_one_line)]
Url = Annotated[str, AfterValidator(_url)]


def _vocabulary_value(info: ValidationInfo, vocabulary: str, value: str) -> str:
    if (info.context or {}).get("stored"):
        # Read back from the store: kept as stored even if the taxonomy has since retired
        # the term, so that a taxonomy change never makes a practice unreadable.
        return value
    taxonomy: Taxonomy | None = (info.context or {}).get("taxonomy")
    if taxonomy is None:
        raise RuntimeError("CaseStudy validation needs the taxonomy in its context")
    vocab = taxonomy.vocabulary(vocabulary)
    if value in vocab.ids:
        return value
    suggestions = vocab.suggest(value)
    if suggestions:
        hint = f" (did you mean {' or '.join(repr(s) for s in suggestions)}?)"
    else:
        hint = f": use one of {', '.join(vocab.ids)}"
    raise PydanticCustomError(
        "vocabulary",
        "{value} is not a known {vocabulary} value{hint}",
        {"value": repr(value[:80]), "vocabulary": vocabulary, "hint": hint},
    )


def _term_of(vocabulary: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        return _vocabulary_value(info, vocabulary, value)

    return AfterValidator(check)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Province = Annotated[str, _term_of("province")]
CommunitySize = Annotated[str, _term_of("community_size")]
Sector = Annotated[str, _term_of("sectors")]
Theme = Annotated[str, _term_of("themes")]
Population = Annotated[str, _term_of("populations")]
Factor = Annotated[str, _term_of("factors")]
Evidence = Annotated[str, _term_of("evidence")]
Cost = Annotated[str, _term_of("cost")]
Status = Annotated[str, _term_of("status")]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: OneLine | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=254)
    url: Url | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_PATTERN.match(value):
            raise PydanticCustomError(
                "email", "{value} is not an email address", {"value": repr(value[:80])}
            )
        return value


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: OneLine = Field(min_length=1, max_length=200)
    url: Url


class Transferability(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    factors: Annotated[list[Factor], AfterValidator(_unique)] = Field(
        default_factory=list, max_length=40
    )
    notes: OneLine | None = Field(default=None, max_length=2000)


class CaseStudy(BaseModel):
    """A case study: front matter fields in their canonical order, then the body."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(max_length=MAX_SLUG_LENGTH)
    title: OneLine = Field(min_length=5, max_length=200)
    summary: OneLine = Field(min_length=20, max_length=600)
    province: Province
    community: OneLine | None = Field(default=None, max_length=200)
    community_size: CommunitySize | None = None
    organization: OneLine | None = Field(default=None, max_length=300)
    lip: OneLine | None = Field(default=None, max_length=300)
    sectors: Annotated[list[Sector], AfterValidator(_unique)] = Field(
        default_factory=list, max_length=40
    )
    themes: Annotated[list[Theme], AfterValidator(_unique)] = Field(
        default_factory=list, max_length=40
    )
    populations: Annotated[list[Population], AfterValidator(_unique)] = Field(
        default_factory=list, max_length=40
    )
    transferability: Transferability = Transferability()
    evidence: Evidence | None = None
    cost: Cost | None = None
    reach: int | None = Field(default=None, ge=0, le=100_000_000)
    start_year: int | None = Field(default=None, ge=1900, le=2100)
    end_year: int | None = Field(default=None, ge=1900, le=2100)
    status: Status | None = None
    language: Literal["en", "fr"] = "en"
    license: str = "CC-BY-4.0"
    adapted_from: str | None = Field(default=None, max_length=2000)
    translation_of: str | None = Field(default=None, max_length=MAX_SLUG_LENGTH)
    updated: date | None = None
    reviewed: date | None = None
    contact: Contact | None = None
    links: list[Link] = Field(default_factory=list, max_length=50)
    body: str = Field(min_length=1, max_length=500_000)

    @field_validator("slug", "translation_of")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG_PATTERN.match(value):
            raise PydanticCustomError(
                "slug",
                "{value} is not a valid slug: use lowercase letters, digits and hyphens",
                {"value": repr(value[:80])},
            )
        return value

    @field_validator("adapted_from")
    @classmethod
    def _adapted_from(cls, value: str | None) -> str | None:
        if value is None or SLUG_PATTERN.match(value) or value.lower().startswith(URL_SCHEMES):
            return value
        raise PydanticCustomError(
            "adapted_from",
            "{value} is neither a slug nor an http or https URL",
            {"value": repr(value[:80])},
        )

    @field_validator("license")
    @classmethod
    def _license(cls, value: str) -> str:
        if not SPDX_PATTERN.match(value):
            raise PydanticCustomError(
                "license",
                "{value} is not an SPDX licence id such as 'CC-BY-4.0'",
                {"value": repr(value[:80])},
            )
        return value

    @field_validator("end_year")
    @classmethod
    def _years(cls, value: int | None, info: ValidationInfo) -> int | None:
        # A field check, not a model one, so that it is reported with the other problems.
        start = info.data.get("start_year")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError(
                "years",
                "end_year {end} is before start_year {start}",
                {"end": value, "start": start},
            )
        return value

    @property
    def factors(self) -> list[str]:
        return self.transferability.factors

    def front_matter(self) -> dict[str, Any]:
        """The front matter as plain data, in canonical order, without empty values."""
        data = self.model_dump(mode="python", exclude={"body"}, exclude_none=True)
        data["transferability"] = {k: v for k, v in data["transferability"].items() if v}
        return {key: value for key, value in data.items() if value not in ([], {})}


FRONT_MATTER_FIELDS = [name for name in CaseStudy.model_fields if name != "body"]
