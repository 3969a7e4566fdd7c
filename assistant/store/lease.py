"""How long an open session stays held by its window (a light module: the screens import it
before the store is loaded)."""

from __future__ import annotations

from datetime import timedelta

LEASE = timedelta(seconds=45)
"""How long an open session stays held without a renewal. A window renews it every `LEASE / 3`
while open, so a window that died (killed, crashed, machine asleep) frees it within this time,
and a live one does not lose it to one slow write."""
