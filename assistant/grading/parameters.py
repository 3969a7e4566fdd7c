"""Every number a grade depends on, in one object; global, never fitted per question."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ScoringParameters:
    """The grading pipeline's parameters, read by the stages (each names the fields it uses).

    The similarity fields were chosen by small grid searches on the labelled MLOps answers of
    `bench/data/labelled_answers.jsonl` (ordering between quality levels, adversarial answers
    below vague ones) and on assignments 1-6 of the Mohler data. The verifier fields were chosen
    on the same labelled set and on Beetle's `train` split; the held-out sets (`heldout_answers`,
    `fresh_answers`, `blind_answers`, Beetle's unseen questions) were never used to choose any.
    `bench/fit_scoring.py` fits the score fields on the authored corpus instead, for a verifier
    trained on it (README, "What was tried").
    """

    max_graded_words: int = 3000
    """`screen`: longer answers are kept whole but graded on their first this-many words: about
    20 minutes of speech, far past any interview answer, and it keeps a grade under a second."""
    max_graded_chars: int = 30_000
    """`screen`: the graded prefix is also cut at this many characters (3,000 words of ten
    characters), so a 1 MB unbroken token, one "word", cannot make grading slow."""
    long_token_chars: int = 40
    """`screen`: a whitespace-free run longer than this (no URL) is not a word of any language:
    base64, a hash, a minified blob."""
    non_language_share: float = 0.5
    """`screen`: an answer whose characters are mostly in such runs, or mostly not letters, is
    not language and is not graded."""
    match_clauses: bool = True
    """`align`: match key points with the clauses of long sentences too, not only sentences."""
    candidates_per_point: int = 2
    """`align`: answer spans handed to the verifier for each key point (best similarity first).
    2 rather than 3: as good or better on every tuning set (labelled pairwise 0.894 vs 0.888,
    wrong below vague 9 vs 7 of 17; Mohler assignments 1-6 r 0.489 vs 0.486; Beetle train AUC
    0.896 vs 0.893) with a third fewer pairs through the cross-encoder; 1 loses (0.853, 6)."""
    verify_premise: str = "spans"
    """`verify`: what the verifier reads against each key point: "spans" (the candidates `align`
    proposed, what the shipped verifier was trained on: short statements), "answer" (the whole
    graded answer; in windows past `premise_max_words`) or "windows" (a few sentences at a
    time, each with its list head), for a verifier trained on whole answers (`make verifier`
    builds one from the authored corpus; README, "What was tried")."""
    premise_max_words: int = 200
    """`verify`: the longest answer read whole (about 290 word pieces, with room for the key
    point in the verifier's 320)."""
    question_demotion: float = 0.6
    """`align`: share of each vector's component along the question that is removed before
    comparing, so words that merely echo the question stop counting as knowledge."""
    coverage_low: float = 0.10
    """`score`: key-point similarity (after demotion) of unrelated text: coverage 0 at or below."""
    coverage_high: float = 0.55
    """`score`: similarity of a close paraphrase: coverage 1 at or above."""
    covered_at: float = 0.42
    """`score`, without a verifier: similarity from which a key point counts as covered."""
    partial_at: float = 0.32
    """`score`: similarity from which a key point is partly covered without a verifier; with one,
    the least similarity for a span to count as evidence at all (on the key point's topic)."""
    entailed_at: float = 0.5
    """`score`: verifier probability of entailment from which a key point is covered."""
    partly_entailed_at: float = 0.25
    """`score`: entailment probability (or similarity at `covered_at`) for "partly covered"."""
    contradicted_at: float = 0.5
    """`score`: contradiction probability from which a key point is contradicted (and it must
    also exceed the entailment probability of every candidate span)."""
    contradiction_min_similarity: float = 0.32
    """`score`: the least similarity for a span to contradict a key point: it must be about that
    point (an NLI model calls merely different statements on the same topic contradictions).
    On the labelled set 0.42 or 0.5 flag as many right answers as wrong ones too, and put fewer
    wrong answers below vague ones (5 and 4 of 17, against 9), so the gate stays at 0.32."""
    entailment_none: float = 0.0
    """`score`: entailment probability that earns no credit (a ramp up to `entailment_full`)."""
    entailment_full: float = 0.5
    """`score`: entailment probability that earns full credit: the verifier is rarely sure of
    a right paraphrase, so a complete answer would otherwise read as merely adequate."""
    contradiction_cost: float = 1.0
    """`score`: a key point's credit loses this times its contradiction probability (a missed
    one's is 0); 1.0 rather than 0.5 at weight 0.6 on the labelled set (wrong below vague 4 of
    17 against 1, same ordering)."""
    whole_low: float = 0.10
    """`score`: whole answer vs reference similarity (after demotion) that maps to 0."""
    whole_high: float = 0.70
    """`score`: whole answer vs reference similarity that maps to 1."""
    lexical_high: float = 0.6
    """`score`: share of the key points' content words used by the answer that maps to 1."""
    weight_key_points: float = 0.30
    """`score`: weight of the key points' credit (similarity coverage without a verifier)."""
    weight_whole: float = 0.30
    """`score`: weight of whole-answer similarity."""
    weight_lexical: float = 0.40
    """`score`: weight of content-word overlap with the key points."""
    verified_weight_key_points: float = 0.75
    """`score`, with a verifier: weight of the verified key-point credit (the other two weights
    keep their ratio and share the rest). Chosen with `entailment_full` and
    `contradiction_cost` by `bench/tune_verified.py` on the labelled set: 9 of 17 confidently
    wrong answers below the vague one (0.6 with a linear credit: 4), pairwise ordering 0.865,
    and complete answers still average 79 (0.9 with a linear credit: 65)."""
    status_weights: tuple[tuple[float, float, float], ...] = (
        (1.6924, -1.7209, 0.0285),
        (1.0039, -1.8125, 0.8086),
        (-0.9204, -0.7543, 1.6747),
        (0.5242, -0.9167, 0.3926),
        (0.8743, -1.3416, 0.4673),
        (0.5493, -0.9891, 0.4398),
        (-0.2274, -0.2232, 0.4506),
        (1.6561, -1.4082, -0.2479),
        (-1.5301, 3.1163, -1.5861),
    )
    """`score`, with a verifier reading spans: the fitted status step, a multinomial logistic
    regression from `score.STATUS_FEATURES` (one row each) to stated / not stated /
    contradicted, fitted by `bench/fit_status.py` on the authored corpus's training split.
    Empty: the thresholds above decide (`entailed_at`, `contradicted_at`) and the weights
    below mix the credit."""
    score_weights: tuple[float, ...] = ()
    """`score`, with the fitted step: (a, b, c) to score 0-100 as a times the mean probability
    that a key point is stated, plus b times the mean that it is contradicted, plus c (least
    squares on the examiners' scores, `bench/fit_status.py`). Empty: the marks are the fitted
    step's, the score is the thresholds' credit mixed as below. Fitted, (89.62, -25.23, 6.63),
    it follows the examiners better on the corpus's unseen questions (Pearson 0.682 -> 0.756)
    but the examiners score a confidently wrong answer about as low as a vague one, and so
    does it: on the bank sets 14 of 58 wrong answers fall below vague ones instead of 29, and
    Beetle's unseen questions drop 0.790 -> 0.744 (README, Measured)."""
    fitted_contradicted_at: float = 0.75
    """`score`, with the fitted step: the probability of "contradicted" from which ≠ is shown."""
    restated_question_similarity: float = 0.75
    """`score`: answer vs question similarity (raw) from which a restatement is confirmed..."""
    restated_novelty: float = 0.5
    """`screen`: ...when at most this share of its content words is new to the question..."""
    restated_useful: float = 0.0
    """`screen`: ...and at most this share is new and found in the reference or key points.
    Fitting both on the authored corpus's training split gave 0.6 / 0.2 (267 of its 302
    restatements found, against 194), but on Mohler's assignments 1-6 it flags short right
    answers that echo the question ("C++ programs begin to execute in the main method"): 136
    more answers flagged, mean human grade 4.0 of 5, r 0.611 -> 0.595 without the verifier. So
    the values chosen before stay."""
    restated_factor: float = 0.1
    """`score`: multiplier applied to a restated question."""
    keyword_function_ratio: float = 0.20
    """`screen`: at most this share of function words (and short items) marks a keyword list."""
    keyword_item_words: float = 2.5
    """`screen`: mean words per comma- or line-separated item in a keyword list. Fitted on the
    authored corpus's training split: at 2.5 it flags all 276 keyword lists that 5.0 flagged
    and 11 terse right answers instead of 87 ("Git + DVC, pinned Docker env, fixed seeds, log
    every run's params" is a terse answer: its items are qualified, a keyword list's are bare
    terms). With the shipped verifier: the corpus's validation Pearson 0.444 -> 0.497, Mohler
    r 0.450 -> 0.454; on the bank's labelled sets one keyword list of 78 is no longer flagged
    (adversarial below vague 0.885 -> 0.879), ordering unchanged."""
    statement_function_ratio: float = 0.35
    """`screen`: a reference with at least this share of function words is prose, not a list."""
    keyword_factor: float = 0.15
    """`score`: multiplier applied to a keyword list."""
    other_language_factor: float = 0.8
    """`score`: multiplier applied when the answer is not in the reference's language."""
    too_short_words: int = 4
    """`screen`: answers with fewer words than this are too short to judge."""
    dont_know_content_words: int = 3
    """`screen`: an "I don't know" with at most this many other content words is no answer."""
    strong_at: int = 70
    """`explain`: lowest score of the "strong" band."""
    adequate_at: int = 50
    """`explain`: lowest score of the "adequate" band."""
    partial_band_at: int = 25
    """`explain`: lowest score of the "partial" band; below is off-target."""


DEFAULT_PARAMETERS = ScoringParameters()
"""The parameters every grade uses unless a benchmark asks otherwise."""

THRESHOLDS_STEP = replace(DEFAULT_PARAMETERS, status_weights=())
"""The release's parameters with the key points' marks read by hand-set thresholds (entailed
from `entailed_at`, contradicted from `contradicted_at`) instead of the fitted status step: the
step the benches fit and compare against, and the one tests of the thresholds read."""
