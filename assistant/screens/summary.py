"""The end of an interview: overall score, per category, best and weakest, what to practise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from assistant.grading.feedback import COVERAGE_MARKS, colon, coverage_label, verdict_label
from assistant.interview.flow import InterviewSettings, Mode
from assistant.interview.lines import line
from assistant.interview.summary import InterviewSummary, NextQuestion, summarize
from assistant.knowledge.models import Lang
from assistant.knowledge.scheduler import Need
from assistant.reports.outline import dispute_view
from assistant.screens.bindings import relabel_bindings
from assistant.screens.disagree import AnswerPicker, disagree_with, disputable
from assistant.store.errors import StoreError
from assistant.store.records import SessionDetail, TurnRecord, final_turns

if TYPE_CHECKING:
    from assistant.app import InterviewApp


def _turn_row(turn: TurnRecord, number: int, lang: Lang) -> Text:
    """One line per answer: number, score and verdict (or skipped / not graded), the question."""
    if turn.skipped:
        score = line("skipped_label", lang)
    elif turn.grade is None or turn.verdict is None:
        score = line("ungraded", lang)
    else:
        score = f"{turn.score:>3} {verdict_label(turn.verdict, lang)}"
    prefix = "   ↳ " if turn.follow_up_of is not None else f"{number:>2}. "
    row = Text()
    row.append(prefix)
    row.append(f"{score}  ", style="bold")
    if turn.own_grade is not None and turn.grade is not None:
        # Both, where they differ: the candidate's counts, the grader's is kept.
        row.append(
            f"({line('your_grade', lang)}; {line('grader', lang)} {turn.grade.score})  ",
            style="italic",
        )
    row.append(turn.question_text)
    row.truncate(200, overflow="ellipsis")
    return row


def _turn_details(turn: TurnRecord, lang: Lang) -> RenderableType:
    """Under an answer's line: each key point covered, missed or contradicted, and the
    reference (the mock summary: nothing was shown during the interview)."""
    parts: list[RenderableType] = []
    view = dispute_view(turn)
    # The grader's mark beside each one the candidate changed, while their grade counts.
    changes = view.changes if view is not None and view.counts else {}
    counted = turn.counted_grade
    for result in counted.key_points if counted is not None else []:
        mark, style = COVERAGE_MARKS[result.status]
        label = coverage_label(result.status, lang)
        row = Text()
        row.append(f"{mark} {label}{colon(lang)} ", style=style)
        row.append(result.text)
        if result.id in changes:
            theirs = coverage_label(changes[result.id].grader, lang)
            row.append(f"  ({line('grader', lang)}{colon(lang)} {theirs})", style="dim")
        parts.append(row)
    parts.append(Text(line("reference", lang) + colon(lang), style="bold"))
    parts.append(Text(turn.reference_answer, style="dim"))
    return Padding(Group(*parts), (0, 0, 1, 5))


def _why_next(proposal: NextQuestion, lang: Lang) -> str:
    """Why a question is proposed next: never asked, weak last score, or due (when)."""
    if proposal.need is Need.NEW or proposal.due is None:
        return line("never_asked", lang)
    if proposal.need is Need.WEAK and proposal.last_score is not None:
        return line("weak_last", lang, score=proposal.last_score)
    return line("due", lang, when=proposal.due.astimezone().strftime("%Y-%m-%d"))


@dataclass(frozen=True)
class SummaryChoice:
    """Where the candidate goes from the summary."""

    action: Literal["new", "review", "quit"]
    session_id: int | None = None


class SummaryScreen(Screen[SummaryChoice]):
    """The summary of one finished interview."""

    BINDINGS = [
        Binding("ctrl+v", "review", "Review", id="summary.review"),
        Binding("ctrl+e", "export", "Export", id="summary.export"),
        Binding("ctrl+n", "new", "New interview", id="summary.new"),
        Binding("ctrl+g", "disagree", "Disagree", id="summary.disagree"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    @property
    def coach(self) -> InterviewApp:
        """The app, typed."""
        from assistant.app import InterviewApp

        assert isinstance(self.app, InterviewApp)
        return self.app

    def compose(self) -> ComposeResult:
        detail = self.coach.store.get_session(self.session_id)
        lang: Lang = "fr" if detail and detail.session.lang == "fr" else "en"
        self.lang = lang
        relabel_bindings(
            self,
            {
                "review": "review",
                "export": "export_short",
                "new": "new_interview",
                "disagree": "disagree",
            },
            lang,
            tooltips={"disagree": "disagree_help_summary"},
        )
        with VerticalScroll(id="summary"):
            yield Static(line("summary_title", lang), id="title", markup=False)
            if detail is not None:
                summary = summarize(
                    detail,
                    self.coach.store.learning_states(),
                    candidates=self.coach.candidate_questions(
                        InterviewSettings.from_dict(detail.session.settings)
                    ),
                    now=self.coach.now(),
                    categories=self.coach.bank.categories,
                )
                yield Static(self._body(detail, summary, lang), id="summary-body")
        with Horizontal(id="summary-buttons"):
            yield Button(line("review", lang), id="review", variant="primary")
            yield Button(line("export", lang), id="export")
            yield Button(line("new_interview", lang), id="new")
            yield Button(line("quit", lang), id="quit")
        yield Footer()

    def _body(self, detail: SessionDetail, s: InterviewSummary, lang: Lang) -> RenderableType:
        bank = self.coach.bank
        mock = detail.session.mode == Mode.MOCK.value
        parts: list[RenderableType] = []
        if s.overall is None:
            parts.append(Text(line("nothing_graded", lang), style="italic"))
        else:
            overall = f"{line('overall', lang)}{colon(lang)} {s.overall:.0f}/100"
            parts.append(Text(overall, style="bold"))
        counts = s.counts
        parts.append(
            Text(
                line(
                    "summary_counts",
                    lang,
                    questions=counts.questions,
                    follow_ups=counts.follow_ups,
                    skipped=counts.skipped,
                    graded=counts.graded,
                    answers=counts.answers,
                ),
                style="dim",
            )
        )
        if s.per_category:
            table = Table(box=None, padding=(0, 2, 0, 0), show_header=False)
            table.add_column()
            table.add_column(justify="right")
            for cat, avg in s.per_category.items():
                table.add_row(bank.category_title(cat, lang), f"{avg:.0f}")
            parts += [Text(""), Text(line("per_category", lang), style="bold"), table]
        parts += [Text(""), Text(line("your_answers", lang), style="bold")]
        # Numbered by question, as counted: one skipped and asked again keeps its number, and
        # is listed once, with its final state (its answer, not the skip before it).
        numbers: dict[str, int] = {}
        final = {t.id for t in final_turns(detail.turns)}
        for turn in detail.turns:
            if turn.follow_up_of is None:
                numbers.setdefault(turn.question_id, len(numbers) + 1)
                if turn.id not in final:
                    continue
            parts.append(_turn_row(turn, numbers.get(turn.question_id, 0), lang))
            if mock and not turn.skipped:
                parts.append(_turn_details(turn, lang))
        for key, best_or_worst in (("strongest", s.strongest), ("weakest", s.weakest)):
            if best_or_worst is not None:
                row = Text()
                row.append(f"{line(key, lang)}{colon(lang)} {best_or_worst.score}  ", style="bold")
                row.append(best_or_worst.question_text)
                parts += [Text(""), row]
        if s.practise_next:
            parts += [Text(""), Text(line("practise_next", lang), style="bold")]
            for proposal in s.practise_next:
                question = bank.get(proposal.question_id)
                title = question.question.get(lang) if question else proposal.question_id
                row = Text("• ")
                row.append(title)
                row.append(f"  ({_why_next(proposal, lang)})", style="dim")
                parts.append(row)
        return Group(*parts)

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        """Open this session on the review screen."""
        self.dismiss(SummaryChoice("review", self.session_id))

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        """Back to the start screen."""
        self.dismiss(SummaryChoice("new"))

    @on(Button.Pressed, "#quit")
    def quit_app(self) -> None:
        """Leave the app."""
        self.dismiss(SummaryChoice("quit"))

    def action_disagree(self) -> None:
        """Mark the key points of one of this session's graded answers yourself."""
        try:
            detail = self.coach.store.get_session(self.session_id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        every = detail.turns if detail is not None else []
        final = {t.id for t in final_turns(every)}
        # The answers the summary lists: each question's final state, and its follow-ups.
        turns = [
            t for t in every if disputable(t) and (t.follow_up_of is not None or t.id in final)
        ]
        if not turns:
            self.notify(line("disagree_nothing", self.lang), markup=False)
            return

        def said(text: str) -> None:
            self.notify(text, markup=False, timeout=8)
            self.refresh(recompose=True)

        def picked(turn_id: int | None) -> None:
            turn = next((t for t in turns if t.id == turn_id), None)
            if turn is not None:
                disagree_with(self, self.coach.store, turn, self.lang, said)

        if len(turns) == 1:
            picked(turns[0].id)
        else:
            self.app.push_screen(AnswerPicker(turns, self.lang), picked)

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Write a Markdown report of this session next to the database."""
        self.coach.export_report(self.session_id, self.lang)
