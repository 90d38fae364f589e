"""The CSV format for responses: written by exports and ``trivsel demo-data --csv``,
read by ``trivsel import responses``. Defined once here.

One row per response, UTF-8 (a BOM is accepted), comma-separated (a header
with semicolons and no commas is read as semicolon-separated, as Danish Excel
saves it). Columns, in this order:

* ``year`` (required, 1990-2100), ``school`` (required, the school's name),
  ``class`` (the class name, may be empty), ``grade`` (0-13 or empty),
  ``language`` (a BCP 47 tag such as ``da``, ``en``, ``uk`` or ``ar``; empty = ``da``);
* then one column per variable of the instrument (``Instrument.variables()``,
  in questionnaire order): single, likert and matrix items hold the option code
  (98 = "Vil ikke svare" on sensitive questions), multi questions one 0/1
  column per option named ``<question>_<code>``, scale and number questions the
  number, text questions the text. An empty cell means "not answered".

Reading validates every row and reports every problem as
``linje N, kolonne X: reason`` (line 1 is the header). Variable columns may be
left out (older years asked fewer questions); unknown columns are errors.
Text cells that begin with ``= + - @`` or a tab/CR are written with a leading
apostrophe (so spreadsheets do not run them as formulas) and read back without it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from surveys.errors import InvalidInput
from surveys.instruments import LANGUAGE_TAG_MAX, LANGUAGE_TAG_RE, Instrument, Question, Variable

__all__ = [
    "CONTEXT_COLUMNS",
    "CsvResponse",
    "csv_columns",
    "read_responses_csv",
    "write_responses_csv",
]

CONTEXT_COLUMNS = ("year", "school", "class", "grade", "language")
YEAR_RANGE = (1990, 2100)
MAX_PROBLEMS = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvResponse:
    """One response as the CSV holds it: context and canonical answers."""

    year: int
    school: str
    class_name: str = ""
    grade: int | None = None
    language: str = "da"
    answers: dict[str, object] = field(default_factory=dict)


def csv_columns(instrument: Instrument) -> list[str]:
    """The header: context columns, then every variable in questionnaire order."""
    return [*CONTEXT_COLUMNS, *(v.name for v in instrument.variables())]


def _escape(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def write_responses_csv(handle: IO[str], instrument: Instrument, responses: Iterable[CsvResponse]) -> int:
    """Write the header and one row per response; return the number of rows."""
    variables = instrument.variables()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(csv_columns(instrument))
    count = 0
    for r in responses:
        cells = [str(r.year), _escape(r.school), _escape(r.class_name), "" if r.grade is None else str(r.grade), r.language]
        for v in variables:
            value = r.answers.get(v.name)
            cells.append("" if value is None else _escape(value) if v.kind == "text" else str(value))
        writer.writerow(cells)
        count += 1
    return count


class _Problems:
    def __init__(self) -> None:
        self.items: dict[str, str] = {}
        self.count = 0

    def add(self, line: int, column: str | None, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            key = f"linje {line}" + (f", kolonne {column}" if column else "")
            self.items.setdefault(key, reason)


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _check_header(header: list[str], known: dict[str, Variable], problems: _Problems) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.add(1, name, "kolonnen står der to gange")
        elif name not in known and name not in CONTEXT_COLUMNS:
            problems.add(1, name, "ukendt kolonne (hverken en kontekstkolonne eller en variabel i spørgeskemaet)")
        seen.add(name)
    for name in ("year", "school"):
        if name not in seen:
            problems.add(1, name, "kolonnen mangler")


def _value(v: Variable, q: Question, text: str, line: int, problems: _Problems) -> object:
    if v.kind == "text":
        text = _unescape(text)
        limit = q.max_length or 500
        if len(text) > limit:
            problems.add(line, v.name, f"teksten er {len(text)} tegn (højst {limit})")
        return text
    number = _integer(text)
    if v.kind == "codes01":
        if number not in (0, 1):
            problems.add(line, v.name, f"{text!r} skal være 0 eller 1")
        return number
    if v.kind == "code":
        codes = [o.code for o in v.value_labels]
        if number is None:
            problems.add(line, v.name, f"{text!r} er ikke en kode (gyldige: {', '.join(map(str, codes))})")
        elif number not in codes:
            problems.add(line, v.name, f"koden {number} findes ikke (gyldige: {', '.join(map(str, codes))})")
        return number
    low, high = q.value_range() or (None, None)
    if number is None:
        problems.add(line, v.name, f"{text!r} er ikke et helt tal")
    elif low is not None and high is not None and not low <= number <= high:
        problems.add(line, v.name, f"{number} ligger uden for {low}–{high}")
    return number


def _context(cells: dict[str, str], line: int, problems: _Problems) -> tuple[int, str, str, int | None, str]:
    year = _integer(cells.get("year", ""))
    if year is None:
        problems.add(line, "year", f"{cells.get('year', '')!r} er ikke et årstal")
    elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        problems.add(line, "year", f"årstallet {year} ligger uden for {YEAR_RANGE[0]}–{YEAR_RANGE[1]}")
    school = " ".join(_unescape(cells.get("school", "")).split())
    if not school:
        problems.add(line, "school", "skolens navn mangler")
    elif len(school) > 200:
        problems.add(line, "school", "skolens navn er for langt (højst 200 tegn)")
    class_name = " ".join(_unescape(cells.get("class", "")).split())
    if len(class_name) > 100:
        problems.add(line, "class", "klassens navn er for langt (højst 100 tegn)")
    grade_text = cells.get("grade", "")
    grade = _integer(grade_text) if grade_text else None
    if grade_text and (grade is None or not 0 <= grade <= 13):
        problems.add(line, "grade", f"klassetrin skal være et helt tal fra 0 til 13, ikke {grade_text!r}")
    language = cells.get("language", "") or "da"
    if len(language) > LANGUAGE_TAG_MAX or not LANGUAGE_TAG_RE.fullmatch(language):
        problems.add(line, "language", f"sproget skal være en sprogkode som da, en, uk eller ar, ikke {language!r}")
    return year or 0, school, class_name, grade, language


def _rows(handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
    first = handle.readline().lstrip("\ufeff")
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(first), delimiter=delimiter)
    yield 1, next(reader, [])
    reader = csv.reader(handle, delimiter=delimiter)
    previous = 0
    for cells in reader:
        yield 2 + previous, cells  # the line the record starts on
        previous = reader.line_num


def read_responses_csv(
    handle: IO[str], instrument: Instrument, *, schools: Container[str] | None = None
) -> list[CsvResponse]:
    """Parse and validate every row; raise ``InvalidInput`` listing the problems
    (at most 50, with the total in the message) if there is any. With
    ``schools``, a school name not in it is a problem (reported on its first line)."""
    variables = {v.name: v for v in instrument.variables()}
    questions = {v.name: instrument.question(v.question_id) for v in variables.values()}
    problems = _Problems()
    rows = _rows(handle)
    _, header = next(rows)
    header = [h.strip() for h in header]
    _check_header(header, variables, problems)
    if problems.count:
        raise InvalidInput("Overskriftslinjen passer ikke til spørgeskemaet; intet er importeret.", problems.items)
    multi: dict[str, list[str]] = {}
    for name in header:
        if name in variables and variables[name].kind == "codes01":
            multi.setdefault(variables[name].question_id, []).append(name)
    responses: list[CsvResponse] = []
    unknown: set[str] = set()
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.add(line, None, f"{len(cells)} felter, men overskriften har {len(header)}")
            continue
        by_name = dict(zip(header, (c.strip() if h != "class" else c for h, c in zip(header, cells))))
        year, school, class_name, grade, language = _context(by_name, line, problems)
        if schools is not None and school and school not in schools and school not in unknown:
            unknown.add(school)
            problems.add(line, "school", f"skolen {school!r} findes ikke (brug --create-schools for at oprette den)")
        answers: dict[str, object] = {}
        for name, text in by_name.items():
            if name in variables and text != "":
                answers[name] = _value(variables[name], questions[name], text, line, problems)
        for qid, names in multi.items():
            given = [n for n in names if by_name[n] != ""]
            if given and len(given) != len(names):
                for n in names:
                    if by_name[n] == "":
                        problems.add(line, n, f"mangler: når {qid} er besvaret, skal alle dens kolonner være 0 eller 1")
        responses.append(CsvResponse(year, school, class_name, grade, language, answers))
    if problems.count:
        more = f" (de første {MAX_PROBLEMS} vises)" if problems.count > MAX_PROBLEMS else ""
        raise InvalidInput(f"{problems.count} fejl i filen{more}; intet er importeret.", problems.items)
    if not responses:
        raise InvalidInput("Filen indeholder ingen besvarelser; intet er importeret.", {})
    return responses
