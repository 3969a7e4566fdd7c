"""Issue 13, as a new user meets the interview: every screen says what is true, every key works.

Items 1 (French everywhere), 4 (the hint's price), 7 (mock mode), 9 (one count) and 10
(reference, palette, 80 columns, empty sessions); each test failed before its fix.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.widgets import Select, Static

from assistant.app import InterviewApp, make_app
from assistant.grading.grade import Coverage, Grade, KeyPointResult, Verdict
from assistant.interview.choices import save_last_choices
from assistant.interview.flow import HINT_PENALTY, InterviewSettings, Mode
from assistant.interview.summary import summarize
from assistant.knowledge.loader import LoadReport
from assistant.screens.interview import InterviewScreen
from assistant.screens.review import SESSION_COLUMNS
from assistant.screens.start import StartScreen
from assistant.screens.summary import SummaryScreen
from assistant.settings import Settings
from assistant.store import SessionStore, open_store
from assistant.store.records import SessionStatus
from tests.fakes import KeywordGrader
from tests.ui.conftest import AppFactory, FrozenClock
from tests.ui.test_interview_pilot import footer_labels, transcript_text, type_and_submit

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class TargetRecordingGrader(KeywordGrader):
    """The fake grader, noting what each follow-up answer was graded against."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[Any] = []

    def grade(self, target: Any, answer: str) -> Grade:
        self.targets.append(target)
        return super().grade(target, answer)


def palette(app: InterviewApp) -> dict[str, str]:
    """The command palette's entries on the current screen: title -> help."""
    return {c.title: c.help for c in app.get_system_commands(app.screen)}


def _plain(widget: Static) -> str:
    """The text a Static shows, as the terminal would (rich renderables flattened)."""
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


async def test_a_french_session_speaks_french_everywhere(make_test_app: AppFactory) -> None:
    """Item 1: follow-up, its grading target, hints, palette and summary are all French."""
    grader = TargetRecordingGrader()
    app = make_test_app(InterviewSettings(count=1, seed=3, lang="fr"), grader_loader=lambda: grader)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        assert f"{HINT_PENALTY} points" in transcript_text(app)  # the price, before any hint
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert f"Indice 1 (-{HINT_PENALTY} points) : {question.hints[0].fr}" in transcript_text(app)
        entries = palette(app)
        english = {"Quit", "Keys", "Maximize", "Screenshot", "Light/dark theme", "Submit", "Hint"}
        assert not english & set(entries), entries
        assert {"Envoyer", "Indice", "Passer", "Répéter", "Référence", "Quitter"} <= set(entries)

        await type_and_submit(app, pilot, "rien du tout")
        follow_up = screen.interview.step.follow_up
        assert follow_up is not None
        assert follow_up.question.fr in transcript_text(app)
        assert follow_up.question.en not in transcript_text(app)
        await type_and_submit(app, pilot, "une réponse sur le point visé")
        # The follow-up is graded against its key point, in French.
        target = grader.targets[-1]
        key_point = question.key_point(follow_up.key_point)
        assert (target.lang, target.key_points) == ("fr", [(key_point.id, key_point.fr)])
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The last feedback stays on screen, in French, until the summary is asked for.
        assert "C'était la dernière question." in transcript_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = _plain(app.screen.query_one("#summary-body", Static))
        assert "Note globale :" in text
        assert "À côté" in text  # the verdict of each answer, in French
        assert "Overall" not in text and "graded" not in text


async def test_the_palette_prompt_is_in_the_session_language(make_test_app: AppFactory) -> None:
    app = make_test_app(InterviewSettings(count=1, seed=3, lang="fr"))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandInput

        assert app.screen.query_one(CommandInput).placeholder == "Rechercher une commande…"


async def test_the_hint_price_is_stated_before_a_hint_is_taken(make_test_app: AppFactory) -> None:
    """Item 4: the greeting and the palette say what a hint costs."""
    app = make_test_app(InterviewSettings(count=1, seed=3))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"{HINT_PENALTY} points off" in transcript_text(app)
        assert f"{HINT_PENALTY} points" in palette(app)["Hint"]


