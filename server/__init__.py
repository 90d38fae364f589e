"""The web app and the command line: ``app`` (``create_app``), ``pupil/`` (the answering
flow), ``console/`` (the staff console), ``cli/`` (the ``trivsel`` command), error pages,
middleware and settings. The only package that imports Litestar; may import
``exports``, ``surveys`` and ``analysis``."""

from __future__ import annotations

__all__: list[str] = []
