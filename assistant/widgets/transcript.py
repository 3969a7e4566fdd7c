"""The chat transcript: interviewer lines, the candidate's answers, and feedback cards."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.grading.feedback import (
    COVERAGE_MARKS,
    colon,
    coverage_label,
    note_text,
    verdict_label,
)
from assistant.grading.grade import Coverage, Grade
from assistant.grading.parameters import DEFAULT_PARAMETERS
from assistant.interview.lines import line
from assistant.interview.visible import visible
from assistant.knowledge.models import Lang, Pitfall


class TranscriptEntry(Static):
    """One entry of the transcript; its text is always shown literally (never as markup)."""


def feedback_renderable(grade: Grade, lang: Lang) -> RenderableType:
    """Score, verdict, each key point with its evidence, and the notes."""
    parts: list[RenderableType] = [
        Text(
            line("score", lang, score=grade.score, verdict=verdict_label(grade.verdict, lang)),
            style="bold",
        )
    ]
    for result in grade.key_points:
        mark, style = COVERAGE_MARKS[result.status]
        label = coverage_label(result.status, lang)
        row = Text()
        row.append(f"{mark} ", style=style)
        row.append(f"{label[:1].upper()}{label[1:]}{colon(lang)} ", style=f"bold {style}")
        row.append(result.text)
        if result.evidence and result.status is not Coverage.MISSED:
            row.append(f"\n    {line('evidence', lang)}“", style="dim")
            row.append(visible(result.evidence), style="dim italic")
            row.append("”", style="dim")
        parts.append(row)
    for note in grade.notes:
        parts.append(Text(f"• {note_text(note, lang)}", style="italic"))
    return Group(*parts)


SHOWN_CHARS = DEFAULT_PARAMETERS.max_graded_chars
"""An answer is shown up to this many characters, as much as is graded (about 3,000 words: far
past any spoken answer); the rest of a huge paste is kept in the log: laying a megabyte out
froze the screen for seconds."""


def _rest_note(answer: str) -> Text:
    """What is not shown of a very long answer ("" when it is shown whole)."""
    if len(answer) <= SHOWN_CHARS:
        return Text("")
    more = len(answer) - SHOWN_CHARS
    return Text(f"\n… +{more:,} characters, kept in full in the log", style="dim italic")


def answer_text(answer: str) -> Text:
    """The candidate's answer as typed (acting characters made visible), up to SHOWN_CHARS."""
    return Text(visible(answer[:SHOWN_CHARS])) + _rest_note(answer)


def highlighted_answer(answer: str, grade: Grade | None) -> Text:
    """The answer as typed (acting characters made visible), each evidence span underlined in
    its key point's colour; where spans overlap, a contradiction wins, then coverage. Up to
    SHOWN_CHARS, like `answer_text`."""
    rest = _rest_note(answer)
    answer = answer[:SHOWN_CHARS]
    rank = {Coverage.PARTIAL: 1, Coverage.COVERED: 2, Coverage.CONTRADICTED: 3}
    style_at: dict[int, Coverage] = {}
    bounds = {0, len(answer)}
    for result in grade.key_points if grade is not None else ():
        if result.span is None or result.status not in rank:
            continue
        start, end = result.span
        end = min(end, len(answer))
        if not 0 <= start < end:
            continue
        bounds.update((start, end))
        for i in range(start, end):
            if rank[result.status] > rank.get(style_at.get(i, Coverage.MISSED), 0):
                style_at[i] = result.status
    text = Text()
    points = sorted(bounds)
    for start, end in itertools.pairwise(points):
        status = style_at.get(start)
        style = f"underline {COVERAGE_MARKS[status][1]}" if status is not None else ""
        text.append(visible(answer[start:end]), style=style)
    return text + rest


def pitfalls_renderable(pitfalls: Sequence[Pitfall], lang: Lang) -> Text:
    """The question's common mistakes, each with what is true instead."""
    text = Text(line("pitfalls_title", lang) + colon(lang), style="bold")
    for pitfall in pitfalls:
        text.append("\n✘ ", style="red")
        text.append(pitfall.claim.get(lang))
        text.append("\n  ✔ ", style="green")
        text.append(pitfall.correction.get(lang), style="italic")
    return text


class Transcript(VerticalScroll):
    """Scrollable conversation; newest entry kept in view."""

    DEFAULT_CSS = """
    Transcript { height: 1fr; padding: 0 1; }
    Transcript > TranscriptEntry { margin: 0 0 1 0; padding: 0 1; width: 100%; }
    Transcript > .interviewer { border-left: thick $primary; }
    Transcript > .candidate { border-left: thick $accent; background: $boost; }
    Transcript > .feedback { border-left: thick $success; }
    Transcript > .pitfalls { border-left: thick $warning; }
    Transcript > .system { color: $text-muted; text-style: italic; }
    """

    def _add(self, body: RenderableType, kind: str) -> TranscriptEntry:
        message = TranscriptEntry(body, classes=kind)
        self.mount(message)
        self.scroll_end(animate=False)
        return message

    def interviewer(self, text: str) -> TranscriptEntry:
        """An interviewer line (bank text: still shown literally, control characters too)."""
        return self._add(Text(visible(text)), "interviewer")

    def candidate(self, text: str) -> TranscriptEntry:
        """The candidate's answer as typed; a control character shows as a symbol, never acts."""
        return self._add(answer_text(text), "candidate")

    def highlight(self, entry: TranscriptEntry, answer: str, grade: Grade) -> None:
        """Underline, in the candidate's answer, the spans that decided each key point."""
        entry.update(highlighted_answer(answer, grade))

    def feedback(self, grade: Grade, lang: Lang) -> TranscriptEntry:
        """A feedback card for one graded answer."""
        return self._add(feedback_renderable(grade, lang), "feedback")

    def pitfalls(self, pitfalls: Sequence[Pitfall], lang: Lang) -> TranscriptEntry:
        """The common mistakes on the question just answered (shown with its reference)."""
        return self._add(pitfalls_renderable(pitfalls, lang), "pitfalls")

    def system(self, text: str) -> TranscriptEntry:
        """A status remark (saved, waiting for the model, ...)."""
        return self._add(Text(text), "system")