async def test_mock_mode_offers_only_keys_that_work(make_test_app: AppFactory) -> None:
    """Item 7: no Hint nor Reference in the footer or the palette of a mock interview."""
    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        labels = footer_labels(app)
        assert "Hint" not in labels and "Reference" not in labels
        assert {"Submit", "Skip", "End", "Quit"} <= set(labels)
        assert not {"Hint", "Reference"} & set(palette(app))


async def test_will_be_graded_lines_go_once_graded(make_test_app: AppFactory) -> None:
    """Item 7: "It will be graded as soon as the model is ready" is not left once it is."""
    model_may_load = threading.Event()

    def slow_loader() -> KeywordGrader:
        model_may_load.wait(timeout=30)
        return KeywordGrader()

    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK), slow_loader)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#answer")
        editor.text = "an answer about pipelines"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert "will be graded" in transcript_text(app)
        model_may_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert "will be graded" not in transcript_text(app)


async def test_the_mock_summary_gives_verdicts_points_and_references(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Item 7: per question, the verdict, each key point covered or missed, the reference."""
    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        first = screen.interview.step.question
        await type_and_submit(app, pilot, first.key_points[0].en)
        await type_and_submit(app, pilot, "no idea really")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = " ".join(_plain(app.screen.query_one("#summary-body", Static)).split())
    assert "covered: " + first.key_points[0].en in text
    assert "missed: " + first.key_points[1].en in text
    assert "Off target" in text
    assert "Reference answer: " + " ".join(first.answer.en.split()) in text


def _record(store: SessionStore, session_id: int, order: int, **fields: Any) -> int:
    base: dict[str, Any] = {
        "question_text": "q",
        "reference_answer": "r",
        "category": "fundamentals",
        "answer": "a",
        "shown_at": NOW,
        "submitted_at": NOW,
    }
    return store.record_turn(session_id=session_id, order=order, **{**base, **fields})


def _grade(score: int) -> Grade:
    return Grade(
        score, Verdict.PARTIAL, [KeyPointResult("kp", "a key point", Coverage.MISSED, 0.1)]
    )


async def test_one_count_for_review_summary_and_progress(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Item 9: 3 questions asked (one skipped then answered, one skipped), 1 follow-up left
    ungraded: the review list, the summary and the session record agree."""
    from assistant.store.records import count_turns

    session_id = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
    )
    q1 = _record(store, session_id, 1, question_id="q1", grade=_grade(40))
    _record(store, session_id, 2, question_id="q1", follow_up_of=q1)  # ungraded follow-up
    _record(store, session_id, 3, question_id="q2", skipped=True, answer="")
    _record(store, session_id, 4, question_id="q3", skipped=True, answer="")
    _record(store, session_id, 5, question_id="q2", grade=_grade(60))
    store.finish_session(session_id, "completed")

    detail = store.get_session(session_id)
    assert detail is not None
    counts = detail.counts
    assert (counts.questions, counts.answered, counts.skipped) == (3, 2, 1)
    assert (counts.follow_ups, counts.answers, counts.graded) == (1, 3, 2)
    listed = store.list_sessions()[0]
    assert listed.counts == counts == summarize(detail, {}).counts == count_turns(detail.turns)
    questions_column = next(c for c in SESSION_COLUMNS if c.key == "questions")
    assert questions_column.cell(listed, "en") == "3"  # not 5 turns

    def no_model() -> KeywordGrader:
        raise RuntimeError("no model: the follow-up stays ungraded")

    app = make_test_app(grader_loader=no_model)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.push_screen(SummaryScreen(session_id))
        await pilot.pause()
        text = " ".join(_plain(app.screen.query_one("#summary-body", Static)).split())
    assert "3 question(s) asked, 1 follow-up(s), 1 skipped; 2 of 3 answer(s) graded" in text
    # The question skipped and asked again keeps its number: no "4." for 3 questions.
    assert " 2. 60 Partial q" in text and " 4. " not in text


