"""The interview: the interviewer asks, the candidate answers, the coach grades and follows up."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from assistant.grading.feedback import colon
from assistant.grading.grade import Grade
from assistant.interview.detached import detached
from assistant.interview.flow import (
    HINT_PENALTY,
    Interview,
    Mode,
    Step,
    follow_up_target,
    with_hint_penalty,
)
from assistant.interview.lines import format_duration, line
from assistant.interview.recovery import HeldAnswer
from assistant.screens.bindings import relabel_bindings
from assistant.screens.dialogs import ConfirmDialog
from assistant.screens.disagree import disagree_with, disputable
from assistant.settings import shown_path
from assistant.store.errors import StoreError
from assistant.store.journal import (
    AnswerJournal,
    JournalError,
    PendingTurn,
    journal_path,
    record_pending,
    store_pending,
)
from assistant.store.lease import LEASE
from assistant.widgets.answer_editor import AnswerEditor
from assistant.widgets.transcript import Transcript, TranscriptEntry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assistant.app import InterviewApp
    from assistant.grading.pipeline import Grader
    from assistant.knowledge.models import Lang
    from assistant.store import SessionStore, TurnRecord


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


@dataclass(frozen=True)
class UnsavedAnswer:
    """An answer (or skip) the session log could not store yet; retried until it is."""

    turn: PendingTurn
    step: Step
    """The step it answers, to grade it once stored."""
    in_journal: bool
    """Kept in the journal file (safe if the app quits); if not, it is held in the editor."""


class InterviewScreen(Screen[int]):
    """One interview session; dismisses with the session id when it ends."""

    BINDINGS = [
        Binding("ctrl+t", "hint", "Hint", id="interview.hint", priority=True),
        Binding("ctrl+n", "skip", "Skip", id="interview.skip", priority=True),
        # Out of the footer, which must fit 80 columns in French; in the palette and the keys panel.
        Binding("ctrl+o", "repeat", "Repeat", id="interview.repeat", show=False, priority=True),
        Binding("ctrl+r", "reference", "Reference", id="interview.reference", priority=True),
        # Out of the footer (80 columns in French): offered under each feedback and in the palette.
        Binding(
            "ctrl+g", "disagree", "Disagree", id="interview.disagree", show=False, priority=True
        ),
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

    RETRY_EVERY: ClassVar[float] = 2.0
    """Seconds between two tries to store kept answers when the log fails at once (read-only,
    full disk); a locked log is waited on by SQLite's busy timeout instead."""

    AUTO_FOCUS = "#answer"

    @dataclass
    class GradeReady(Message):
        """A saved answer has been graded (in a worker)."""

        pending: PendingAnswer
        grade: Grade

    @dataclass
    class AnswerStored(Message):
        """An answer kept aside is now in the session log."""

        unsaved: UnsavedAnswer
        turn_id: int

    class LogCaughtUp(Message):
        """Every answer kept aside is now in the session log."""

    def __init__(
        self, interview: Interview, session_id: int | None, *, resumed: bool = False
    ) -> None:
        super().__init__()
        self.interview = interview
        self.session_id = session_id
        self.resumed = resumed
        self._answer_entries: dict[int, TranscriptEntry] = {}
        """Each answer on screen, by turn, until its grade underlines its evidence in it."""
        self.lang = interview.settings.lang
        self._order = 0
        self._waiting: list[PendingAnswer] = []
        """Answers saved before the model was ready."""
        self._in_flight = 0
        self._awaiting_grade = False
        self._ending = False
        self._summary_requested = False
        self._grading_note: TranscriptEntry | None = None
        self._saved_notes: dict[int, TranscriptEntry] = {}
        """"Will be graded" lines of answers graded in the background, taken away once graded."""
        self._last_graded: int | None = None
        """Practice: the turn whose feedback was shown last, which Disagree is about."""
        self._last_answered: Step | None = None
        """The step the candidate last answered (not skipped): what the reference is about."""
        self._unsaved: list[UnsavedAnswer] = []
        """Answers the log could not store yet, oldest first (stored in this order)."""
        self._store_problem = ""
        """The last failure of the log, as told to the user."""
        self._held_problem = ""
        self._lease_lost = False
        self._feedback_shown_last = False
        """Practice: the last thing on screen is an answer's feedback (not yet read)."""
        self._summary_waits = False
        """Practice: the interview ended on a feedback card; the summary waits for a key."""
        """Another window took this session over (this one stopped renewing its lease)."""
        """Why the answer held in the editor could not go into the journal either."""
        self._retrying: Worker[None] | None = None
        self._close_after_unsaved = False
        """The interview ended while answers waited: close it in the log once they are in."""
        self._sent_before_open: list[str] = []
        """Answers sent before the log was open, sent in order once it is."""
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
                "disagree": "disagree",
            },
            self.lang,
            tooltips={
                "disagree": "disagree_help",
                "hint": "hint_help",
                "skip": "skip_help",
                "repeat": "repeat_help",
                "reference": "reference_help",
                "end": "end_help",
            },
            cost=HINT_PENALTY,
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
        relabel_bindings(
            editor, {"submit": "submit"}, self.lang, tooltips={"submit": "submit_help"}
        )
        yield editor
        yield Static(id="unsaved", markup=False)
        yield Static(id="status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.resumed and self.session_id is not None:
            self._take_over(self.session_id)
        settings = self.interview.settings
        if self.resumed:
            self.transcript.interviewer(line("resumed", self.lang))
        else:
            self.transcript.interviewer(line("greeting", self.lang, count=self.interview.total))
            if settings.mode is Mode.MOCK:
                self.transcript.interviewer(line("greeting_mock", self.lang))
            else:
                # The price of a hint, said before the first one is taken.
                self.transcript.interviewer(line("greeting_practice", self.lang, cost=HINT_PENALTY))
        self.query_one("#unsaved", Static).display = False
        self.refresh_model_status()
        self._ask()
        self.set_interval(1.0, self._tick)
        # The lease on the session: renewed while open, so no other window resumes it.
        self.set_interval(LEASE.total_seconds() / 3, self._renew_lease)
        self.call_after_refresh(self.coach.start_background_work)
        self.editor.focus()

    @work(group="lease", exclusive=True, exit_on_error=False)
    async def _renew_lease(self) -> None:
        """Renew this window's lease on its session, off the UI thread; a lease lost to
        another window (this one stopped answering past the lease) ends answering here."""
        if self.session_id is None or self._ending or self._lease_lost:
            return
        store, session_id = self.coach.store, self.session_id
        try:
            ours = await detached(partial(store.hold_session, session_id), name="lease")
        except (StoreError, ValueError):
            return  # the log cannot be written now: the unsaved-answers notice says so
        if not ours and not self._ending:
            self._lease_lost = True
            self.editor.read_only = True
            self.transcript.system(line("lease_lost", self.lang))

    def _take_over(self, session_id: int) -> None:
        """A resumed session: its clock goes on, and answers it left ungraded wait for a grade."""
        from assistant.interview.backlog import time_taken, ungraded_steps

        detail = self.coach.store.get_session(session_id)
        if detail is None:
            return
        self._order = len(detail.turns)
        self._started -= time_taken(detail.turns)
        self._replay_transcript(detail.turns)
        self._waiting += [
            PendingAnswer(turn.id, step, turn.answer, turn.hints_used, False, leads_on=False)
            for turn, step in ungraded_steps(detail.turns, self.coach.bank)
        ]

    def _replay_transcript(self, turns: Sequence[TurnRecord]) -> None:
        """A resumed interview shows what was asked and answered before, as it was typed (and,
        in practice mode, each graded answer's feedback); Ctrl+R then knows the last answer."""
        practice = self.interview.settings.mode is Mode.PRACTICE
        number = 0
        for turn in turns:
            if turn.follow_up_of is None:
                number += 1
            self.transcript.interviewer(turn.question_text)
            if turn.skipped:
                self.transcript.interviewer(line("skipped", self.lang))
                continue
            entry = self.transcript.candidate(turn.answer)
            if turn.grade is None:
                self._answer_entries[turn.id] = entry  # underlined once graded
            elif practice:
                self.transcript.highlight(entry, turn.answer, turn.grade)
                self.transcript.feedback(turn.grade, self.lang)
            question = self.coach.bank.get(turn.question_id)
            if question is not None:
                self._last_answered = Step(question, number)

    def on_unmount(self) -> None:
        """An interview left (quit) before anything was answered leaves nothing in the log:
        an empty session would otherwise stay "in progress" forever. One left with answers is
        released, so another window may resume it at once."""
        if self.session_id is None:
            return
        nothing_sent = self._order == 0 and not self._unsaved and not self._sent_before_open
        if self.resumed or self._ending or not nothing_sent:
            if not self._lease_lost:
                with contextlib.suppress(StoreError, ValueError):
                    self.coach.store.release_session(self.session_id)
            return
        with contextlib.suppress(StoreError, ValueError):
            self.coach.store.delete_session(self.session_id)

    # --- asking -------------------------------------------------------------------------

    def _ask(self) -> None:
        """Put the current step on screen, or end when the plan is done."""
        if self.interview.finished:
            self._finish()
            return
        step = self.interview.step
        self._feedback_shown_last = False
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
        """The session log is open and this interview has its session; send what waited."""
        self.session_id = session_id
        sent, self._sent_before_open = self._sent_before_open, []
        for text in sent:
            self._take_answer(text)

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

    def _to_summary(self) -> None:
        """The last feedback has been read: on to the summary."""
        self._summary_waits = False
        self._maybe_show_summary()

    @on(AnswerEditor.Submitted)
    def submit_answer(self, event: AnswerEditor.Submitted) -> None:
        """Save the answer at once, then grade it; a refused answer goes back into the editor."""
        if self._summary_waits:
            self._to_summary()
            return
        if self.session_id is None and event.text.strip():
            # The first instant, before the log is open: send it once the log is.
            if not self._sent_before_open:
                self.transcript.system(line("send_when_open", self.lang))
            self._sent_before_open.append(event.text)
            return
        self._take_answer(event.text)

    def _take_answer(self, text: str) -> None:
        if self._awaiting_grade or self.interview.finished or self._holding:
            self.editor.restore(text)
            return
        if not text.strip():
            self.editor.restore(text)
            self.transcript.system(line("empty_answer", self.lang))
            return
        self._record(text, skipped=False)

    @property
    def _holding(self) -> bool:
        """An answer that could not be stored nor journaled is held in the editor."""
        return any(not unsaved.in_journal for unsaved in self._unsaved)

    def held_answers(self) -> list[HeldAnswer]:
        """The answers kept in memory only (neither stored nor journaled), oldest first."""
        return [
            HeldAnswer(u.turn.question_text, u.turn.answer)
            for u in self._unsaved
            if not u.in_journal and not u.turn.skipped
        ]

    def _record(self, text: str, *, skipped: bool) -> None:
        """Store the answer (or skip), or keep it aside when the log cannot be written."""
        assert self.session_id is not None
        step = self.interview.step
        self._order += 1
        turn = PendingTurn(
            session_id=self.session_id,
            order=self._order,
            question_id=step.question.id,
            question_text=step.text(self.lang),
            reference_answer=step.reference(self.lang),
            category=step.question.category,
            answer=text,
            hints_used=self.interview.hints_used,
            skipped=skipped,
            follow_up_of=step.parent_turn_id,
            shown_at=self._shown_at or self.coach.now(),
            submitted_at=self.coach.now(),
        )
        turn_id = None
        if not self._unsaved:  # nothing overtakes an answer still waiting to be stored
            try:
                turn_id = record_pending(self.coach.store, turn)
            except StoreError as error:
                self._store_problem = str(error)
        if turn_id is None:
            try:
                AnswerJournal(journal_path(self.coach.store.path)).append(turn)
            except JournalError as error:
                # Not on disk anywhere: the answer stays in the editor until it is stored.
                self._held_problem = str(error)
                self._unsaved.append(UnsavedAnswer(turn, step, in_journal=False))
                self.editor.restore(text)
                self.editor.read_only = True
                self._show_unsaved()
                self._retry_unsaved()
                return
            self._unsaved.append(UnsavedAnswer(turn, step, in_journal=True))
            self._show_unsaved()
            self._retry_unsaved()
        self._recorded(turn, step, turn_id)

    def _recorded(self, turn: PendingTurn, step: Step, turn_id: int | None) -> None:
        """The answer is safe (stored, or journaled when `turn_id` is None): move on."""
        if turn.skipped:
            said = "skipped_back" if self.interview.skip() else "skipped"
            self.transcript.interviewer(line(said, self.lang))
            self._ask()
            return
        text = turn.answer
        entry = self.transcript.candidate(text)
        if turn_id is not None:
            self._answer_entries[turn_id] = entry
        self._last_answered = step
        if turn_id is None:
            # Graded once stored; no follow-up can hang on an answer not in the log.
            self.transcript.system(line("answer_kept", self.lang))
            self._move_on()
            return
        practice = self.interview.settings.mode is Mode.PRACTICE
        model_coming = self.coach.grader is not None or self.coach.grader_error is None
        pending = PendingAnswer(
            turn_id=turn_id,
            step=step,
            answer=text,
            hints_used=turn.hints_used,
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
            saved_note = self.transcript.system(line("answer_saved_waiting", self.lang))
            if model_coming:
                self._waiting.append(pending)
                self._saved_notes[turn_id] = saved_note
        else:
            self._grade(pending)
        self._move_on()

    def _move_on(self) -> None:
        """Next main question (follow-ups are asked from the grade handler)."""
        self.interview.advance()
        self._ask()

    # --- answers the log could not store yet ---------------------------------------------

    def _show_unsaved(self) -> None:
        """One plain message while answers wait: where they are kept (first: a long problem,
        such as a server's, must not push the path out of the notice's few lines), what to do,
        then the log's problem."""
        notice = self.query_one("#unsaved", Static)
        kept = [u for u in self._unsaved if u.in_journal]
        parts = []
        if kept:
            path = shown_path(journal_path(self.coach.store.path))
            parts.append(line("answers_kept", self.lang, count=len(kept), path=path))
        if self._holding:
            parts += [line("answer_held", self.lang), self._held_problem]
        if self._unsaved:
            parts.append(self._store_problem)
        notice.update(" ".join(parts))
        notice.display = bool(parts)

    def _retry_unsaved(self) -> None:
        """Keep trying to store the answers kept aside (one retry loop at a time)."""
        if self._retrying is None or self._retrying.is_finished:
            self._retrying = self._store_unsaved()

    @work(group="store-retry", exit_on_error=False)
    async def _store_unsaved(self) -> None:
        """Store kept answers oldest first, as soon as the log can be written."""
        store = self.coach.store
        journal = AnswerJournal(journal_path(store.path))
        while self._unsaved:
            unsaved = self._unsaved[0]
            try:
                # Off the UI thread (a locked log waits out its busy timeout), never joined at exit.
                turn_id = await detached(
                    partial(_store_unsaved, store, journal, unsaved), name="store-retry"
                )
            except StoreError as error:
                if str(error) != self._store_problem:
                    self._store_problem = str(error)
                    self._show_unsaved()
                await asyncio.sleep(self.RETRY_EVERY)
                continue
            except ValueError as error:
                # Its session was deleted meanwhile (another window): it stays where it is kept.
                self._unsaved.pop(0)
                self.editor.read_only = self._awaiting_grade or self._ending
                self._show_unsaved()
                self.notify(str(error), severity="error")
                continue
            self._unsaved.pop(0)
            self.post_message(self.AnswerStored(unsaved, turn_id))
        self.post_message(self.LogCaughtUp())

    @on(LogCaughtUp)
    def log_caught_up(self) -> None:
        """Every kept answer is stored: close the session if it ended meanwhile."""
        if self._close_after_unsaved and not self._unsaved:
            self._close_after_unsaved = False
            self._close_in_log()
        self._maybe_show_summary()

    @on(AnswerStored)
    def answer_stored(self, event: AnswerStored) -> None:
        """A kept answer is in the log: release the editor if it was held there, grade it."""
        unsaved = event.unsaved
        self._show_unsaved()
        if not unsaved.in_journal:
            editor = self.editor
            editor.text = editor.text.removeprefix(unsaved.turn.answer)
            editor.read_only = self._ending
            self._recorded(unsaved.turn, unsaved.step, event.turn_id)
        elif not unsaved.turn.skipped:
            pending = PendingAnswer(
                turn_id=event.turn_id,
                step=unsaved.step,
                answer=unsaved.turn.answer,
                hints_used=unsaved.turn.hints_used,
                show_feedback=False,
                leads_on=False,
            )
            if self.coach.grader is not None:
                self._grade(pending)
            elif self.coach.grader_error is None:
                self._waiting.append(pending)
        if not self._unsaved:
            self.transcript.system(line("answers_saved_now", self.lang))
        self._maybe_show_summary()

    # --- grading ------------------------------------------------------------------------

    def _grade(self, pending: PendingAnswer) -> None:
        """Start grading one saved answer; counted until its result or error arrives."""
        self._in_flight += 1
        self._grade_in_background(pending)

    @work(group="grading", exit_on_error=False)
    async def _grade_in_background(self, pending: PendingAnswer) -> None:
        """Grade off the UI thread; the result comes back as a message.

        The grading thread is not waited for if the app quits meanwhile: the answer is already
        stored (ungraded, so graded on the next start) and the late grade is dropped unseen.
        """
        grader = self.coach.grader
        assert grader is not None
        grade = await detached(partial(_grade_answer, grader, pending, self.lang), name="grading")
        self.post_message(self.GradeReady(pending, grade))

    def _maybe_show_summary(self) -> None:
        done = (
            self._ending
            and not self._summary_waits
            and self._in_flight == 0
            and not self._waiting
            and not self._unsaved
            and not self._close_after_unsaved
        )
        if done and not self._summary_requested:
            self._summary_requested = True
            self._show_summary()

    @on(GradeReady)
    def show_grade(self, event: GradeReady) -> None:
        """Store the grade, show feedback in practice mode, then follow up or move on."""
        self._in_flight -= 1
        pending = event.pending
        try:
            self.coach.store.set_turn_grade(pending.turn_id, event.grade)
        except StoreError as error:
            # The answer is stored ungraded: the next start grades it again.
            self.notify(f"{error} {line('grade_not_saved', self.lang)}", severity="error")
        if self._grading_note is not None:
            self._grading_note.remove()
            self._grading_note = None
        saved_note = self._saved_notes.pop(pending.turn_id, None)
        if saved_note is not None:
            saved_note.remove()  # it said "will be graded": no longer true
        entry = self._answer_entries.pop(pending.turn_id, None)
        if pending.show_feedback:
            if entry is not None:  # the evidence of each key point, underlined where it was said
                self.transcript.highlight(entry, pending.answer, event.grade)
            self.transcript.feedback(event.grade, self.lang)
            caveat = "show_reference" if event.grade.verifier_id else "show_reference_unverified"
            self.transcript.system(line(caveat, self.lang))
            if event.grade.key_points:
                self._last_graded = pending.turn_id
                self.transcript.system(line("disagree_offer", self.lang))
            self._feedback_shown_last = True
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

    @on(Worker.StateChanged)
    def storing_failed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure of the loop storing kept answers is shown; they stay kept."""
        if event.worker.group != "store-retry" or event.state is not WorkerState.ERROR:
            return
        self.coach.report_error("Answers not saved yet", str(event.worker.error))

    # --- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In mock mode there are no hints nor references: their keys are not offered."""
        mock = self.interview.settings.mode is Mode.MOCK
        return not (mock and action in ("hint", "reference", "disagree"))

    def action_hint(self) -> None:
        """Give the next progressive hint (practice mode only)."""
        if self.interview.finished:
            return
        if self.interview.settings.mode is Mode.MOCK:
            return  # not offered in mock mode (see check_action)
        hint = self.interview.next_hint()
        if hint is None:
            self.transcript.system(line("no_hint", self.lang))
        else:
            number = self.interview.hints_used
            self.transcript.interviewer(
                line("hint", self.lang, n=number, text=hint, cost=HINT_PENALTY)
            )

    def action_skip(self) -> None:
        """Skip the current question (recorded as skipped)."""
        if self._awaiting_grade or self.interview.finished or self._holding:
            return
        if not self._log_ready():
            return
        self._record("", skipped=True)

    def action_repeat(self) -> None:
        """Ask the current question again."""
        if self.interview.finished:
            return
        self.transcript.interviewer(line("repeat", self.lang))
        self.transcript.interviewer(self.interview.step.text(self.lang))

    def action_reference(self) -> None:
        """Show the reference of the question last answered (practice mode): for a follow-up,
        the key point it was about, then the main question's reference answer."""
        if self.interview.settings.mode is Mode.MOCK:
            return
        step = self._last_answered
        if step is None:
            self.transcript.system(line("nothing_answered", self.lang))
            return
        lang = self.lang
        if step.follow_up is not None:
            self.transcript.system(line("key_point_of_follow_up", lang) + colon(lang))
            self.transcript.interviewer(step.reference(lang))
            self.transcript.system(line("main_reference", lang) + colon(lang))
            self.transcript.interviewer(step.question.answer.get(lang))
        else:
            self.transcript.system(line("reference_of", lang, question=step.text(lang)))
            self.transcript.interviewer(step.reference(lang))
        pitfalls = step.pitfalls()
        if pitfalls:
            self.transcript.pitfalls(pitfalls, lang)

    def action_disagree(self) -> None:
        """Let the candidate mark the key points of the answer whose feedback is on screen."""
        if self.interview.settings.mode is Mode.MOCK:
            return  # not offered in mock mode (see check_action): the summary offers it
        turn = self._graded_turn(self._last_graded)
        if turn is None:
            self.transcript.system(line("disagree_nothing", self.lang))
            return

        def said(text: str) -> None:
            # After the dialog has gone: the transcript scrolls to the end only once shown.
            self.call_after_refresh(self.transcript.system, text)

        disagree_with(self, self.coach.store, turn, self.lang, said)

    def _graded_turn(self, turn_id: int | None) -> TurnRecord | None:
        """The stored turn `turn_id` of this session, if it is there and can be disputed."""
        if turn_id is None or self.session_id is None:
            return None
        try:
            detail = self.coach.store.get_session(self.session_id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return None
        turns = detail.turns if detail is not None else []
        return next((t for t in turns if t.id == turn_id and disputable(t)), None)

    def action_scroll_transcript(self, direction: int) -> None:
        """Page the transcript up or down while the editor keeps the focus."""
        if direction < 0:
            self.transcript.scroll_page_up()
        else:
            self.transcript.scroll_page_down()

    def action_end(self) -> None:
        """End the interview after a confirmation (once it has ended on a feedback card: show
        the summary)."""
        if self._summary_waits:
            self._to_summary()
            return
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
        if self._unsaved:
            # Closed in the log after its last answers, by the loop that stores them.
            self._close_after_unsaved = True
        else:
            self._close_in_log()
        self.transcript.interviewer(line("closing", self.lang))
        if self._feedback_shown_last and self.interview.finished:
            # The last answer's feedback is on screen: it is read before the summary replaces it.
            self._summary_waits = True
            self.transcript.system(line("summary_after_feedback", self.lang))
        self._maybe_show_summary()

    def _close_in_log(self) -> None:
        """Mark the session completed; if the log refuses, it is offered for resuming instead
        (every answer is stored by then)."""
        assert self.session_id is not None
        try:
            self.coach.store.finish_session(self.session_id, "completed")
        except StoreError as error:
            self.notify(f"{error} {line('finish_not_saved', self.lang)}", severity="error")

    def _show_summary(self) -> None:
        assert self.session_id is not None
        self.dismiss(self.session_id)


def _store_unsaved(store: SessionStore, journal: AnswerJournal, unsaved: UnsavedAnswer) -> int:
    """Store one kept answer (if not already there), then take it out of the journal."""
    turn_id = store_pending(store, unsaved.turn)
    if unsaved.in_journal:
        # If it cannot be removed, replaying it later finds it stored and skips it.
        with contextlib.suppress(JournalError):
            journal.discard([unsaved.turn.key])
    return turn_id


def _grade_answer(grader: Grader, pending: PendingAnswer, lang: Lang) -> Grade:
    """The grade of one answer, hints charged (runs in a grading thread)."""
    step = pending.step
    if step.follow_up is None:
        grade = grader.grade_question(step.question, pending.answer, lang)
    else:
        grade = grader.grade(follow_up_target(step, lang), pending.answer)
    return with_hint_penalty(grade, pending.hints_used)
