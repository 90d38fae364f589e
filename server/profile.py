"""Who is asking: the municipality's name, logo text, privacy notice and help contacts on every
pupil page, read at most every few seconds per process (a ``before_request`` hook keeps a copy on
the app's state, so rendering stays synchronous)."""

from __future__ import annotations

import time

from litestar import Request

from surveys.organisation.municipality import Municipality, municipality_from_row

__all__ = ["REFRESH_S", "forget_profile", "profile_of", "refresh_profile"]

REFRESH_S = 5.0


async def refresh_profile(request: Request) -> None:
    """Reload the municipality's settings when the copy is older than ``REFRESH_S``."""
    state = request.app.state
    loaded = getattr(state, "profile_loaded", None)
    now = time.monotonic()
    if loaded is None or now - loaded > REFRESH_S:
        # through the answer store: its connections belong to the app, wherever the app runs
        state.profile = municipality_from_row(await state.answering.organisation())
        state.profile_loaded = now


def profile_of(request: Request) -> Municipality | None:
    """The copy :func:`refresh_profile` keeps (None before the first pupil request)."""
    return getattr(request.app.state, "profile", None)


def forget_profile(request: Request) -> None:
    """After the settings were saved: this process reads them again at its next pupil request
    (other processes within ``REFRESH_S``)."""
    request.app.state.profile_loaded = None
