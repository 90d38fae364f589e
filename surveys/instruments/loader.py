"""Load and validate instrument files (TOML), and the built-in instruments."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from surveys.instruments.builtin import VERSIONS_DIR, builtin_paths
from surveys.instruments.languages import LANGUAGE_STATUSES, LANGUAGE_TAG_MAX, LANGUAGE_TAG_RE
from surveys.instruments.model import DECLINE_LABEL, Change, Instrument, Text
from surveys.instruments.parse import parse_option_sets, parse_sections
from surveys.instruments.reader import INSTRUMENT_ID_RE, InstrumentError, Problem, Reader
from surveys.instruments.refs import check_conditions, check_ids, parse_indicators

__all__ = [
    "build_instrument",
    "builtin_instruments",
    "builtin_versions",
    "load_instrument",
    "load_instrument_text",
    "validate_paths",
]

_TOP_KEYS = (
    "id",
    "version",
    "audience",
    "title",
    "intro",
    "languages",
    "decline_label",
    "option_sets",
    "sections",
    "indicators",
    "changes",
)
_LANGUAGES = ("da", "en")


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate one instrument file; raises ``InstrumentError`` listing all problems."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError(
            [Problem(str(path), None, f"cannot read file: {exc}")]
        ) from None
    return load_instrument_text(text, str(path))


def load_instrument_text(text: str, source: str) -> Instrument:
    """Load and validate instrument TOML held in a string; ``source`` names it in problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError([Problem(source, None, f"invalid TOML: {exc}")]) from None
    return build_instrument(data, source)


def build_instrument(data: Mapping[str, Any], source: str) -> Instrument:
    """Build an instrument from its file structure (parsed TOML or a snapshot dict)."""
    r = Reader(source)
    if not isinstance(data, Mapping):
        raise InstrumentError([Problem(source, None, "an instrument must be a table")])
    r.keys(dict(data), _TOP_KEYS, None, "the instrument")
    iid = r.ident(data.get("id"), None, "instrument", INSTRUMENT_ID_RE)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        r.problem(None, f"version must be a positive integer, not {version!r}")
    audience = data.get("audience")
    if audience not in ("pupil", "staff"):
        r.problem(None, f"audience must be 'pupil' or 'staff', not {audience!r}")
    languages, drafts = _languages(r, data.get("languages"))
    r.languages = languages
    title = r.text(dict(data), "title", None)
    intro = r.text(dict(data), "intro", None)
    decline = r.text(dict(data), "decline_label", None, required=False)
    r.decline_label = decline or Text.of(
        {lang: DECLINE_LABEL.get(lang) for lang in languages if DECLINE_LABEL.has(lang)}
    )
    sets = parse_option_sets(r, data.get("option_sets"))
    sections = parse_sections(r, data.get("sections"), sets)
    check_ids(r, sections)
    questions = [q for section in sections for q in section.questions]
    check_conditions(r, questions)
    indicators = parse_indicators(r, data.get("indicators"), questions)
    if decline is None and any(q.sensitive for q in questions):
        for lang in languages:
            if not DECLINE_LABEL.has(lang):
                r.problem(None, f"sensitive questions need 'Vil ikke svare' in {lang}: add decline_label with every language")
    changes = _changes(r, data.get("changes"), version)
    if r.problems or iid is None or title is None or intro is None:
        raise InstrumentError(r.problems)
    return Instrument(
        iid, version, audience, title, intro, sections, indicators, languages, drafts, decline, changes
    )


def _languages(r: Reader, value: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``languages = { da = "validated", uk = "draft", ... }`` (a plain list means all validated)."""
    if value is None:
        return _LANGUAGES, ()
    if isinstance(value, list):
        value = dict.fromkeys(value, "validated")
    if not isinstance(value, dict):
        r.problem(None, "languages must be a table: { da = \"validated\", en = \"validated\", uk = \"draft\" }")
        return _LANGUAGES, ()
    found: list[str] = []
    drafts: list[str] = []
    for tag, status in value.items():
        if not isinstance(tag, str) or len(tag) > LANGUAGE_TAG_MAX or not LANGUAGE_TAG_RE.fullmatch(tag):
            r.problem(None, f"languages: {tag!r} is not a BCP 47 language tag such as uk, ar or sr-Latn")
            continue
        if status not in LANGUAGE_STATUSES:
            r.problem(None, f"languages: {tag} must be \"validated\" or \"draft\", not {status!r}")
        found.append(tag)
        if status == "draft":
            drafts.append(tag)
    for required in _LANGUAGES:
        if required not in found:
            r.problem(None, f"languages must include {required}")
    ordered = (*_LANGUAGES, *(tag for tag in found if tag not in _LANGUAGES))
    return ordered, tuple(drafts)


def _changes(r: Reader, value: object, version: object) -> tuple[Change, ...]:
    """``[[changes]]``: what changed in each version after the first (for the codebook and report)."""
    if value is None:
        return ()
    changes = []
    for number, t in enumerate(r.tables(value, None, "changes"), 1):
        where = f"change {number}"
        r.keys(t, ("version", "text"), where, "change")
        at = r.integer(t, "version", where, "version")
        text = r.text(t, "text", where)
        if at is None or not isinstance(version, int) or not 2 <= at <= version:
            r.problem(where, f"a change's version must be from 2 to the instrument's version, not {at!r}")
        elif text is not None:
            changes.append(Change(at, text))
    return tuple(changes)


def _expand(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found: list[Path] = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return found


def _load_all(
    paths: Iterable[str | Path] | str | Path,
) -> tuple[list[Instrument], list[Problem]]:
    instruments: list[Instrument] = []
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    for path in _expand(paths):
        try:
            instrument = load_instrument(path)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        key = f"{instrument.id} version {instrument.version}"  # earlier versions may share the id
        if key in owners:
            problems.append(
                Problem(str(path), None, f"instrument id {instrument.id!r} is also used by {owners[key]}")
            )
        owners.setdefault(key, str(path))
        instruments.append(instrument)
    return instruments, problems


def validate_paths(paths: Iterable[str | Path] | str | Path) -> list[Problem]:
    """All problems in the given files (directories mean their ``*.toml``), incl. clashing ids."""
    return _load_all(paths)[1]


@functools.cache
def _builtins() -> tuple[Instrument, ...]:
    instruments, problems = _load_all([*builtin_paths(), *builtin_paths(VERSIONS_DIR)])
    if problems:
        raise InstrumentError(problems)
    return tuple(instruments)


def builtin_instruments() -> dict[str, Instrument]:
    """The newest version of each instrument shipped in ``surveys/instruments``, by id."""
    newest: dict[str, Instrument] = {}
    for instrument in _builtins():
        if instrument.id not in newest or instrument.version > newest[instrument.id].version:
            newest[instrument.id] = instrument
    return newest


def builtin_versions() -> list[Instrument]:
    """Every shipped version of every instrument (earlier ones live in ``builtin/versions/``)."""
    return sorted(_builtins(), key=lambda i: (i.id, i.version))
