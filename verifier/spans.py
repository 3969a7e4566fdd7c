"""What the grader's verifier reads of each corpus answer: the spans `align` proposes.

`verifier/train.py --premise spans` trains on these instead of whole answers, so the adapter is
taught on exactly what the product shows it (`verify_premise="spans"`): for each (answer, key
point), the `candidates_per_point` spans of the answer most like the key point. An answer the
screen stops (too short, "I don't know") never reaches the verifier; it is read whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authored import Item  # puts the repository on the path, for the package below
from data import AUTHORED_LABELS

from assistant.grading.labelled import target_of
from assistant.grading.parameters import DEFAULT_PARAMETERS

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader


@dataclass(frozen=True)
class Bag:
    """One training or validation example: a hypothesis, the premises it is judged against
    (one for a public NLI pair or a whole answer; the candidate spans for `--premise spans`),
    and one label for the bag, as the product reads it (see `verifier/train.py`'s loss)."""

    premises: tuple[str, ...]
    hypothesis: str
    label: int
    source: str
    lang: str


def span_bags(
    items: Sequence[Item],
    split_name: str,
    grader: Grader | None = None,
    chunk: int = 64,
) -> list[Bag]:
    """The (candidate spans, key point) bags of `items` on one side of the split, in the order
    of `data.authored_pairs` (item, answer, the answer's labels), read by the product's own
    `screen`, `segment` and `align` stages (`grader`'s; by default a grader on the installed
    embedding model with the shipped parameters)."""
    if grader is None:
        from assistant.grading.backend import load_backend
        from assistant.grading.cache import EmbeddingCache
        from assistant.grading.pipeline import Grader

        grader = Grader(load_backend(), EmbeddingCache(None), "corpus", DEFAULT_PARAMETERS)
    chosen = [item for item in items if item.split == split_name]
    work = [(item, answer) for item in chosen for answer in item.answers]
    bags: list[Bag] = []
    for start in range(0, len(work), chunk):
        part = work[start : start + chunk]
        screenings, _, alignments = grader.align_many(
            [(target_of(item), answer.text) for item, answer in part]
        )
        for n, (item, answer) in enumerate(part):
            order = [k.id for k in item.key_points]
            texts = {k.id: k.text for k in item.key_points}
            alignment = alignments.get(n)
            for point, label in answer.labels.items():
                if alignment is None:
                    premises: tuple[str, ...] = (answer.text,)
                else:
                    candidates = alignment.candidates[order.index(point)]
                    graded = screenings[n].graded
                    premises = tuple(c.span.of(graded) for c in candidates) or (answer.text,)
                bags.append(
                    Bag(
                        premises,
                        texts[point],
                        AUTHORED_LABELS[label],
                        f"authored-{item.part}",
                        item.lang,
                    )
                )
    return bags
