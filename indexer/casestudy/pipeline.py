"""parse → validate → tag: from raw bytes to a `Practice`, or the problems that stop it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indexer.casestudy.parser import ParseResult, parse, read_file
from indexer.casestudy.practice import Practice
from indexer.casestudy.problems import Problem, errors
from indexer.casestudy.tagger import Tagger
from indexer.casestudy.taxonomy import Taxonomy


@dataclass
class Checked:
    path: str
    practice: Practice | None
    problems: list[Problem] = field(default_factory=list)
    slug_line: int = 1  # where the slug is given (or the title it is derived from)

    @property
    def ok(self) -> bool:
        return self.practice is not None


class Pipeline:
    """Everything needed to turn case-study files into practices, configured once."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.tagger = Tagger(taxonomy)

    def check_file(self, path: Path, display_path: str | None = None) -> Checked:
        name = display_path or str(path)
        try:
            raw = read_file(path)
        except OSError as err:
            return Checked(name, None, [Problem(name, 1, "file", f"cannot read: {err.strerror}")])
        return self.check(raw, name)

    def check(self, raw: bytes | str, path: str) -> Checked:
        parsed = parse(raw, path, self.taxonomy)
        if not parsed.ok:
            return Checked(path, None, parsed.problems)
        practice = self._tag(parsed)
        problems = list(parsed.problems)
        if not practice.sectors:
            problems.append(
                Problem(
                    path,
                    parsed.line_of(("sectors",)),
                    "sectors",
                    "no sector: list at least one (none could be inferred from the text)",
                )
            )
        if errors(problems):
            return Checked(path, None, problems)
        slug_line = parsed.line_of(("slug",) if "slug" in parsed.front_matter_keys else ("title",))
        return Checked(path, practice, problems, slug_line)

    def _tag(self, parsed: ParseResult) -> Practice:
        assert parsed.case_study is not None
        assert parsed.body is not None
        body = parsed.body
        tags = self.tagger.tag(parsed.case_study, body.text)
        return Practice(
            case_study=parsed.case_study,
            html=body.html,
            text=body.text,
            sections=body.sections,
            tags=tuple(tags),
        )