async def test_reference_after_a_follow_up_is_about_what_was_answered(
    make_test_app: AppFactory,
) -> None:
    """Item 10: Ctrl+R after a follow-up shows its key point and the main question's
    reference, not the next question's."""
    app = make_test_app(InterviewSettings(count=2, seed=3))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        await type_and_submit(app, pilot, "nothing useful")
        follow_up = screen.interview.step.follow_up
        assert follow_up is not None
        await type_and_submit(app, pilot, "still nothing")
        following = screen.interview.step.question
        assert following.id != question.id  # the next main question is on screen
        before = transcript_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        shown = transcript_text(app)[len(before) :]
    assert question.key_point(follow_up.key_point).en in shown
    assert question.answer.en in shown
    assert following.answer.en not in shown


async def test_submit_is_in_the_command_palette(make_test_app: AppFactory) -> None:
    """Item 10: the editor's Ctrl+S is offered in the palette, and works from there."""
    app = make_test_app(InterviewSettings(count=2, seed=3))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        submit = next(c for c in app.get_system_commands(app.screen) if c.title == "Submit")
        app.screen.query_one("#answer").text = "an answer sent from the palette"  # type: ignore[attr-defined]
        app.call_later(submit.callback)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "an answer sent from the palette" in transcript_text(app)


async def test_the_mode_choice_fits_at_80_columns(
    make_test_app: AppFactory, settings: Settings
) -> None:
    """Item 10: the chosen mode is one line on the start screen at 80x24, in both languages."""
    for lang in ("en", "fr"):
        save_last_choices(settings.config_dir, InterviewSettings(lang=lang, mode=Mode.MOCK))
        app = make_test_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            mode = next(s for s in app.screen.query(Select) if s.value == "mock")
            label = mode.query_one("#label", Static)
            assert label.size.height == 1, (lang, str(label.render()))


async def test_quitting_before_any_answer_leaves_no_session_in_progress(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """Item 10: an interview quit with 0 answers does not stay "in progress" forever."""
    app = make_test_app(InterviewSettings(count=2, seed=3))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [s.status for s in store.list_sessions()] == [SessionStatus.IN_PROGRESS]
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert SessionStatus.IN_PROGRESS not in [s.status for s in store.list_sessions()]


async def test_an_empty_session_left_by_a_killed_run_is_dropped_at_start(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """Item 10: a run killed before the first answer left a session "in progress" with no
    turn; the next start drops it (one younger than an hour may be another window's)."""
    from assistant.app import EMPTY_SESSION_GRACE

    now = datetime.now(UTC)
    old = store.start_session(
        mode="practice",
        lang="en",
        settings={},
        model_id="m",
        bank_version="b",
        started_at=now - EMPTY_SESSION_GRACE - timedelta(minutes=1),
    )
    recent = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
    )
    app = make_app(
        settings,
        bank_report,
        lambda: open_store(settings.db),
        grader_loader=KeywordGrader,
        clock=FrozenClock(),
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    left = {s.id for s in store.list_sessions()}
    assert old not in left and recent in left


async def test_the_review_footer_speaks_the_session_language(
    make_test_app: AppFactory, settings: Settings
) -> None:
    """Item 1: after a French interview, the review screen's keys are French too."""
    save_last_choices(settings.config_dir, InterviewSettings(lang="fr"))
    app = make_test_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.show_review(then=app.exit)
        await pilot.pause()
        await pilot.pause()
        labels = footer_labels(app)
    assert {"Retour", "Trier", "Filtrer", "Supprimer", "Exporter", "Quitter"} <= set(labels)
    assert not {"Back", "Sort", "Filter", "Delete", "Export", "Quit"} & set(labels)


async def test_the_review_footer_speaks_the_candidates_own_last_language(
    make_test_app: AppFactory, settings: Settings
) -> None:
    """Choices are remembered per candidate: the review screen read the unnamed owner's only,
    and spoke English after a named candidate's French interview (found in tmux)."""
    save_last_choices(settings.config_dir, InterviewSettings(lang="fr"), settings.candidate)
    app = make_test_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        app.show_review(then=app.exit)
        await pilot.pause()
        await pilot.pause()
        labels = footer_labels(app)
    assert {"Retour", "Trier", "Filtrer", "Quitter"} <= set(labels)
