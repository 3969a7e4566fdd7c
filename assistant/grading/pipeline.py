"""The grader: one answer through `screen` -> `segment` -> `align` -> `verify` -> `score` ->
`explain`, each stage run once, in order, each a module with one typed input and output.

`Grader` holds the loaded models (a bi-encoder for `align`, an optional cross-encoder for
`verify`) and runs the stages over one answer or a batch (one model call per stage for the whole
batch). `load_grader` loads both; it is slow and meant for a worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.grading.align import Aligner, Alignment
from assistant.grading.backend import EmbeddingBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.explain import explain
from assistant.grading.grade import Grade
from assistant.grading.language import detect_language
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters
from assistant.grading.score import score
from assistant.grading.screen import Screening, bounded_prefix, screen
from assistant.grading.segment import Segmentation
from assistant.grading.target import GradingTarget
from assistant.grading.verify import Verification, Verifier, verify_many
from assistant.knowledge.models import Lang, Question

if TYPE_CHECKING:
    from assistant.settings import Settings


class Grader:
    """Grades answers with loaded models; safe to call from a worker thread."""

    def __init__(
        self,
        backend: EmbeddingBackend,
        cache: EmbeddingCache | None = None,
        bank_version: str = "",
        params: ScoringParameters = DEFAULT_PARAMETERS,
        verifier: Verifier | None = None,
        verifier_problem: str | None = None,
    ) -> None:
        self.backend = backend
        self.aligner = Aligner(backend, cache, params)
        self.bank_version = bank_version
        self.params = params
        self.verifier = verifier
        self.verifier_problem = verifier_problem
        """Why the verifier asked for could not be loaded (each grade then says so)."""

    @property
    def model_id(self) -> str:
        """The embedding model every grade of this grader names."""
        return self.backend.model_id

    @property
    def verifier_id(self) -> str:
        """The verifier every grade names ("" without one)."""
        return self.verifier.model_id if self.verifier is not None else ""

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        """Grade `answer` against `target`."""
        return self.grade_many([(target, answer)])[0]

    def grade_question(self, question: Question, answer: str, lang: Lang) -> Grade:
        """Grade against the bank question in the answer's language when it can be told.

        `lang` is the language the question was asked in; it is used when the answer's own
        language cannot be detected (a keyword list, a few words).
        """
        # Read the graded prefix only: the language of a huge paste is told from its start.
        graded, _, _ = bounded_prefix(
            answer, self.params.max_graded_words, self.params.max_graded_chars
        )
        detected = detect_language(graded)
        return self.grade(GradingTarget.from_question(question, detected or lang), answer)

    def warm_up(self, targets: Iterable[GradingTarget]) -> int:
        """Embed every bank text of `targets` not cached yet, in one batch; returns how many."""
        return self.aligner.warm_up(targets)

    def align_many(
        self, items: Sequence[tuple[GradingTarget, str]]
    ) -> tuple[list[Screening], list[Segmentation], dict[int, Alignment]]:
        """The first three stages over a batch: each answer's screening and segmentation, and
        the alignment of each one the screen did not stop (by its index in `items`)."""
        p = self.params
        screenings = [screen(target, answer, p) for target, answer in items]
        segmentations = [self.aligner.segment(s) for s in screenings]
        live = [i for i, s in enumerate(screenings) if not s.stops]
        aligned = self.aligner.align_many([(screenings[i], segmentations[i]) for i in live])
        return screenings, segmentations, dict(zip(live, aligned, strict=True))

    def grade_many(self, items: Sequence[tuple[GradingTarget, str]]) -> list[Grade]:
        """Grade many answers, each stage once over the whole batch."""
        p = self.params
        screenings, segmentations, alignments = self.align_many(items)
        live = list(alignments)
        verified = verify_many(
            self.verifier,
            [
                (screenings[i].graded, [t for _, t in screenings[i].target.points()], alignments[i])
                for i in live
            ],
            premise=p.verify_premise,
            max_words=p.premise_max_words,
        )
        verifications = dict(zip(live, verified, strict=True))
        grades = []
        for i, (screening, segmentation) in enumerate(zip(screenings, segmentations, strict=True)):
            points = len(screening.target.points())
            alignment = alignments.get(i, Alignment(tuple(() for _ in range(points)), 0.0, 0.0))
            verification = verifications.get(i, Verification(()))
            scoring = score(screening, alignment, verification, p)
            grades.append(
                explain(
                    screening,
                    segmentation,
                    scoring,
                    model_id=self.model_id,
                    verifier_id=self.verifier_id,
                    bank_version=self.bank_version,
                    verifier_problem=self.verifier_problem,
                    params=p,
                )
            )
        return grades


def load_grader(settings: Settings, bank_version: str) -> Grader:
    """Load the models named in `settings` and build a grader with the disk cache (slow).

    A verifier that cannot be loaded does not stop grading: answers are graded by similarity
    alone and every grade carries a note saying why.
    """
    from assistant.grading.backend import load_backend
    from assistant.grading.verify import VerifierLoadError, load_verifier

    backend = load_backend(settings.model)
    try:
        verifier = load_verifier(settings.verifier)
        problem = None
    except VerifierLoadError as exc:
        verifier, problem = None, str(exc)
    return Grader(
        backend,
        EmbeddingCache(settings.cache_dir),
        bank_version,
        verifier=verifier,
        verifier_problem=problem,
    )
