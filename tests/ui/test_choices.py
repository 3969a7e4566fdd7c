"""Where each choice comes from: flags win, the last session fills in, and the start screen says
which is which."""

from __future__ import annotations

from textual.widgets import Label, Select

from assistant.app import InterviewApp
from assistant.interview.choices import (
    ChoiceSource,
    command_line_choices,
    save_last_choices,
)
from assistant.interview.flow import InterviewSettings, Mode
from assistant.screens.start import StartScreen
from assistant.screens.summary import SummaryScreen
from assistant.settings import Settings
from tests.ui.conftest import AppFactory
from tests.ui.test_interview_pilot import interview_screen, type_and_submit


def labels(app: InterviewApp) -> dict[str, str]:
    """Each start-screen field's label as shown, by field name."""
    assert isinstance(app.screen, StartScreen)
    return {
        str(label.id).removesuffix("-label"): str(label.content)
        for label in app.screen.query(".choice-label").results(Label)
    }


def test_flags_win_and_only_count_language_and_mode_come_from_the_last_session(
    settings: Settings,
) -> None:
    save_last_choices(
        settings.config_dir,
        InterviewSettings(count=9, lang="fr", mode=Mode.MOCK, categories=("cloud",), difficulty=2),
    )

    choices = command_line_choices({"lang": "en", "seed": 3}, settings.config_dir)

    assert choices.settings == InterviewSettings(count=9, lang="en", mode=Mode.MOCK, seed=3)
    assert choices.source("lang") is ChoiceSource.COMMAND_LINE
    assert choices.from_last_session() == ["count", "mode"]
    assert choices.source("categories") is ChoiceSource.DEFAULT


async def test_first_start_screen_says_every_choice_is_a_default(
    make_test_app: AppFactory,
) -> None:
    app = make_test_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        shown = labels(app)
    assert set(shown) == {"subject", "categories", "difficulty", "count", "lang", "mode"}
    assert all(text.endswith("(default)") for text in shown.values()), shown


async def test_remembered_choices_are_marked_until_changed_on_the_form(
    make_test_app: AppFactory, settings: Settings
) -> None:
    save_last_choices(settings.config_dir, InterviewSettings(lang="fr", mode=Mode.MOCK))
    app = make_test_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert labels(app)["mode"] == "Mode (dernière session)"
        assert labels(app)["difficulty"] == "Difficulté (dernière session)"
        app.screen.query_one("#difficulty", Select).value = 2
        await pilot.pause()
        shown = labels(app)
    assert shown["difficulty"] == "Difficulté"  # the candidate's own choice now
    assert shown["lang"] == "Langue (dernière session)"


async def test_a_flag_interview_says_what_it_kept_and_the_start_screen_says_where_from(
    make_test_app: AppFactory, settings: Settings
) -> None:
    """`--questions 1` after a French mock session: the interview is French and mock, and says
    so; the start screen that follows marks the count as from the command line."""
    save_last_choices(settings.config_dir, InterviewSettings(lang="fr", mode=Mode.MOCK))
    choices = command_line_choices({"count": 1, "seed": 2}, settings.config_dir)
    app = make_test_app(choices)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await interview_screen(app, pilot)
        assert screen.interview.settings.lang == "fr"
        notes = [n.message for n in app._notifications]
        assert (
            "Repris de la dernière session : Français, blanc (à fixer avec --lang, --mode)."
            in notes
        ), notes
        await type_and_submit(app, pilot, "une réponse")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        shown = labels(app)
    assert shown["count"] == "Questions (ligne de commande)"
    assert shown["lang"] == "Langue (dernière session)"
    assert shown["categories"].endswith("(par défaut)")
