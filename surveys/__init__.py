"""The survey domain, no HTTP: one package per part, small helpers beside them.

``db/`` (engines, tables, migrations), ``instruments/`` (questionnaires),
``answering/`` (links and the answering flow), ``accounts/`` (staff),
``organisation/`` (schools, classes, waves, theme days), ``responses/``
(imports, frames, synthetic data), and ``errors``, ``text``, ``hashing``,
``throttle`` and ``demo``. May import ``analysis``, never ``exports`` or ``server``.
"""

from __future__ import annotations

__all__: list[str] = []
