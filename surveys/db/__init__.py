"""The database: engines (``urls``, ``engine``), the Piccolo tables and migrations.

``tables`` is the schema; ``piccolo_app``/``piccolo_conf`` register it with
Piccolo as the app ``surveys`` (the name stored with every applied migration,
so it never changes) and ``piccolo_migrations/`` holds the migrations. May
import nothing else of ``surveys``: every domain package builds on this one.
"""

from __future__ import annotations

__all__: list[str] = []
