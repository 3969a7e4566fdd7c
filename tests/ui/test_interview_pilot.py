"""The interview screen driven with the keyboard, with a fake grader and a real database."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer, Static

from assistant.app import InterviewApp, make_app
from assistant.grading.grade import Grade
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import LoadReport
from assistant.screens.dialogs import ErrorDialog
from assistant.screens.interview import InterviewScreen
from assistant.screens.start import StartScreen
from assistant.screens.summary import SummaryScreen
from assistant.settings import Settings
from assistant.store import SessionStore, open_store
from assistant.widgets.answer_editor import AnswerEditor
from assistant.widgets.transcript import Transcript, TranscriptEntry
from tests.fakes import KeywordGrader
from tests.ui.conftest import AppFactory, FrozenClock


def transcript_text(app: InterviewApp) -> str:
    transcript = app.screen.query_one(Transcript)
    return "\n".join(str(m.render()) for m in transcript.query(TranscriptEntry))


async def type_and_submit(app: InterviewApp, pilot: object, text: str) -> None:
    editor = app.screen.query_one(AnswerEditor)
    editor.text = text
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def interview_screen(app: InterviewApp, pilot: object) -> InterviewScreen:
    """The interview screen once the app has settled (model and log ready)."""
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    return screen


async def test_markup_in_an_answer_is_shown_literally(make_test_app: AppFactory) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=3))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        nasty = "[bold]not bold[/bold] [link=http://x]x[/link] 🙂 שלום [red"
        await type_and_submit(app, pilot, nasty)
        answers = [m for m in app.screen.query(TranscriptEntry) if m.has_class("candidate")]
        assert str(answers[0].render()) == nasty


async def test_empty_answer_is_refused_and_nothing_recorded(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=3))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, "   \n ")
        assert "empty" in transcript_text(app)
        session = store.list_sessions()[0]
        assert session.turn_count == 0


async def test_practice_interview_hint_follow_up_skip_and_summary(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=5, mode=Mode.PRACTICE))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await interview_screen(app, pilot)
        first = screen.interview.step.question
        # A hint, then an answer that covers only the first key point: a follow-up comes.
        await pilot.press("ctrl+t")
        assert first.hints[0].en in transcript_text(app)
        await type_and_submit(app, pilot, first.key_points[0].en)
        assert screen.interview.step.is_follow_up
        follow_up = screen.interview.step.follow_up
        assert follow_up is not None
        assert follow_up.question.en in transcript_text(app)
        # The follow-up is answered with the key point it probes.
        await type_and_submit(app, pilot, first.key_point(follow_up.key_point).en)
        # The second question is skipped; the interview ends on the summary.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

    (session,) = store.list_sessions()
    assert session.status.value == "completed"
    detail = store.get_session(session.id)
    assert detail is not None
    main, follow, skipped = detail.turns
    assert main.question_id == first.id and main.hints_used == 1
    assert isinstance(main.grade, Grade) and main.grade.score < 70
    assert any(n.code.value == "hints-used" for n in main.grade.notes)
    assert follow.follow_up_of == main.id and follow.grade is not None
    assert follow.grade.score == 100
    assert skipped.skipped and skipped.answer == ""


async def test_reference_comes_with_the_questions_common_mistakes(
    make_test_app: AppFactory,
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=5, mode=Mode.PRACTICE))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await interview_screen(app, pilot)
        question = screen.interview.step.question
        assert question.pitfalls
        await type_and_submit(app, pilot, " ".join(kp.en for kp in question.key_points))
        assert question.pitfalls[0].claim.en not in transcript_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        text = transcript_text(app)
        assert question.answer.en in text
        assert "Common mistakes on this question:" in text
        for pitfall in question.pitfalls:
            assert pitfall.claim.en in text and pitfall.correction.en in text


async def test_answer_before_model_is_ready_is_saved_then_graded(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """The first question is on screen while the model loads; the answer waits for it."""
    import threading

    release = threading.Event()

    def slow_loader() -> KeywordGrader:
        release.wait(timeout=30)
        return KeywordGrader()

    app = make_test_app(InterviewSettings(count=2, seed=1), grader_loader=slow_loader)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.grader is None
        assert "Loading the grading model" in str(app.screen.query_one("#status").render())
        await type_and_submit_no_wait(app, pilot, "Monitoring and drift detection matter.")
        assert "saved" in transcript_text(app)
        detail = store.get_session(store.list_sessions()[0].id)
        assert detail is not None and detail.turns[0].grade is None
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = store.get_session(store.list_sessions()[0].id)
        assert detail is not None and detail.turns[0].grade is not None


async def type_and_submit_no_wait(app: InterviewApp, pilot: object, text: str) -> None:
    app.screen.query_one(AnswerEditor).text = text
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_model_that_fails_to_load_still_records_answers(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    def broken_loader() -> object:
        raise RuntimeError("model folder /nowhere not found")

    app = make_test_app(InterviewSettings(count=1, seed=2), grader_loader=broken_loader)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.grader_error is not None and "/nowhere" in app.grader_error
        assert "unavailable" in str(app.screen.query_one("#status").render())
        await type_and_submit(app, pilot, "An answer that must not be lost.")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    assert detail.turns[0].answer == "An answer that must not be lost."
    assert detail.turns[0].grade is None


async def test_mock_mode_gives_no_feedback_until_the_summary(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, "first answer about pipelines and monitoring")
        assert not app.screen.query(".feedback")
        await pilot.press("ctrl+t")  # no hints in mock mode: the key is not offered
        assert "Hint" not in transcript_text(app)
        await type_and_submit(app, pilot, "second answer about deployment")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    assert [t.grade is not None for t in detail.turns] == [True, True]


async def test_first_question_shows_before_the_log_opens_then_answers_are_saved(
    settings: Settings, bank_report: LoadReport, tmp_path: Path
) -> None:
    """The command line's path: the store is opened by the app after the first paint."""
    opened: list[SessionStore] = []

    def opener() -> SessionStore:
        store = open_store(tmp_path / "deferred.db")
        opened.append(store)
        return store

    app = make_app(
        settings,
        bank_report,
        opener,
        grader_loader=KeywordGrader,
        interview=InterviewSettings(count=1, seed=1),
        clock=FrozenClock(),
    )
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview.step.text("en") in transcript_text(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.store_ready and screen.session_id is not None
        await type_and_submit(app, pilot, "An answer for the deferred log.")
    (store,) = opened
    detail = store.get_session(screen.session_id)
    assert detail is not None and detail.turns[0].answer == "An answer for the deferred log."
    store.close()


async def test_an_unusable_log_is_reported_and_the_app_exits_with_an_error(
    settings: Settings, bank_report: LoadReport, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database" * 50)

    app = make_app(
        settings,
        bank_report,
        lambda: open_store(damaged),
        grader_loader=KeywordGrader,
        interview=InterviewSettings(count=1, seed=1),
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert str(damaged) in str(app.screen.query_one(".dialog-text", Static).render())
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 1
    assert damaged.read_bytes() == b"this is not a database" * 50


async def test_an_unfinished_interview_is_offered_and_resumed_where_it_stopped(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    first_app = make_test_app(InterviewSettings(count=3, seed=8, mode=Mode.MOCK))
    async with first_app.run_test(size=(100, 32)) as pilot:
        await first_app.workers.wait_for_complete()
        screen = first_app.screen
        assert isinstance(screen, InterviewScreen)
        plan = [q.id for q in screen.interview.questions]
        await type_and_submit(first_app, pilot, "An answer before the app is closed.")
    # The app was closed mid-interview: the session stays in progress.
    (session,) = store.list_sessions()
    assert session.status.value == "in-progress"

    second_app = make_test_app()
    async with second_app.run_test(size=(100, 32)) as pilot:
        await second_app.workers.wait_for_complete()
        await pilot.pause()
        start = second_app.screen
        assert isinstance(start, StartScreen)
        assert "1 of 3 answered" in str(start.query_one("#resume-text", Static).render())
        await pilot.press("enter")  # the Resume button has the focus
        await pilot.pause()
        resumed = second_app.screen
        assert isinstance(resumed, InterviewScreen)
        assert resumed.session_id == session.id
        assert resumed.interview.step.question.id == plan[1]
        assert "Question 2 of 3" in str(resumed.query_one("#progress", Static).render())


async def test_every_interview_action_is_in_the_command_palette(make_test_app: AppFactory) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=3, lang="fr"))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        # Labelled in the interview's language, like the footer.
        assert {"Indice", "Passer", "Répéter", "Référence", "Terminer"} <= titles
        hint = next(c for c in app.get_system_commands(app.screen) if c.title == "Indice")
        app.call_later(hint.callback)  # as the palette runs the command it selected
        await pilot.pause()
        await pilot.pause()
        first_hint = app.screen.interview.step.question.hints[0].fr  # type: ignore[attr-defined]
        assert first_hint in transcript_text(app)


async def test_a_very_long_paste_is_kept_whole_and_graded_in_parts(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """A 20,000-character paste: shown as typed, saved whole, nothing cut off."""
    app = make_test_app(InterviewSettings(count=2, seed=6))
    paste = " ".join(f"Sentence {n} about [red]drift[/red] and monitoring." for n in range(400))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, paste)
        assert isinstance(app.screen, InterviewScreen)
        answers = [m for m in app.screen.query(TranscriptEntry) if m.has_class("candidate")]
        assert str(answers[0].render()) == paste
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None and detail.turns[0].answer == paste
    assert detail.turns[0].grade is not None


async def test_the_last_answer_s_feedback_in_practice_is_shown_before_the_summary(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Issue 21.9: the app jumped to the summary and the last feedback was never seen."""
    app = make_test_app(InterviewSettings(count=1, seed=2))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        await type_and_submit(app, pilot, " ".join(kp.en for kp in question.key_points))
        await pilot.pause()
        assert app.screen is screen
        said = [str(m.render()) for m in screen.query(TranscriptEntry)]
        assert any(m.has_class("feedback") for m in screen.query(TranscriptEntry))
        assert said[-1].startswith("That was the last question. Read the feedback above")
        # Already closed in the log: quitting here loses nothing.
        assert store.list_sessions()[0].status.value == "completed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert len(app.screen_stack) == 2  # the start of the stack and the summary, nothing else
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None and detail.session.status.value == "completed"
    assert [t.grade.score for t in detail.turns if t.grade] == [100]


async def test_ending_while_an_answer_is_graded_asks_nothing_more(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Esc during grading: the grade is kept, no follow-up is asked, the summary follows."""
    import threading

    from tests.fakes import KeywordGrader

    gate = threading.Event()

    class SlowGrader(KeywordGrader):
        def grade_question(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            gate.wait(timeout=30)
            return super().grade_question(*args, **kwargs)

    app = make_test_app(InterviewSettings(count=3, seed=5), grader_loader=SlowGrader)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        screen.query_one(AnswerEditor).text = question.key_points[0].en  # earns a follow-up
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    assert len(detail.turns) == 1 and detail.turns[0].grade is not None


def footer_labels(app: InterviewApp) -> list[str]:
    """The key descriptions the footer shows, left to right."""
    keys = app.screen.query_one(Footer).query("FooterKey")
    return [str(key.description) for key in keys]  # type: ignore[attr-defined]


async def test_footer_follows_the_language_back_and_forth(make_test_app: AppFactory) -> None:
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        for _ in range(100):  # the footer fills in on a later refresh when the machine is busy
            if footer_labels(app):
                break
            await pilot.pause()
        assert footer_labels(app)[:2] == ["Start", "Review"]
        for start, review, quit_ in [
            ("Commencer", "Historique", "Quitter"),
            ("Start", "Review", "Quit"),
            ("Commencer", "Historique", "Quitter"),
        ]:
            await pilot.press("ctrl+l")
            await pilot.pause()
            await pilot.pause()
            labels = footer_labels(app)
            assert labels[:2] == [start, review] and quit_ in labels


async def test_interview_footer_is_in_the_interview_language(make_test_app: AppFactory) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=3, lang="fr"))
    async with app.run_test(size=(80, 24)) as pilot:
        await interview_screen(app, pilot)
        labels = footer_labels(app)
        assert labels[:2] == ["Envoyer", "Indice"]
        assert "Submit" not in labels and "Quit" not in labels


async def test_a_megabyte_paste_is_stored_whole_and_shown_up_to_what_is_graded(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Issue 21.6: a 1 MB paste was laid out whole in the transcript (seconds of a frozen
    screen before it was stored)."""
    from assistant.widgets.transcript import SHOWN_CHARS

    app = make_test_app(InterviewSettings(count=2, seed=6, mode=Mode.MOCK))
    paste = ("The live data shifts, so accuracy drops; we watch it. " * 20_000)[:1_000_000]
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, paste)
        answers = [m for m in app.screen.query(TranscriptEntry) if m.has_class("candidate")]
        shown = str(answers[0].render())
        assert shown.startswith(paste[:SHOWN_CHARS])
        assert shown.endswith(f"+{1_000_000 - SHOWN_CHARS:,} characters, kept in full in the log")
    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None and detail.turns[0].answer == paste
