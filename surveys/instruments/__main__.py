"""``python -m surveys.instruments FILE_OR_DIR ...``: check instrument files, print every problem."""

from __future__ import annotations

from surveys.instruments import main

__all__: list[str] = []

raise SystemExit(main())
