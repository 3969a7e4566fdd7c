"""Text a person typed, made safe to show: characters that would act instead of show get a
visible stand-in.

An answer is stored exactly as typed, and may hold anything a paste can carry: an escape
sequence (`ESC[2J` clears a terminal that prints the report), a NUL, a carriage return that
hides what came before it, a bidirectional override that shows the rest of the line reversed.
Markdown, HTML and the screen show such a character as a symbol instead (␛ ␀ ␍, or ⟨U+202E⟩),
so what is seen is what is stored and nothing is run. JSON and CSV keep the text exactly.
"""

from __future__ import annotations

import re

_CONTROL_PICTURES = 0x2400
"""U+2400 (␀) onwards: one visible symbol per C0 control character, in order; U+2421 is ␡."""

_ACTING = re.compile(
    "\r\n"  # a line ending from Windows: shown as the line break it is
    r"|[\x00-\x08\x0b-\x1f\x7f]"  # C0 controls but tab and line feed; DEL
    r"|[\x80-\x9f]"  # C1 controls: 0x9b is a one-byte escape sequence start in some terminals
    r"|[\u2028\u2029]"  # line and paragraph separators: breaks that Markdown does not see
    r"|[\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides and isolates
)
"""Characters that act rather than show. Tab and line feed are layout and stay; so do the
right-to-left and left-to-right marks, which only nudge neutral characters in RTL text."""


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r\n":
        return "\n"
    code = ord(char)
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return "\u2421"
    return f"⟨U+{code:04X}⟩"


def visible(text: str) -> str:
    """`text` with every acting character replaced by a visible stand-in (see module doc)."""
    return _ACTING.sub(_stand_in, text)
