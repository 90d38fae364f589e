"""Declarative questionnaires ("instruments"): the public API.

Import from here; the modules beside this one are the implementation: ``model``
(the dataclasses, with ``indicator`` and ``texts``), ``reader``/``parse``/``refs``/``loader``
(TOML to a checked ``Instrument``), ``snapshot`` (to and from the dict stored per version),
``versions`` (which indicators two versions ask alike) and ``catalog`` (the stored versions
in the database). ``builtin/`` holds the
instrument files shipped with trivsel. May import: ``surveys.errors``, and
``surveys.db`` in ``catalog`` only.

``python -m surveys.instruments FILE_OR_DIR ...`` checks files and prints every problem.
See ``docs/instrument-format.md`` for the file format.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from surveys.instruments.builtin import PUPIL_INSTRUMENT, STAFF_INSTRUMENT
from surveys.instruments.languages import (
    LANGUAGE_TAG_MAX,
    LANGUAGE_TAG_RE,
    language_name,
    text_direction,
)
from surveys.instruments.loader import (
    build_instrument,
    builtin_instruments,
    builtin_versions,
    load_instrument,
    load_instrument_text,
    validate_paths,
)
from surveys.instruments.model import (
    DECLINE_CODE,
    Change,
    DECLINE_LABEL,
    QUESTION_TYPES,
    TEXT_DEFAULT_LENGTH,
    TEXT_MAX_LENGTH,
    Condition,
    Indicator,
    Instrument,
    Item,
    Option,
    Question,
    Section,
    Target,
    Text,
    Variable,
)
from surveys.instruments.reader import InstrumentError, Problem
from surveys.instruments.snapshot import instrument_from_dict, instrument_to_dict

__all__ = [
    "DECLINE_CODE",
    "DECLINE_LABEL",
    "LANGUAGE_TAG_MAX",
    "LANGUAGE_TAG_RE",
    "PUPIL_INSTRUMENT",
    "QUESTION_TYPES",
    "STAFF_INSTRUMENT",
    "TEXT_DEFAULT_LENGTH",
    "TEXT_MAX_LENGTH",
    "Change",
    "Condition",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "Problem",
    "Question",
    "Section",
    "Target",
    "Text",
    "Variable",
    "build_instrument",
    "builtin_instruments",
    "builtin_versions",
    "instrument_from_dict",
    "instrument_to_dict",
    "language_name",
    "load_instrument",
    "load_instrument_text",
    "main",
    "text_direction",
    "validate_paths",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Check instrument files; print each problem, exit 1 if there are any."""
    paths = list(sys.argv[1:] if argv is None else argv)
    if not paths:
        print("usage: python -m surveys.instruments FILE_OR_DIR ...", file=sys.stderr)
        return 2
    problems = validate_paths(paths)
    for problem in problems:
        print(problem)
    return 1 if problems else 0
