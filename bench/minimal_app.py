"""The baseline for bench/startup.py: a Textual app that shows one line and nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class OneLine(App[None]):
    """One line of text."""

    def compose(self) -> ComposeResult:
        yield Static("minimal app ready")


if __name__ == "__main__":
    OneLine().run()
