"""The interview: the interviewer asks, the candidate answers, the coach grades and follows up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from assistant.grading.feedback import colon
from assistant.grading.grade import Grade
from assistant.interview.flow import (
    Interview,
    Mode,
    Step,
    follow_up_target,
    with_hint_penalty,
)
from assistant.interview.lines import format_duration, line
from assistant.screens.bindings import relabel_bindings
from assistant.screens.dialogs import ConfirmDialog
from assistant.widgets.answer_editor import AnswerEditor
from assistant.widgets.transcript import Transcript, TranscriptEntry

if TYPE_CHECKING:
    from assistant.app import InterviewApp


@dataclass(frozen=True)
class PendingAnswer:
    """A saved answer waiting for its grade."""

    turn_id: int
    step: Step
    answer: str
    hints_used: int
    show_feedback: bool
    """Practice mode: show the feedback card, and maybe a follow-up, once graded."""
    leads_on: bool
    """True when the interview waits for this grade before asking the next question."""


class InterviewScreen(Screen[int]):
    """One interview session; dismisses with the session id when it ends."""

    BINDINGS = [
        Binding("ctrl+t", "hint", "Hint", id="interview.hint", priority=True),
        Binding("ctrl+n", "skip", "Skip", id="interview.skip", priority=True),
        Binding("ctrl+o", "repeat", "Repeat", id="interview.repeat", priority=True),
        Binding("ctrl+r", "reference", "Reference", id="interview.reference", priority=True),
        Binding("escape", "end", "End", id="interview.end", priority=True),
        Binding(
            "pageup,ctrl+up",
            "scroll_transcript(-1)",
            "Scroll up",
            show=False,
            id="interview.scroll-up",
            priority=True,
        ),
        Binding(
            "pagedown,ctrl+down",
            "scroll_transcript(1)",
            "Scroll down",
            show=False,
            id="interview.scroll-down",
            priority=True,
        ),
    ]

    @dataclass
    class GradeReady(Message):
        """A saved answer has been graded (in a worker)."""

        pending: PendingAnswer
        grade: Grade

    def __init__(
        self, interview: Interview, session_id: int | None, *, resumed: bool = False
    ) -> None:
        super().__init__()
        self.interview = interview
        self.session_id = session_id
        self.resumed = resumed
        self.lang = interview.settings.lang
        self._order = 0
        self._waiting: list[PendingAnswer] = []
        """Answers saved before the model was ready."""
        self._in_flight = 0
        self._awaiting_grade = False
        self._ending = False
        self._summary_requested = False
        self._last_graded: PendingAnswer | None = None
        self._grading_note: TranscriptEntry | None = None
        self._started = 0.0
        self._question_started = 0.0
        self._shown_at: datetime | None = None
        # Before compose, so the footer is built once with these labels.
        relabel_bindings(
            self,
            {
                "hint": "hint_action",
                "skip": "skip_action",
                "repeat": "repeat_action",
                "reference": "reference_action",
                "end": "end_action",
            },
            self.lang,
        )

    @property
    def coach(self) -> InterviewApp:
        """The app, typed."""
        from assistant.app import InterviewApp

        assert isinstance(self.app, InterviewApp)
        return self.app

    @property
    def transcript(self) -> Transcript:
        """The conversation."""
        return self.query_one(Transcript)

    @property
    def editor(self) -> AnswerEditor:
        """Where the candidate types."""
        return self.query_one(AnswerEditor)

    def compose(self) -> ComposeResult:
        # The progress line is composed filled in, so "Question 1 of N" is in the very first frame.
        self._started = self._question_started = self.coach.clock()
        yield Static(self._progress_line(), id="progress", markup=False)
        yield Transcript()
        editor = AnswerEditor(id="answer", placeholder=line("answer_placeholder", self.lang))
        relabel_bindings(editor, {"submit": "submit"}, self.lang)
        yield editor
        yield Static(id="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.resumed and self.session_id is not None:
            detail = self.coach.store.get_session(self.session_id)
            self._order = len(detail.turns) if detail is not None else 0
        settings = self.interview.settings
        if self.resumed:
            self.transcript.interviewer(line("resumed", self.lang))
        else:
            self.transcript.interviewer(line("greeting", self.lang, count=self.interview.total))
            if settings.mode is Mode.MOCK:
                self.transcript.interviewer(line("greeting_mock", self.lang))
        self.refresh_model_status()
        self._ask()
        self.set_interval(1.0, self._tick)
        self.call_after_refresh(self.coach.start_background_work)
        self.editor.focus()

    # --- asking -------------------------------------------------------------------------

    def _ask(self) -> None:
        """Put the current step on screen, or end when the plan is done."""
        if self.interview.finished:
            self._finish()
            return
        step = self.interview.step
        if step.is_follow_up:
            self.transcript.interviewer(line("follow_up_intro", self.lang))
        self.transcript.interviewer(step.text(self.lang))
        self._shown_at = self.coach.now()
        self._question_started = self.coach.clock()
        self._tick()

    def _tick(self) -> None:
        """Refresh the progress line and the timers."""
        if self.interview.finished:
            return
        self.query_one("#progress", Static).update(self._progress_line())

    def _progress_line(self) -> str:
        """Question n of N, the category, the time elapsed; in mock mode the time on this one."""
        if self.interview.finished:
            return ""
        step = self.interview.step
        clock = self.coach.clock()
        parts = [
            line("question_of", self.lang, n=step.number, total=self.interview.total),
            self.coach.bank.category_title(step.question.category, self.lang),
        ]
        if step.is_follow_up:
            parts.append(line("follow_up", self.lang))
        parts.append(line("elapsed", self.lang, time=format_duration(clock - self._started)))
        if self.interview.settings.mode is Mode.MOCK:
            parts.append(
                line("on_question", self.lang, time=format_duration(clock - self._question_started))
            )
        return " · ".join(parts)

    def attach_session(self, session_id: int) -> None:
        """The session log is open and this interview has its session."""
        self.session_id = session_id

    def _log_ready(self) -> bool:
        """Whether answers can be saved; if not (the first instant), say so and keep the text."""
        if self.session_id is None:
            self.notify(line("log_opening", self.lang))
            return False
        return True

    def refresh_model_status(self) -> None:
        """Say whether the grader is loading, ready or unavailable; grade what waited."""
        status = self.query_one("#status", Static)
        if self.coach.grader is not None:
            status.update(line("model_ready", self.lang, model=self.coach.grader.model_id))
            waiting, self._waiting = self._waiting, []
            for pending in waiting:
                self._grade(pending)
        elif self.coach.grader_error is not None:
            status.update(line("model_failed", self.lang))
            self._waiting = []
            if self._awaiting_grade:
                self._awaiting_grade = False
                self.editor.read_only = False
                self._move_on()
            self._maybe_show_summary()
        else:
            status.update(line("model_loading", self.lang))

    # --- answering ----------------------------------------------------------------------

    @on(AnswerEditor.Submitted)
    def submit_answer(self, event: AnswerEditor.Submitted) -> None:
        """Save the answer at once, then grade it."""
        if self._awaiting_grade or self.interview.finished or not self._log_ready():
            return
        text = event.text
        if not text.strip():
            self.transcript.system(line("empty_answer", self.lang))
            return
        self.editor.clear()
        self.transcript.candidate(text)
        self._record(text, skipped=False)

    def _record(self, text: str, *, skipped: bool) -> None:
        assert self.session_id is not None
        step = self.interview.step
        self._order += 1
        turn_id = self.coach.store.record_turn(
            self.session_id,
            order=self._order,
            question_id=step.question.id,
            question_text=step.text(self.lang),
            reference_answer=step.reference(self.lang),
            category=step.question.category,
            answer=text,
            grade=None,
            hints_used=self.interview.hints_used,
            skipped=skipped,
            follow_up_of=step.parent_turn_id,
            shown_at=self._shown_at or self.coach.now(),
            submitted_at=self.coach.now(),
        )
        if skipped:
            said = "skipped_back" if self.interview.skip() else "skipped"
            self.transcript.interviewer(line(said, self.lang))
            self._ask()
            return
        practice = self.interview.settings.mode is Mode.PRACTICE
        model_coming = self.coach.grader is not None or self.coach.grader_error is None
        pending = PendingAnswer(
            turn_id=turn_id,
            step=step,
            answer=text,
            hints_used=self.interview.hints_used,
            show_feedback=practice,
            leads_on=practice and model_coming,
        )
        if pending.leads_on:
            # Practice: feedback (and maybe a follow-up) comes before the next question, so
            # an answer sent while the model loads waits for it.
            self._awaiting_grade = True
            self.editor.read_only = True
            if self.coach.grader is None:
                self._waiting.append(pending)
                note = line("answer_saved_waiting", self.lang)
            else:
                self._grade(pending)
                note = line("grading", self.lang)
            self._grading_note = self.transcript.system(note)
            return
        if self.coach.grader is None:
            if model_coming:
                self._waiting.append(pending)
            self.transcript.system(line("answer_saved_waiting", self.lang))
        else:
            self._grade(pending)
        self._move_on()

    def _move_on(self) -> None:
        """Next main question (follow-ups are asked from the grade handler)."""
        self.interview.advance()
        self._ask()

    def _grade(self, pending: PendingAnswer) -> None:
        """Start grading one saved answer; counted until its result or error arrives."""
        self._in_flight += 1
        self._grade_in_thread(pending)

    @work(thread=True, group="grading", exit_on_error=False)
    def _grade_in_thread(self, pending: PendingAnswer) -> None:
        """Grade off the UI thread; the result comes back as a message."""
        grader = self.coach.grader
        assert grader is not None
        step = pending.step
        if step.follow_up is None:
            grade = grader.grade_question(step.question, pending.answer, self.lang)
        else:
            grade = grader.grade(follow_up_target(step, self.lang), pending.answer)
        grade = with_hint_penalty(grade, pending.hints_used)
        self.post_message(self.GradeReady(pending, grade))

    def _maybe_show_summary(self) -> None:
        done = self._ending and self._in_flight == 0 and not self._waiting
        if done and not self._summary_requested:
            self._summary_requested = True
            self._show_summary()

    @on(GradeReady)
    def show_grade(self, event: GradeReady) -> None:
        """Store the grade, show feedback in practice mode, then follow up or move on."""
        self._in_flight -= 1
        pending = event.pending
        self.coach.store.set_turn_grade(pending.turn_id, event.grade)
        self._last_graded = pending
        if self._grading_note is not None:
            self._grading_note.remove()
            self._grading_note = None
        if pending.show_feedback:
            self.transcript.feedback(event.grade, self.lang)
            self.transcript.system(line("show_reference", self.lang))
        if pending.leads_on and not self._ending:
            self._awaiting_grade = False
            self.editor.read_only = False
            follow_up = self.interview.follow_up_after(event.grade)
            if follow_up is not None:
                self.interview.ask_follow_up(follow_up, pending.turn_id)
                self._ask()
            else:
                if not self.interview.step.is_follow_up:
                    self.transcript.interviewer(line("next_question", self.lang))
                self._move_on()
        self._maybe_show_summary()

    @on(Worker.StateChanged)
    def grading_failed(self, event: Worker.StateChanged) -> None:
        """A grading error is reported; the answer stays saved, ungraded."""
        if event.worker.group != "grading" or event.state is not WorkerState.ERROR:
            return
        self._in_flight -= 1
        self.coach.report_error("Grading failed", str(event.worker.error))
        if self._awaiting_grade:
            self._awaiting_grade = False
            self.editor.read_only = False
            self._move_on()
        else:
            self._maybe_show_summary()

    # --- actions ------------------------------------------------------------------------

    def action_hint(self) -> None:
        """Give the next progressive hint (practice mode only)."""
        if self.interview.finished:
            return
        if self.interview.settings.mode is Mode.MOCK:
            self.transcript.system(line("hints_in_mock", self.lang))
            return
        hint = self.interview.next_hint()
        if hint is None:
            self.transcript.system(line("no_hint", self.lang))
        else:
            number = self.interview.hints_used
            self.transcript.interviewer(line("hint", self.lang, n=number, text=hint))

    def action_skip(self) -> None:
        """Skip the current question (recorded as skipped)."""
        if self._awaiting_grade or self.interview.finished or not self._log_ready():
            return
        self._record("", skipped=True)

    def action_repeat(self) -> None:
        """Ask the current question again."""
        if self.interview.finished:
            return
        self.transcript.interviewer(line("repeat", self.lang))
        self.transcript.interviewer(self.interview.step.text(self.lang))

    def action_reference(self) -> None:
        """Show the reference answer of the last graded answer (practice mode)."""
        pending = self._last_graded
        if pending is None or self.interview.settings.mode is Mode.MOCK:
            return
        self.transcript.system(line("reference", self.lang) + colon(self.lang))
        self.transcript.interviewer(pending.step.reference(self.lang))
        pitfalls = pending.step.pitfalls()
        if pitfalls:
            self.transcript.pitfalls(pitfalls, self.lang)

    def action_scroll_transcript(self, direction: int) -> None:
        """Page the transcript up or down while the editor keeps the focus."""
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    def action_end(self) -> None:
        """End the interview after a confirmation."""
        if not self._log_ready():
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self._finish()

        self.app.push_screen(
            ConfirmDialog(
                line("confirm_end", self.lang), line("yes", self.lang), line("no", self.lang)
            ),
            decided,
        )

    def _finish(self) -> None:
        """Close the session; the summary waits for grades still being computed."""
        if self._ending:
            return
        if not self._log_ready():
            return
        assert self.session_id is not None
        self._ending = True
        self.editor.read_only = True
        self.coach.store.finish_session(self.session_id, "completed")
        self.transcript.interviewer(line("closing", self.lang))
        self._maybe_show_summary()

    def _show_summary(self) -> None:
        assert self.session_id is not None
        self.dismiss(self.session_id)
