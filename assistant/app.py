"""The Textual app: global bindings, the first screen, and the collaborators it is given."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from assistant.interview.choices import (
    Choices,
    load_last_choices,
    note_kept_choices,
    save_last_choices,
    start_screen_choices,
)
from assistant.interview.flow import Interview, InterviewSettings
from assistant.interview.lines import line
from assistant.interview.recovery import HeldAnswer
from assistant.knowledge.loader import LoadReport, QuestionSummary
from assistant.knowledge.models import Lang
from assistant.knowledge.scheduler import draw_seed, pick_questions
from assistant.screens.dialogs import ConfirmDialog, ErrorDialog
from assistant.screens.interview import InterviewScreen
from assistant.settings import Settings
from assistant.store.errors import StoreError

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader
    from assistant.screens.start import StartChoice
    from assistant.screens.summary import SummaryChoice
    from assistant.store import SessionStore, TurnRecord
    from assistant.store.journal import ReplayReport


EMPTY_SESSION_GRACE = timedelta(hours=1)
"""An interview in progress with no turn is dropped at start once it is this old (see
`InterviewApp._drop_empty_sessions`); a younger one may belong to another window."""


class InterviewApp(App[None]):
    """The mock-interview coach."""

    CSS_PATH = "app.tcss"
    TITLE = "Mock interview coach"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f8", "toggle_theme", "Light/dark", id="app.theme", show=False),
    ]

    @dataclass
    class GraderLoaded(Message):
        """The grading model is ready."""

        grader: Grader

    @dataclass
    class GraderFailed(Message):
        """The grading model could not be loaded."""

        reason: str

    @dataclass
    class StoreOpened(Message):
        """The session log is open (answers a previous run kept aside replayed into it)."""

        store: SessionStore
        replay: ReplayReport | None = None

    @dataclass
    class StoreFailed(Message):
        """The session log cannot be used; the message names the file and what to do."""

        reason: str

    def __init__(
        self,
        settings: Settings,
        bank_report: LoadReport,
        store: SessionStore | Callable[[], SessionStore],
        *,
        grader_loader: Callable[[], Grader],
        interview: InterviewSettings | Choices | None = None,
        review: bool = False,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        served: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.bank_report = bank_report
        self.bank = bank_report.bank
        # An open store (tests), or how to open one after the first paint (the command line).
        self._store: SessionStore | None = None if callable(store) else store
        self._store_opener = store if callable(store) else None
        self._pending_session: tuple[InterviewScreen, InterviewSettings, list[str]] | None = None
        self._asking_to_quit = False
        """The quit dialog about answers held in memory is open."""
        self.grader_loader = grader_loader
        self.command_line = interview if isinstance(interview, Choices) else None
        """The choices given as flags and their sources, until the start screen is used."""
        self.direct_interview = interview.settings if isinstance(interview, Choices) else interview
        self.review_only = review
        self.clock = clock
        """Monotonic seconds, for the timers on screen."""
        self.now = now
        """Wall-clock time (aware), for what the log records and the scheduler."""
        self.grader: Grader | None = None
        self.grader_error: str | None = None
        self._background_started = False
        self._backlog_started = False
        self.served = served
        """Running in a browser tab (`mock-interview serve`): the start screen asks for a name."""
        self.candidate: str | None = None
        """Who takes the interviews when served: the name typed on the start screen, handed to
        the store (whose candidate every session and list follows) as soon as it is open. None
        in the terminal, where the store's candidate comes from the settings."""

    # --- start-up -----------------------------------------------------------------------

    def on_mount(self) -> None:
        # Not here: Textual mounts the app inside a batch whose frames it never shows, and a
        # screen pushed from it waited for its next layout change (the footer's keys, the
        # clock) to be drawn. Pushed just after, it is drawn as soon as it is laid out.
        self.call_later(self._show_first_screen)

    def _show_first_screen(self) -> None:
        """The review, the interview the flags ask for, or the start screen."""
        for problem in self.bank_report.problems:
            self.notify(str(problem), title="Question pack skipped", severity="warning", timeout=15)
        if self.review_only:
            self.show_review(then=self.exit)
        elif self.direct_interview is not None:
            self.begin_interview(self.direct_interview)
            note = note_kept_choices(self.command_line) if self.command_line else None
            if note:
                self.notify(note, timeout=10)
        else:
            self.show_start()

    @property
    def store(self) -> SessionStore:
        """The session log; screens reach it only once `store_ready` (right after start-up)."""
        if self._store is None:
            raise RuntimeError("the session log is not open yet")
        return self._store

    @property
    def store_ready(self) -> bool:
        """True once the session log is open."""
        return self._store is not None

    def close_store(self) -> None:
        """Close the session log once the app has exited (a no-op if it never opened)."""
        if self._store is not None:
            self._store.close()

    def start_background_work(self) -> None:
        """Open the session log, then load the model, off the UI thread. Screens call this
        after their first paint: importing SQLModel and torch holds the GIL and would delay it."""
        if self._background_started:
            return
        self._background_started = True
        if self._store_opener is not None:
            self._open_store(self._store_opener)
        else:
            self._load_grader()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _open_store(self, opener: Callable[[], SessionStore]) -> None:
        """Open (create, migrate) the session log, then store the answers a previous run kept
        in its journal because the log could not be written."""
        from assistant.store.journal import replay_journal

        try:
            store = opener()
        except StoreError as exc:
            self.post_message(self.StoreFailed(str(exc)))
        else:
            replay = replay_journal(store)
            self._drop_empty_sessions(store)
            self.post_message(self.StoreOpened(store, replay))

    def _drop_empty_sessions(self, store: SessionStore) -> None:
        """Delete interviews an earlier run left "in progress" without a single turn (it was
        killed before the first answer): there is nothing to resume or review in them.

        Only those started over an hour ago: a newer one may be another window's, still open.
        """
        from assistant.store.records import SessionStatus

        if store.read_only:
            return
        cutoff = self.now() - EMPTY_SESSION_GRACE
        with contextlib.suppress(StoreError, ValueError):
            for session in store.list_sessions():
                empty = session.status is SessionStatus.IN_PROGRESS and session.counts.turns == 0
                if empty and session.started_at < cutoff:
                    store.delete_session(session.id)

    @on(StoreOpened)
    def store_opened(self, event: StoreOpened) -> None:
        """Start the session chosen before the log was open, offer resumption, load the model."""
        self._store = event.store
        if self.candidate is not None:  # named on a served start screen before the log opened
            event.store.candidate = self.candidate
        replay = event.replay
        if replay is not None and replay.stored:
            self.notify(f"Saved {replay.stored} answer(s) kept aside by an earlier run.")
        if replay is not None and replay.problem:
            self.notify(replay.problem, title="Answers still kept aside", severity="warning")
        if self._pending_session is not None:
            screen, settings, plan = self._pending_session
            self._pending_session = None
            try:
                session_id = self._start_session(settings, plan)
            except StoreError as exc:
                self.store_failed(self.StoreFailed(str(exc)))
                return
            screen.attach_session(session_id)
        from assistant.screens.start import StartScreen

        if isinstance(self.screen, StartScreen):
            offer = self._resume_offer(self.screen.lang)
            if offer:
                self.screen.offer_resume(*offer)
        self._load_grader()

    @on(StoreFailed)
    def store_failed(self, event: StoreFailed) -> None:
        """Nothing can be recorded: say why and where, then leave (the file is left as it is)."""

        def leave(_: None) -> None:
            self.exit(return_code=1, message=f"error: {event.reason}")

        self.push_screen(ErrorDialog("The session log cannot be used", event.reason), leave)

    @work(exclusive=True, exit_on_error=False, group="model")
    async def _load_grader(self) -> None:
        """Load the model off the UI thread; the first question is already on screen.

        The load runs in a thread the app does not wait for at exit (a thread worker would be
        joined: quitting while the model loads took the rest of the load, 4 s and more).
        """
        from assistant.interview.detached import detached

        try:
            grader = await detached(self.grader_loader, name="model-load")
        except Exception as exc:  # any failure: the interview goes on without grades
            self.post_message(self.GraderFailed(str(exc) or type(exc).__name__))
        else:
            self.post_message(self.GraderLoaded(grader))

    @on(GraderLoaded)
    def grader_ready(self, event: GraderLoaded) -> None:
        """Hand the grader to every interview screen (they grade what waited)."""
        self.grader = event.grader
        self._tell_interview_screens()
        self._start_backlog()

    def _start_backlog(self) -> None:
        """Grade the candidate's answers that earlier sessions left ungraded, once the grader
        is loaded and the candidate known: served, that waits for the typed name (the store's
        candidate is the server's user until then, whose answers are not this tab's to grade)."""
        if self.grader is None or not self.store_ready or self._backlog_started:
            return
        if self.served and self.candidate is None:
            return
        self._backlog_started = True
        open_sessions = self._open_sessions()
        backlog = [t for t in self.store.ungraded_turns() if t.session_id not in open_sessions]
        if backlog:
            self._grade_backlog(self.grader, backlog)

    @work(exclusive=True, exit_on_error=False, group="backlog")
    async def _grade_backlog(self, grader: Grader, turns: list[TurnRecord]) -> None:
        """Grade answers saved in earlier sessions while no model was available.

        Each grade is computed in a thread the app does not wait for at exit, and written here,
        on the UI thread: quitting stops the backlog at once, and nothing is written after.
        """
        from assistant.interview.backlog import grade_stored_turn
        from assistant.interview.detached import detached

        for turn in turns:
            if turn.session_id in self._open_sessions():
                continue  # resumed meanwhile: its screen grades it, and waits for it
            grade = await detached(partial(grade_stored_turn, grader, self.bank, turn))
            self.store.set_turn_grade(turn.id, grade)
        self.notify(f"Graded {len(turns)} answer(s) saved while the model was unavailable.")

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """An export or backlog grading that failed is shown in a dialog."""
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group in ("export", "backlog"):
            self.report_error("Something went wrong", str(event.worker.error))

    @on(GraderFailed)
    def grader_failed(self, event: GraderFailed) -> None:
        """A failed model load is reported; interviews go on, answers saved ungraded."""
        self.grader_error = event.reason
        self.notify(
            self.grader_error, title="Grading model unavailable", severity="error", timeout=20
        )
        self._tell_interview_screens()

    def _open_sessions(self) -> set[int | None]:
        """The sessions an interview screen has open (it grades their answers itself)."""
        return {s.session_id for s in self.screen_stack if isinstance(s, InterviewScreen)}

    def _tell_interview_screens(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.refresh_model_status()

    # --- screens ------------------------------------------------------------------------

    def show_start(self) -> None:
        """The start screen, with last choices and any unfinished session offered."""
        from assistant.screens.start import StartScreen  # its form's widgets: not for --questions

        choices = self.command_line or start_screen_choices(
            self.settings.config_dir, self._choices_owner(), inherit=not self.served
        )
        offer = self._resume_offer(choices.settings.lang) if self.store_ready else None
        screen = StartScreen(
            choices.settings,
            resume_offer=offer[0] if offer else None,
            resume_elsewhere=offer[1] if offer else False,
            sources=choices.sources,
            ask_name=self.served,
            name=self.candidate or "",
        )
        self.push_screen(screen, self._started)

    def _resume_offer(self, lang: Lang) -> tuple[str, bool] | None:
        """The line offering the newest unfinished session (its mode, language, date,
        progress), and whether another window has it open (then it is said, not offered)."""
        from assistant.interview.backlog import answered_questions

        if self.served and self.candidate is None:
            return None  # the log is shared and nobody has said who they are yet
        unfinished = self.store.unfinished_session()
        detail = self.store.get_session(unfinished.id) if unfinished else None
        if unfinished is None or detail is None:
            return None
        settings = InterviewSettings.from_dict(unfinished.settings)
        plan = unfinished.settings.get("plan")
        key = "resume_offer_elsewhere" if unfinished.open_elsewhere else "resume_offer"
        text = line(
            key,
            lang,
            mode=line(f"{settings.mode.value}_short", lang),
            language=line(f"in_{settings.lang}", lang),
            date=unfinished.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            answered=answered_questions(detail.turns),
            total=len(plan) if isinstance(plan, list) else "?",
        )
        return text, unfinished.open_elsewhere

    def _started(self, choice: StartChoice | None) -> None:
        if choice is None:
            return
        if choice.candidate is not None:
            self.candidate = choice.candidate
            if self.store_ready:  # the review and "practise next" read this candidate's sessions
                self.store.candidate = choice.candidate
            self._start_backlog()
        if choice.action == "start" and choice.settings is not None:
            self.command_line = None  # chosen on the start screen from now on
            self.begin_interview(choice.settings)
        elif choice.action == "resume":
            self.resume_interview()
        elif choice.action == "review":
            self.show_review(then=self.show_start)

    def candidate_questions(self, settings: InterviewSettings) -> list[QuestionSummary]:
        """The bank's questions (index entries) that match the subject, categories, difficulty."""
        return [
            q
            for q in self.bank.summaries.values()
            if (settings.subject is None or q.subject == settings.subject)
            and (not settings.categories or q.category in settings.categories)
            and (settings.difficulty is None or q.difficulty == settings.difficulty)
        ]

    def begin_interview(self, settings: InterviewSettings) -> None:
        """Choose the questions, open a session in the log, and ask the first one."""
        self.remember_choices(settings)
        if self.store_ready:
            states = self.store.learning_states()
        else:
            from assistant.store.peek import peek_learning_states

            states = peek_learning_states(self.settings.db, self.settings.candidate)
        picked = pick_questions(
            self.candidate_questions(settings),
            self.bank.categories,
            states,
            count=settings.count,
            now=self.now(),
            seed=settings.seed if settings.seed is not None else draw_seed(states),
            category_filter=None,
            difficulty=None,
        )
        # Only the questions asked are built from the bank (it holds the others as bytes).
        questions = [self.bank.questions[q.id] for q in picked]
        if not questions:
            self.push_screen(ErrorDialog("No questions", line("no_questions", settings.lang)))
            return
        plan = [q.id for q in questions]
        try:
            if self.store_ready:
                # Starting afresh declines the unfinished interview that was on offer.
                self.discard_unfinished()
            session_id = self._start_session(settings, plan) if self.store_ready else None
        except StoreError as exc:
            self.report_error("The session log cannot be written", str(exc))
            return
        screen = self._open_interview(Interview(questions, settings), session_id, resumed=False)
        if session_id is None:
            self._pending_session = (screen, settings, plan)

    def _start_session(self, settings: InterviewSettings, plan: list[str]) -> int:
        return self.store.start_session(
            mode=settings.mode.value,
            lang=settings.lang,
            settings={**settings.to_dict(), "plan": plan},
            model_id=self.grader.model_id if self.grader else self.settings.model,
            bank_version=self.bank.version,
            hold=True,
        )

    def resume_interview(self) -> None:
        """Continue the newest unfinished session with the questions it had left."""
        unfinished = self.store.unfinished_session()
        detail = self.store.get_session(unfinished.id) if unfinished else None
        if unfinished is None or detail is None:
            self.show_start()
            return
        if not self.store.hold_session(unfinished.id):
            # Opened in another window since the offer was made: one window per session.
            lang = InterviewSettings.from_dict(unfinished.settings).lang
            self.push_screen(
                ErrorDialog(line("open_elsewhere_title", lang), line("open_elsewhere", lang)),
                lambda _: self.show_start(),
            )
            return
        from assistant.interview.backlog import resumed_interview

        # Mode, language and the rest as the session was started, not as the start screen is.
        settings = InterviewSettings.from_dict(unfinished.settings)
        plan = [self.bank.get(str(qid)) for qid in unfinished.settings.get("plan") or []]
        questions = [q for q in plan if q is not None]
        interview = resumed_interview(questions, settings, detail.turns)
        self._open_interview(interview, unfinished.id, resumed=True)

    def discard_unfinished(self) -> None:
        """Mark the unfinished session abandoned."""
        unfinished = self.store.unfinished_session()
        # Never one that another window has open: that candidate is still answering it.
        if unfinished is not None and self.store.hold_session(unfinished.id):
            self.store.finish_session(unfinished.id, "abandoned")

    def _open_interview(
        self, interview: Interview, session_id: int | None, *, resumed: bool
    ) -> InterviewScreen:
        screen = InterviewScreen(interview, session_id, resumed=resumed)
        self.push_screen(screen, self._ended)
        return screen

    def _ended(self, session_id: int | None) -> None:
        if session_id is None:
            return
        from assistant.screens.summary import SummaryScreen  # rich tables: not needed at start

        self.push_screen(SummaryScreen(session_id), self._after_summary)

    def _after_summary(self, choice: SummaryChoice | None) -> None:
        if choice is None or choice.action == "quit":
            self.exit()
        elif choice.action == "new":
            self._clear_to_base()
            self.show_start()
        elif choice.action == "review":
            self._clear_to_base()
            self.show_review(then=self.show_start, session_id=choice.session_id)

    def _clear_to_base(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_review(self, *, then: Callable[[], None], session_id: int | None = None) -> None:
        """The review screen (history of sessions)."""
        from assistant.screens.review import ReviewScreen

        if not self.store_ready:
            self.notify("The session log is still opening; try again in a moment.")
            return
        self.push_screen(ReviewScreen(session_id=session_id), lambda _: then())

    # --- remembered choices -------------------------------------------------------------

    def last_choices(self) -> InterviewSettings:
        """The candidate's choices of their last interview started, or defaults."""
        return load_last_choices(self.settings.config_dir, self._choices_owner())

    def _choices_owner(self) -> str | None:
        """Whose remembered choices the start screen shows: the named candidate; in a served tab
        nobody's until the candidate has typed their name."""
        if self.served:
            return self.candidate
        return self.candidate or self.settings.candidate

    def remember_choices(self, settings: InterviewSettings) -> None:
        """Save the choices for next time; failing to save is not worth interrupting."""
        try:
            save_last_choices(self.settings.config_dir, settings, self._choices_owner() or "")
        except OSError as exc:
            self.notify(f"Could not remember choices in {self.settings.config_dir}: {exc}")

    # --- reports ------------------------------------------------------------------------

    def export_report(self, session_id: int, lang: Lang) -> None:
        """Write a Markdown report of one session into the reports folder, off the UI thread."""
        self._write_report(session_id, lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _write_report(self, session_id: int, lang: Lang) -> None:
        from assistant.reports import reports_dir, write_report

        detail = self.store.get_session(session_id)
        if detail is None:
            return
        path = write_report(
            [detail],
            "md",
            reports_dir(),
            generated_at=self.now(),
            bank=self.bank,
        )
        self.call_from_thread(self.notify, line("exported", lang, path=path), timeout=10)

    # --- everything else ----------------------------------------------------------------

    def report_error(self, title: str, message: str) -> None:
        """Show a problem in a modal dialog."""
        self.push_screen(ErrorDialog(title, message))

    async def action_quit(self) -> None:
        """Quit at once, unless an answer is held in memory only: then ask, and on "quit
        anyway" write it to a recovery file (or print it) and say where."""
        screens = [s for s in self.screen_stack if isinstance(s, InterviewScreen)]
        held = [answer for screen in screens for answer in screen.held_answers()]
        if not held:
            self.exit()
            return
        if self._asking_to_quit:
            return
        self._asking_to_quit = True
        lang = screens[-1].lang

        def answered(quit_anyway: bool | None) -> None:
            self._asking_to_quit = False
            if quit_anyway:
                self._quit_with_held(held, lang)

        question = line("quit_with_held", lang, count=len(held))
        dialog = ConfirmDialog(question, line("quit_anyway", lang), line("stay", lang))
        self.push_screen(dialog, answered)

    def _quit_with_held(self, held: list[HeldAnswer], lang: Lang) -> None:
        """Write the held answers out of the log's reach, then exit saying where they are."""
        from assistant.interview.recovery import recovery_text, write_recovery

        when = datetime.now()
        path = write_recovery(held, when)
        if path is not None:
            self.exit(return_code=1, message=line("recovered_to", lang, path=path))
        else:
            printed = line("recovered_printed", lang) + "\n" + recovery_text(held, when)
            self.exit(return_code=1, message=printed)

    def action_toggle_theme(self) -> None:
        """Switch between the light and dark themes."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the screen's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            placeholder = line("palette_placeholder", _screen_lang(self.screen))
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers what the footer offers (the focused widget's keys too, such as
        Submit, and only keys that work now), then the system commands, in the screen's language.
        """
        lang = _screen_lang(screen)
        offered: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # A key kept out of a narrow footer (Repeat) is still offered here: it has a tooltip.
            offered_here = binding.show or bool(binding.tooltip)
            if not (binding.description and offered_here and active.enabled):
                continue
            if binding.action in ("quit", "app.quit") or binding.description in offered:
                continue  # Quit comes with the system commands
            offered.add(binding.description)
            node = active.node
            assert isinstance(node, Widget | App)
            yield SystemCommand(
                binding.description,
                f"{self.get_key_display(binding)}: {binding.tooltip or binding.description}",
                partial(node.run_action, binding.action),
            )
        yield SystemCommand(
            line("theme_action", lang), line("theme_help", lang), self.action_toggle_theme
        )
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                continue  # the light/dark switch above
            title_key = _SYSTEM_COMMANDS.get(command.title)
            if title_key is None:
                yield command
                continue
            help_key = "hide_keys_help" if command.help.startswith("Hide") else f"{title_key}_help"
            title = line("quit", lang) if title_key == "quit" else line(f"{title_key}_action", lang)
            yield SystemCommand(title, line(help_key, lang), command.callback, command.discover)


_SYSTEM_COMMANDS = {
    "Quit": "quit",
    "Keys": "keys",
    "Maximize": "maximize",
    "Minimize": "minimize",
    "Screenshot": "screenshot",
}
"""Textual's system commands, by title, and the `line` key of their words in our languages."""


def _screen_lang(screen: Screen[object]) -> Lang:
    """The language a screen speaks (English for Textual's own screens)."""
    lang = getattr(screen, "lang", "en")
    return "fr" if lang == "fr" else "en"


def make_app(
    settings: Settings,
    bank_report: LoadReport,
    store: SessionStore | Callable[[], SessionStore],
    *,
    grader_loader: Callable[[], Grader],
    interview: InterviewSettings | Choices | None = None,
    review: bool = False,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    served: bool = False,
) -> InterviewApp:
    """Build the app; used by the command line and by the tests."""
    return InterviewApp(
        settings,
        bank_report,
        store,
        grader_loader=grader_loader,
        interview=interview,
        review=review,
        clock=clock,
        now=now,
        served=served,
    )
