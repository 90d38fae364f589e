"""Declarative questionnaires ("instruments"): the public API.

Import from here; the ``instrument_*`` modules are the implementation.
``python -m surveys.instrument FILE_OR_DIR ...`` checks files and prints every problem.
See ``docs/instrument-format.md`` for the file format.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from surveys.instrument_dict import instrument_from_dict, instrument_to_dict
from surveys.instrument_loader import (
    build_instrument,
    builtin_instruments,
    load_instrument,
    load_instrument_text,
    validate_paths,
)
from surveys.instrument_model import (
    DECLINE_CODE,
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
from surveys.instrument_reader import InstrumentError, Problem

__all__ = [
    "DECLINE_CODE",
    "DECLINE_LABEL",
    "QUESTION_TYPES",
    "TEXT_DEFAULT_LENGTH",
    "TEXT_MAX_LENGTH",
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
    "instrument_from_dict",
    "instrument_to_dict",
    "load_instrument",
    "load_instrument_text",
    "main",
    "validate_paths",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Check instrument files; print each problem, exit 1 if there are any."""
    paths = list(sys.argv[1:] if argv is None else argv)
    if not paths:
        print("usage: python -m surveys.instrument FILE_OR_DIR ...", file=sys.stderr)
        return 2
    problems = validate_paths(paths)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
