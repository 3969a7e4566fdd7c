"""The start screen: choose subject, categories, difficulty, length, language and mode."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, SelectionList, Static

from assistant.interview.choices import CHOICE_FIELDS, ChoiceSource
from assistant.interview.flow import InterviewSettings, Mode
from assistant.interview.lines import line
from assistant.knowledge.models import Lang
from assistant.screens.bindings import relabel_bindings
from assistant.widgets.keys_in_order import OrderedInput

if TYPE_CHECKING:
    from assistant.app import InterviewApp


_LABEL_KEYS = ("subject", "categories", "difficulty", "questions", "language", "mode")
"""The label of each of CHOICE_FIELDS, in the same order."""

MAX_NAME_LENGTH = 64
"""The longest candidate name accepted (it is shown in lists and reports)."""


def name_problem(name: str) -> str | None:
    """The `line` key saying what is wrong with a candidate name, or None when it will do."""
    if not name.strip():
        return "bad_name_empty"
    if len(name.strip()) > MAX_NAME_LENGTH:
        return "bad_name_long"
    if not name.isprintable():
        return "bad_name_chars"
    return None


@dataclass(frozen=True)
class StartChoice:
    """What the candidate chose on the start screen."""

    action: Literal["start", "resume", "discard", "review"]
    settings: InterviewSettings | None = None
    candidate: str | None = None
    """The name typed on the start screen (served in a browser only)."""


class StartScreen(Screen[StartChoice]):
    """Choices for the next interview; remembers the last ones."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="start.start", priority=True),
        Binding("ctrl+v", "review", "Review", id="start.review"),
        Binding("ctrl+l", "toggle_lang", "English/Français", id="start.lang"),
        Binding("ctrl+r", "resume", "Resume", id="start.resume", show=False),
    ]

    lang: reactive[Lang] = reactive("en", recompose=True)

    def __init__(
        self,
        initial: InterviewSettings,
        *,
        resume_offer: str | None = None,
        resume_elsewhere: bool = False,
        sources: Mapping[str, ChoiceSource] | None = None,
        ask_name: bool = False,
        name: str = "",
    ) -> None:
        super().__init__()
        self.ask_name = ask_name
        """Ask who takes the interview (served in a browser; a terminal is one user's)."""
        self.candidate_name = name
        """The name typed so far (kept when the form is rebuilt in another language)."""
        self.choice = initial
        self.initial = initial
        """The choices offered at first; a choice still equal to it is shown with its source."""
        self.sources = dict(sources or {})
        """Where each initial choice came from (absent: the defaults)."""
        self.resume_offer = resume_offer
        self.resume_elsewhere = resume_elsewhere
        """The unfinished interview is open in another window: said, not offered."""
        self.set_reactive(StartScreen.lang, initial.lang)

    @property
    def coach(self) -> InterviewApp:
        """The app, typed."""
        from assistant.app import InterviewApp

        assert isinstance(self.app, InterviewApp)
        return self.app

    def compose(self) -> ComposeResult:
        lang = self.lang
        bank = self.coach.bank
        subjects = sorted({p.header.subject for p in bank.packs})
        subject = self.choice.subject if self.choice.subject in subjects else None
        subject = subject or (subjects[0] if subjects else None)
        cats = [
            c
            for c in sorted(bank.categories.values(), key=lambda c: c.stage)
            if any(q.category == c.id for q in bank.summaries.values())
        ]
        yield Static(line("app_title", lang), id="title", markup=False)
        if self.resume_offer:
            with Horizontal(id="resume-bar"):
                yield Static(self.resume_offer, markup=False, id="resume-text")
                if not self.resume_elsewhere:
                    yield Button(line("resume", lang), id="resume", variant="warning")
                    yield Button(line("discard", lang), id="discard")
        with Horizontal(id="form"):
            with Vertical(id="form-left"):
                if self.ask_name:
                    yield Label(line("candidate_name", lang), id="candidate-label", markup=False)
                    yield OrderedInput(
                        self.candidate_name,
                        placeholder=line("candidate_name", lang),
                        max_length=MAX_NAME_LENGTH,
                        id="candidate",
                    )
                yield self._choice_label("subject", "subject")
                yield Select(
                    [(s, s) for s in subjects],
                    value=subject if subject else Select.NULL,
                    allow_blank=not subjects,
                    id="subject",
                )
                yield self._choice_label("difficulty", "difficulty")
                yield Select(
                    [(line("any", lang), 0), ("1", 1), ("2", 2), ("3", 3)],
                    value=self.choice.difficulty or 0,
                    allow_blank=False,
                    id="difficulty",
                )
                yield self._choice_label("count", "questions")
                yield OrderedInput(str(self.choice.count), type="integer", id="count")
                yield self._choice_label("lang", "language")
                yield Select(
                    [("English", "en"), ("Français", "fr")],
                    value=lang,
                    allow_blank=False,
                    id="lang",
                )
                yield self._choice_label("mode", "mode")
                yield Select(
                    [(line("practice", lang), "practice"), (line("mock", lang), "mock")],
                    value=self.choice.mode.value,
                    allow_blank=False,
                    id="mode",
                )
            with Vertical(id="form-right"):
                yield self._choice_label("categories", "categories")
                yield SelectionList[str](
                    *[(c.title.get(lang), c.id, c.id in self.choice.categories) for c in cats],
                    id="categories",
                )
                yield Static(id="form-error", markup=False)
                with Horizontal(id="start-buttons"):
                    yield Button(line("start", lang), id="start", variant="primary")
                    yield Button(line("review", lang), id="review")
        yield Footer()

    def _values(self, settings: InterviewSettings) -> dict[str, object]:
        """The shown value of each choice (a subject not loaded shows as the first one)."""
        subjects = sorted({p.header.subject for p in self.coach.bank.packs})
        subject = settings.subject if settings.subject in subjects else None
        return {
            "subject": subject or (subjects[0] if subjects else None),
            "categories": sorted(settings.categories),
            "difficulty": settings.difficulty,
            "count": settings.count,
            "lang": settings.lang,
            "mode": settings.mode,
        }

    def _source_text(self, name: str, current: InterviewSettings) -> str:
        """'(last session)' and the like while the choice is unchanged, else nothing."""
        if self._values(current)[name] != self._values(self.initial)[name]:
            return ""
        source = self.sources.get(name, ChoiceSource.DEFAULT)
        return line(f"from_{source.value}", self.lang)

    def _choice_label(self, name: str, key: str) -> Label:
        """A field's label with where its choice came from, dimmed."""
        label = Label(id=f"{name}-label", classes="choice-label", markup=False)
        label.update(self._label_text(key, self._source_text(name, self.choice)))
        return label

    def _label_text(self, key: str, source: str) -> Text:
        text = Text(line(key, self.lang))
        if source:
            text.append(" ")
            text.append(source, style="dim italic")
        return text

    @on(Select.Changed)
    @on(Input.Changed, "#count")
    @on(SelectionList.SelectedChanged)
    def update_sources(self) -> None:
        """A choice changed on the form is the candidate's own: its source is no longer shown."""
        if not self.is_mounted:
            return
        current = self._read()
        keys = dict(zip(CHOICE_FIELDS, _LABEL_KEYS, strict=True))
        for name, key in keys.items():
            for label in self.query(f"#{name}-label").results(Label):
                label.update(self._label_text(key, self._source_text(name, current)))

    def watch_lang(self, lang: Lang) -> None:
        """Footer labels follow the form's language."""
        relabel_bindings(self, {"start": "start", "review": "review", "resume": "resume"}, lang)

    def on_mount(self) -> None:
        self.watch_lang(self.lang)
        if self.ask_name and not self.candidate_name:
            self.query_one("#candidate", Input).focus()  # nothing starts without it
        else:
            # With an unfinished interview on offer, Enter resumes it.
            self.query_one("#resume" if self._resumable else "#start", Button).focus()
        self.call_after_refresh(self.coach.start_background_work)

    @property
    def _resumable(self) -> bool:
        """An unfinished interview is on offer, and no other window has it open."""
        return bool(self.resume_offer) and not self.resume_elsewhere

    def offer_resume(self, text: str, elsewhere: bool = False) -> None:
        """Show the offer to resume an unfinished interview (once the log is open); when
        another window has it open, only say so."""
        self.resume_offer = text
        self.resume_elsewhere = elsewhere
        if not self.query("#resume-bar"):
            self.choice = self._read()  # keep what was already changed on the form
            self.call_later(self._show_resume_offer)

    async def _show_resume_offer(self) -> None:
        """Rebuild the form with the offer, then focus its button (Enter resumes).

        Awaited, not scheduled after a refresh: the button is focused once it exists, however
        late the rebuild runs on a busy machine (and not at all if the screen has gone).
        """
        if not self.is_attached:
            return
        await self.recompose()
        for button in self.query("#resume").results(Button):
            button.focus()

    @on(Input.Changed, "#candidate")
    def remember_name(self, event: Input.Changed) -> None:
        """Keep the name typed, for a form rebuilt in the other language."""
        self.candidate_name = event.value

    @on(Select.Changed, "#lang")
    def switch_language(self, event: Select.Changed) -> None:
        """Relabel everything in the chosen language, keeping the other choices."""
        if event.value in ("en", "fr") and event.value != self.lang:
            self.choice = self._read(lang=event.value)  # type: ignore[arg-type]
            self.lang = event.value  # type: ignore[assignment]

    def action_toggle_lang(self) -> None:
        """Switch between English and French."""
        new: Lang = "fr" if self.lang == "en" else "en"
        self.choice = self._read(lang=new)
        self.lang = new

    def _read(self, lang: Lang | None = None) -> InterviewSettings:
        """The form's current values (count falls back to the last valid one)."""
        count_text = self.query_one("#count", Input).value.strip()
        count = int(count_text) if count_text.isdigit() else self.choice.count
        difficulty = self.query_one("#difficulty", Select).value
        mode = self.query_one("#mode", Select).value
        subject = self.query_one("#subject", Select).value
        return InterviewSettings(
            count=count,
            categories=tuple(self.query_one("#categories", SelectionList).selected),
            difficulty=difficulty if difficulty in (1, 2, 3) else None,  # type: ignore[arg-type]
            lang=lang or self.lang,
            mode=Mode(mode) if mode in ("practice", "mock") else Mode.PRACTICE,
            seed=self.choice.seed,
            subject=subject if isinstance(subject, str) else None,
        )

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start an interview with these choices."""
        count_text = self.query_one("#count", Input).value.strip()
        error = self.query_one("#form-error", Static)
        if not count_text.isdigit() or not 1 <= int(count_text) <= 50:
            error.update(line("bad_count", self.lang))
            return
        settings = self._read()
        if not self.coach.candidate_questions(settings):
            error.update(line("no_questions", self.lang))
            return
        if not self._name_given():
            return
        self.dismiss(StartChoice("start", settings, self._candidate()))

    def _typed_name(self) -> str:
        """The name field's text now (its Changed message may not have arrived yet)."""
        return self.query_one("#candidate", Input).value

    def _candidate(self) -> str | None:
        """The name typed, trimmed; None when the screen does not ask for one."""
        return self._typed_name().strip() if self.ask_name else None

    def _name_given(self) -> bool:
        """True when no name is asked for, or a good one is typed; else say what is wrong."""
        if not self.ask_name:
            return True
        problem = name_problem(self._typed_name())
        if problem is None:
            return True
        self.query_one("#form-error", Static).update(line(problem, self.lang, max=MAX_NAME_LENGTH))
        self.query_one("#candidate", Input).focus()
        return False

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        """Open the review screen (served: only once a name says whose sessions to show)."""
        if self._name_given():
            self.dismiss(StartChoice("review", candidate=self._candidate()))

    @on(Button.Pressed, "#resume")
    def action_resume(self) -> None:
        """Continue the unfinished interview, when one is on offer."""
        if self._resumable and self._name_given():
            self.dismiss(StartChoice("resume", candidate=self._candidate()))

    @on(Button.Pressed, "#discard")
    def discard(self) -> None:
        """Mark the unfinished interview abandoned and hide the offer."""
        self.resume_offer = None
        self.coach.discard_unfinished()
        self.query_one("#resume-bar").remove()
