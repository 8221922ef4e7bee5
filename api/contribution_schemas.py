"""Request and response models of submissions, moderation and revision history."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.problems import FieldError
from api.schemas import PracticeOut

TagVocabulary = Literal["sectors", "factors"]


class MeOut(BaseModel):
    name: str
    role: Literal["contributor", "moderator", "admin"]


class SubmissionCreatedOut(BaseModel):
    id: int
    status: Literal["pending"]
    slug: str
    kind: Literal["new", "edit"]
    warnings: list[FieldError]


class ValidationOut(BaseModel):
    valid: bool
    warnings: list[FieldError]
    practice: PracticeOut  # the preview, in the shape of GET /api/practices/{slug}


class SubmissionOut(BaseModel):
    id: int
    status: Literal["pending", "approved", "rejected"]
    kind: Literal["new", "edit"]
    slug: str
    title: str
    language: str
    province: str
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None
    revision: int | None  # the practice revision an approval published


class SubmissionDetailOut(SubmissionOut):
    markdown: str
    practice: PracticeOut | None  # None when it no longer validates (taxonomy changed)
    diff: str | None  # against the published Markdown, for an edit


class SubmissionListOut(BaseModel):
    total: int
    items: list[SubmissionOut]


class TagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vocabulary: TagVocabulary
    term: str = Field(min_length=1, max_length=64)


class TagCorrectionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirm: list[TagIn] = Field(default_factory=list, max_length=100)
    drop: list[TagIn] = Field(default_factory=list, max_length=100)
    add: list[TagIn] = Field(default_factory=list, max_length=100)


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)
    tags: TagCorrectionsIn | None = None


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class RevisionSummaryOut(BaseModel):
    number: int
    author: str
    created_at: datetime
    note: str | None
    source: str
    changed: list[str]


class RevisionsOut(BaseModel):
    slug: str
    revisions: list[RevisionSummaryOut]


class RevisionOut(RevisionSummaryOut):
    slug: str
    markdown: str
    diff: str  # against the previous revision (the whole file for the first)
