"""The candidate disagrees with a grade: in practice feedback, in the mock summary, on review."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant.app import InterviewApp
from assistant.grading.grade import Coverage
from assistant.interview.flow import InterviewSettings, Mode
from assistant.screens.disagree import AnswerPicker, DisagreeDialog, MarkList
from assistant.screens.interview import InterviewScreen
from assistant.screens.review import ReviewScreen, TurnCard
from assistant.screens.summary import SummaryScreen
from assistant.store import SessionStore, open_store
from assistant.store.records import DisputeStatus
from tests.ui.conftest import AppFactory, send_at_once
from tests.ui.test_interview_pilot import transcript_text, type_and_submit
from tests.ui.test_new_user import _plain


def _score_line(app: object) -> str:
    return str(app.screen.query_one("#disagree-score", Static).render())  # type: ignore[attr-defined]


async def test_practice_feedback_can_be_overruled_and_the_log_keeps_both(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=5, mode=Mode.PRACTICE))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        points = len(question.key_points)
        # An expert answer in the candidate's own words: the fake grader finds nothing in it.
        await type_and_submit(app, pilot, "Honestly I would say it depends.")
        assert "Ctrl+G" in transcript_text(app)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, DisagreeDialog)
        assert "grader: 0" in _score_line(app)
        # The first key point is covered (Space cycles from Missed to Contradicted, then back
        # round to Covered; "c" sets it at once), the second contradicted.
        await pilot.press("c")
        await pilot.press("down", "x")
        await pilot.pause()
        expected = round(100 * max(0.0, (1 - 1) / points))
        assert f"your grade: {expected}" in _score_line(app)
        await pilot.press("down")
        await pilot.press("space")  # Missed -> Contradicted
        await pilot.press("space")  # -> Covered (round again)
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await pilot.press(*"I named it")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        said = transcript_text(app)
        assert "Your grade," in said and "now counts" in said

    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    turn = detail.turns[0]
    assert turn.grade is not None and turn.grade.score == 0  # the machine's grade, kept
    assert turn.dispute is not None and turn.dispute.status is DisputeStatus.OPEN
    assert turn.dispute.reason == "I named it"
    marks = [p.status for p in turn.dispute.grade.key_points]
    assert marks[:2] == [Coverage.COVERED, Coverage.CONTRADICTED]
    if points > 2:
        assert marks[2] is Coverage.COVERED
    assert turn.score == turn.dispute.grade.score
    # The schedule took the candidate's grade.
    assert store.learning_states()[turn.question_id].last_score == turn.dispute.grade.score


async def test_the_mock_summary_offers_each_answer_and_shows_both_grades(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK, lang="fr"))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, "première réponse")
        await type_and_submit(app, pilot, "deuxième réponse")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, AnswerPicker)
        await pilot.press("down", "enter")  # the second answer
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DisagreeDialog)
        assert "correcteur" in _score_line(app)  # in the interview's language
        for _ in dialog.grade.key_points:
            await pilot.press("c", "down")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        body = " ".join(_plain(app.screen.query_one("#summary-body", Static)).split())
        assert "100" in body and "votre note" in body and "correcteur 0" in body

    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    first, second = detail.turns
    assert first.dispute is None
    assert second.dispute is not None and second.score == 100
    assert second.grade is not None and second.grade.score == 0
    assert store.list_sessions()[0].average_score == 50.0


async def test_on_review_a_settled_dispute_is_shown_and_cannot_be_reopened(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=1, seed=4, mode=Mode.MOCK))
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await type_and_submit(app, pilot, "an answer")
        await app.workers.wait_for_complete()
        await pilot.pause()
    session_id = store.list_sessions()[0].id
    detail = store.get_session(session_id)
    assert detail is not None
    [turn] = detail.turns
    assert turn.grade is not None
    marks = {p.id: Coverage.COVERED for p in turn.grade.key_points}
    dispute = store.dispute_turn(turn.id, marks, "all of it")
    assert dispute is not None
    with open_store(store.path, candidate="mia", mentors=frozenset({"mia"})) as mentor:
        mentor.settle_dispute(dispute.id, accept=False, note="not named")

    review = make_test_app()
    async with review.run_test(size=(100, 32)) as pilot:
        await review.workers.wait_for_complete()
        await pilot.pause()
        review.push_screen(ReviewScreen(session_id))
        await pilot.pause()
        await review.workers.wait_for_complete()
        await pilot.pause()
        screen = review.screen
        assert isinstance(screen, ReviewScreen)
        card = next(iter(screen.query(TurnCard)))
        text = " ".join(_plain(card).split())
        assert "Your grade: 100" in text and "all of it" in text
        assert "rejected by mia" in text and "not named" in text
        card.focus()
        await pilot.press("g")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(review.screen, ReviewScreen)  # no dialog: the ruling is final
    assert store.dispute_history(turn.id)[-1].status is DisputeStatus.REJECTED


async def open_marks_of_a_poor_answer(app: InterviewApp, pilot: Pilot[Any]) -> DisagreeDialog:
    """Answer the first practice question badly, then open its marks (Ctrl+G)."""
    await app.workers.wait_for_complete()
    await type_and_submit(app, pilot, "nothing useful")
    await pilot.press("ctrl+g")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, DisagreeDialog)
    return dialog


async def test_the_marks_dialog_cycles_every_mark(make_test_app: AppFactory) -> None:
    """Space walks covered, partly covered, missed, contradicted, and round again."""
    app = make_test_app(InterviewSettings(count=1, seed=5, mode=Mode.PRACTICE))
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = await open_marks_of_a_poor_answer(app, pilot)
        assert isinstance(app.focused, MarkList)
        first = dialog.grade.key_points[0].id
        seen = []
        for _ in range(4):
            await pilot.press("space")
            seen.append(dialog.marks[first])
        assert seen == [Coverage.CONTRADICTED, Coverage.COVERED, Coverage.PARTIAL, Coverage.MISSED]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


async def test_keys_sent_at_once_keep_their_order_in_the_marks_dialog(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    """A mark, Tab, the reason and Ctrl+S in one burst: the reason's letters are not marks."""

    app = make_test_app(InterviewSettings(count=1, seed=5, mode=Mode.PRACTICE))
    async with app.run_test(size=(100, 32)) as pilot:
        await open_marks_of_a_poor_answer(app, pilot)
        send_at_once(app, ["c", "down", "p", "tab", *"cmpx seen", "ctrl+s"])
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    [turn] = store.get_session(store.list_sessions()[0].id).turns  # type: ignore[union-attr]
    assert turn.dispute is not None and turn.dispute.reason == "cmpx seen"
    marks = [p.status for p in turn.dispute.grade.key_points]
    assert marks[:2] == [Coverage.COVERED, Coverage.PARTIAL]
    assert Coverage.CONTRADICTED not in marks
