"""The CSV format for published reference figures (``trivsel reference import FILE``).

One figure a row, UTF-8 (a BOM is accepted), comma-separated (a header with
semicolons and no commas is read as semicolon-separated, as Danish Excel saves
it; decimal commas are accepted then). Columns, in any order:

* ``source`` (required): who published it, as the report should name it, e.g.
  ``Skolebørnsundersøgelsen (HBSC), hele landet``;
* ``year`` (required, 1990-2100): the year the figure describes;
* ``indicator`` (required): an indicator id of the instrument, e.g. ``har_proevet_hash``;
* ``value`` (required): a share in per cent (0-100) or a mean on the indicator's scale;
* ``n`` (optional): the number of respondents behind it;
* ``ci_low``, ``ci_high`` (optional, both or neither): its published 95 % interval.

A figure with an interval is compared with its uncertainty from the interval; a
share with only ``n`` with the binomial standard error; one with neither as an
exact value (:mod:`analysis.reference`). Every problem is reported as
``linje N, kolonne X: reason``; on any problem nothing is imported.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from surveys.errors import InvalidInput

__all__ = ["COLUMNS", "ReferenceFigure", "read_reference_csv"]

COLUMNS = ("source", "year", "indicator", "value", "n", "ci_low", "ci_high")
REQUIRED = ("source", "year", "indicator", "value")
YEAR_RANGE = (1990, 2100)
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class ReferenceFigure:
    """A published figure: shares in per cent, means in scale points."""

    source: str
    year: int
    indicator: str
    value: float
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.ci_low is None or self.ci_high is None else (self.ci_low, self.ci_high)


def _number(text: str, decimal_comma: bool) -> float | None:
    text = text.strip().replace("\u2212", "-")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _Problems(dict):
    count = 0

    def add(self, line: int, column: str | None, reason: str) -> None:
        self.count += 1
        if len(self) < MAX_PROBLEMS:
            self.setdefault(f"linje {line}" + (f", kolonne {column}" if column else ""), reason)


def _range(indicator: Any) -> tuple[float, float]:
    if indicator.kind == "share":
        return 0.0, 100.0
    return tuple(map(float, indicator.scale)) if indicator.scale else (-math.inf, math.inf)


def _figure(cells: Mapping[str, str], line: int, indicators: Mapping[str, Any], comma: bool, problems: _Problems):
    source = " ".join(cells.get("source", "").split())
    if not source:
        problems.add(line, "source", "kilden mangler")
    elif len(source) > 200:
        problems.add(line, "source", "kilden er for lang (højst 200 tegn)")
    year_text = cells.get("year", "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        problems.add(line, "year", f"{year_text!r} er ikke et årstal fra {YEAR_RANGE[0]} til {YEAR_RANGE[1]}")
    key = cells.get("indicator", "").strip()
    indicator = indicators.get(key)
    if indicator is None:
        problems.add(line, "indicator", f"indikatoren {key!r} findes ikke (kendte: {', '.join(sorted(indicators))})")
    numbers: dict[str, float | None] = {}
    for column in ("value", "ci_low", "ci_high"):
        text = cells.get(column, "").strip()
        numbers[column] = _number(text, comma) if text else None
        if text and numbers[column] is None:
            problems.add(line, column, f"{text!r} er ikke et tal")
    value, low, high = numbers["value"], numbers["ci_low"], numbers["ci_high"]
    if value is None and not cells.get("value", "").strip():
        problems.add(line, "value", "tallet mangler")
    if indicator is not None and value is not None:
        first, last = _range(indicator)
        if not first <= value <= last:
            what = "en andel i procent" if indicator.kind == "share" else "et gennemsnit på skalaen"
            problems.add(line, "value", f"{cells['value'].strip()} ligger uden for {first:g}–{last:g} ({what})")
    if (low is None) != (high is None):
        problems.add(line, "ci_high" if high is None else "ci_low", "intervallet skal have både ci_low og ci_high")
    elif low is not None and value is not None and not low <= value <= high:
        problems.add(line, "ci_low", f"intervallet {low:g}–{high:g} indeholder ikke tallet {value:g}")
    n_text = cells.get("n", "").strip()
    n = int(n_text) if n_text.isdigit() else None
    if n_text and (n is None or n < 1):
        problems.add(line, "n", f"{n_text!r} er ikke et positivt helt tal")
    if source and year and indicator is not None and value is not None:
        return ReferenceFigure(source, year, key, value, n, low, high)
    return None


def read_reference_csv(handle: IO[str], indicators: Mapping[str, Any]) -> list[ReferenceFigure]:
    """Parse and validate every row against ``indicators`` (id -> indicator); raise
    ``InvalidInput`` listing every problem (at most 50) if there is any."""
    first = handle.readline().lstrip("\ufeff")
    delimiter = ";" if ";" in first and "," not in first else ","
    header = [h.strip().lower() for h in next(csv.reader(io.StringIO(first), delimiter=delimiter), [])]
    problems = _Problems()
    for name in header:
        if name not in COLUMNS:
            problems.add(1, name, f"ukendt kolonne (kendte: {', '.join(COLUMNS)})")
    for name in REQUIRED:
        if name not in header:
            problems.add(1, name, "kolonnen mangler")
    if len(set(header)) != len(header):
        problems.add(1, None, "en kolonne står der to gange")
    if problems.count:
        raise InvalidInput("Overskriftslinjen passer ikke til formatet; intet er importeret.", dict(problems))
    figures: list[ReferenceFigure] = []
    seen: dict[tuple[str, int, str], int] = {}
    reader = csv.reader(handle, delimiter=delimiter)
    line = 2
    for cells in reader:
        if any(c.strip() for c in cells):
            if len(cells) != len(header):
                problems.add(line, None, f"{len(cells)} felter, men overskriften har {len(header)}")
            else:
                figure = _figure(dict(zip(header, cells)), line, indicators, delimiter == ";", problems)
                if figure is not None:
                    key = (figure.source, figure.year, figure.indicator)
                    if key in seen:
                        problems.add(line, None, f"samme kilde, år og indikator som linje {seen[key]}")
                    seen.setdefault(key, line)
                    figures.append(figure)
        line = reader.line_num + 2
    if problems.count:
        more = f" (de første {MAX_PROBLEMS} vises)" if problems.count > MAX_PROBLEMS else ""
        raise InvalidInput(f"{problems.count} fejl i filen{more}; intet er importeret.", dict(problems))
    if not figures:
        raise InvalidInput("Filen indeholder ingen tal; intet er importeret.", {})
    return figures
