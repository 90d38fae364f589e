"""Who is asking: the municipality's name, logo text, privacy notice and help contacts on every
pupil page, read at most every few seconds per process (a ``before_request`` hook keeps a copy on
the app's state, so rendering stays synchronous)."""

from __future__ import annotations

import asyncio
import time

from litestar import Request

from surveys.organisation.municipality import Municipality, municipality_from_row

__all__ = ["REFRESH_S", "forget_profile", "profile_of", "refresh_profile"]

REFRESH_S = 5.0


async def refresh_profile(request: Request) -> None:
    """Reload the municipality's settings when the copy is older than ``REFRESH_S``."""
    state = request.app.state
    for _ in range(3):  # again if the settings were saved while they were being read
        loaded = getattr(state, "profile_loaded", None)
        now = time.monotonic()
        if loaded is not None and now - loaded <= REFRESH_S:
            return
        # One read for all the requests that find the copy old at once (a class arriving together).
        reading = getattr(state, "profile_reading", None)
        if reading is None or reading.done() or reading.get_loop() is not asyncio.get_running_loop():
            saves = getattr(state, "profile_saves", 0)
            reading = state.profile_reading = asyncio.ensure_future(_read(state, now, saves))
        await asyncio.shield(reading)


async def _read(state, now: float, saves: int) -> None:
    # through the answer store: its connections belong to the app, wherever the app runs
    profile = municipality_from_row(await state.answering.organisation())
    if getattr(state, "profile_saves", 0) == saves:  # else a save came meanwhile: this copy may be older
        state.profile, state.profile_loaded = profile, now


def profile_of(request: Request) -> Municipality | None:
    """The copy :func:`refresh_profile` keeps (None before the first pupil request)."""
    return getattr(request.app.state, "profile", None)


def forget_profile(request: Request) -> None:
    """After the settings were saved: this process reads them again at its next pupil request
    (other processes within ``REFRESH_S``)."""
    state = request.app.state
    state.profile_loaded = state.profile_reading = None
    state.profile_saves = getattr(state, "profile_saves", 0) + 1
