"""The tagger: author tags kept, inferred tags precise; measured on the seed corpus.

Precision and recall are measured by hiding each seed practice's author tags and
inferring from its text alone, against the author tags as labels. Authors under-tag, so
measured precision is a lower bound. `python -m tests.indexer.test_tagger` prints them.
"""

from __future__ import annotations

from pathlib import Path

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.tagger import TAGGED_VOCABULARIES, Tagger
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies

CONTENT = Path(__file__).resolve().parents[2] / "content"
# (precision, recall) floors, a little under what the seed corpus measures (0.76 / 0.60
# for sectors, 0.83 / 0.24 for factors). Factors are abstract ("scalable", "modular"):
# the text seldom names them, and precision matters more than recall.
FLOORS = {"sectors": (0.7, 0.5), "factors": (0.75, 0.2)}


def measure(pipeline: Pipeline) -> dict[str, tuple[float, float, int]]:
    """vocabulary -> (precision, recall, inferred count) over the seed corpus."""
    out = {}
    for vocabulary in TAGGED_VOCABULARIES:
        true_positive = inferred_total = labelled_total = 0
        for path in find_case_studies([CONTENT]):
            checked = pipeline.check_file(path)
            assert checked.practice is not None
            case_study = checked.practice.case_study
            labels = set(case_study.sectors if vocabulary == "sectors" else case_study.factors)
            inferred = pipeline.tagger.infer(
                vocabulary, case_study.title, case_study.summary, checked.practice.text
            )
            true_positive += len(inferred & labels)
            inferred_total += len(inferred)
            labelled_total += len(labels)
        out[vocabulary] = (
            true_positive / max(inferred_total, 1),
            true_positive / max(labelled_total, 1),
            inferred_total,
        )
    return out


def test_inference_is_precise_on_the_seed_corpus(pipeline: Pipeline) -> None:
    for vocabulary, (precision, recall, _) in measure(pipeline).items():
        precision_floor, recall_floor = FLOORS[vocabulary]
        assert precision >= precision_floor, (vocabulary, precision)
        assert recall >= recall_floor, (vocabulary, recall)


def make(taxonomy: Taxonomy, title: str, summary: str, sectors: list[str]) -> CaseStudy:
    return CaseStudy.model_validate(
        {
            "slug": "t",
            "title": title,
            "summary": summary,
            "province": "ON",
            "sectors": sectors,
            "body": "x\n",
        },
        context={"taxonomy": taxonomy},
    )


def test_a_title_mention_is_clear_evidence(taxonomy: Taxonomy) -> None:
    case_study = make(
        taxonomy,
        "Hospital interpreters for newcomers",
        "Trained interpreters accompany patients to appointments.",
        ["employment"],
    )
    tags = Tagger(taxonomy).tag(case_study, "")
    inferred = {t.term: t for t in tags if t.source == "inferred"}
    assert "health" in inferred
    assert inferred["health"].evidence == ("hospital",)
    assert [t.term for t in tags if t.source == "author"] == ["employment"]


def test_a_single_passing_body_mention_is_not_enough(taxonomy: Taxonomy) -> None:
    case_study = make(
        taxonomy,
        "Welcome picnic in the park",
        "An annual picnic where newcomer families meet neighbours.",
        ["arts-culture-recreation"],
    )
    body = "One mother mentioned the hospital nearby."
    assert "health" not in {t.term for t in Tagger(taxonomy).tag(case_study, body)}


def test_accents_and_french_synonyms_count(taxonomy: Taxonomy) -> None:
    case_study = make(
        taxonomy,
        "Accueil à l'hôpital régional",
        "Des interprètes accompagnent les patients nouvellement arrivés.",
        ["employment"],
    )
    assert "health" in {t.term for t in Tagger(taxonomy).tag(case_study, "")}


if __name__ == "__main__":
    results = measure(Pipeline(Taxonomy.load()))
    for name, (p, r, n) in results.items():
        print(f"{name}: precision {p:.2f}, recall {r:.2f} ({n} inferred tags)")
