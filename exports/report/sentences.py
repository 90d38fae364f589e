"""The report's plain Danish sentences: what a council member reads and repeats.

All wording of the report's front page and summaries lives here, built from
the numbers of the results table (never computed anew): "Andelen, der har
været fuld inden for de seneste 30 dage, faldt fra 30 % i 2022 til 18 % i
2026", "mellem 16 og 20 %", the target in its target year and now, and the
comparison with a published national figure. Test names, p-values and design
effects never appear here; they are in the method appendix and the results
files. A change is called a fall or a rise only when the results table's
verdict says so (its adjusted test significant and its interval excluding 0);
otherwise the sentence says the figure is unchanged within the statistical
uncertainty, or names the change and says that it lies within what chance can
give ("efter korrektion for mange sammenligninger" when only the correction for
multiple testing makes it so). Numbers are printed with as many decimals as it
takes for them never to contradict the words: an interval that excludes 0 never
shows 0, a limit just above a target never shows as the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.wording import AFTER_CORRECTION, display_decimals, format_number

from .text import NBSP, range_decimals, value_text

__all__ = [
    "DEMO_NOTICE",
    "READING_GUIDE",
    "Estimate",
    "Verdict",
    "change_sentence",
    "difference_cell",
    "difference_words",
    "interval_words",
    "method_targets_and_figures",
    "reference_sentence",
    "subject",
    "target_sentences",
    "target_words",
]

DEMO_NOTICE = (
    "Demodata: tallene i denne rapport er opdigtede. De kommer fra syntetiske svar, som trivsels demo har lavet, "
    "og siger intet om virkelige elever. Mål og landstal er også eksempler."
)
READING_GUIDE = (
    "Tallene gælder hele kommunen. »Mellem 20 og 24 %« er det område, det sande tal med 95 % sikkerhed ligger i. "
    "Et fald eller en stigning nævnes kun, når tallene viser det. Metode og test står bagerst i rapporten."
)


def method_targets_and_figures(correction: str = "family") -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The appendix on the front page's wording, targets whose year has passed and published figures;
    ``correction`` as ``--correction`` ("family" or "report")."""
    adjusted = (
        "Testene justeres sammen med alle rapportens andre test (Benjamini-Hochbergs metode)."
        if correction == "report" else "Testene justeres samlet med Holms metode."
    )
    return (
        ("Mål, hvis år er passeret, og udviklingen på forsiden", (
            "Forsiden nævner et fald eller en stigning, når tendensen over årene (eller forskellen til basisåret) "
            "er signifikant; ellers står der, at tallet er uændret inden for den statistiske usikkerhed – eller, "
            "hvis tallene har flyttet sig meget, at ændringen ligger inden for, hvad tilfældigheder kan give "
            f"(\"{AFTER_CORRECTION}\", når ændringen kun er inden for tilfældighederne, fordi vi har "
            "korrigeret for, at rapporten rummer mange test).",
            "Et mål med et år, der er passeret, vurderes i målåret. Er der ingen måling fra det år, bruger vi den "
            "nærmeste måling og skriver hvilken. Derefter står, hvor tallet ligger i dag. Målene er kommunens egne "
            "(sat i konsollen under Mål og landstal); ellers gælder spørgeskemaets mål.",
        )),
        ("Landstal og andre offentliggjorte tal", (
            "Offentliggjorte tal (fx fra Skolebørnsundersøgelsen eller Ungeprofilen) vises med kilde og år. Vi "
            "tester, om kommunens tal i det seneste år afviger fra det nyeste tal fra hver kilde. Testen regner "
            "med usikkerheden på begge tal: kommunens fra dets sikkerhedsinterval og det offentliggjorte tals fra "
            "dets interval eller antal svar, når de er offentliggjort. Er de ikke, regnes tallet som sikkert. "
            f"{adjusted} Bemærk, at et landstal fra et andet år end kommunens også kan afvige, fordi tiden er gået.",
        )),
    )


# A non-significant change of at most this many display units (percentage
# points for shares, tenths for means) reads as "uændret".
_SMALL_UNITS = 2


@dataclass(frozen=True, slots=True)
class Estimate:
    """One shown estimate of the results table: year, value and interval, in display units
    (no interval, None, when every answer was the same)."""

    year: int
    value: float
    low: float | None
    high: float | None

    @property
    def limits(self) -> tuple[float, float]:
        """The interval, or the value twice when there is none (for a chart)."""
        return (self.value, self.value) if self.low is None or self.high is None else (self.low, self.high)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A target checked in one year: ``key`` is met, not_met or uncertain (analysis.target)."""

    key: str
    estimate: Estimate


def _decimals(share: bool) -> int:
    return 0 if share else 1


def interval_words(low: float | None, high: float | None, share: bool, against: float | None = None) -> str:
    """``mellem 20 og 26 %`` (or ``mellem 3,4 og 3,6`` for a mean); with ``against`` (a target)
    as many decimals as it takes for no limit to print as the target or across it; "alle svar er
    ens" without an interval."""
    if low is None or high is None:
        return "alle svar er ens"
    d = range_decimals(low, high, share)
    if against is not None:
        d = display_decimals((low, high), d, against=against)
    return f"mellem {format_number(low, d)} og {format_number(high, d)}" + (f"{NBSP}%" if share else "")


def subject(label: str, share: bool) -> str:
    """The sentence subject for an indicator label: "Andelen, der har prøvet at ryge hash" or
    "Gennemsnittet for skoletrivsel" (a parenthesis such as "(gennemsnit, 1–5)" dropped)."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return f"Andelen, der {text}" if share else f"Gennemsnittet for {text}"


def _comma(subject_text: str, share: bool) -> str:
    """A relative clause ends with a comma before the verb ("Andelen, der …, faldt")."""
    return subject_text + "," if share else subject_text


def _shown(value: float, share: bool, decimals: int | None = None) -> str:
    if decimals is None:
        return value_text(value, share)
    return format_number(value, decimals) + (f"{NBSP}%" if share else "")


def change_sentence(
    subject_text: str,
    share: bool,
    first: Estimate,
    last: Estimate,
    *,
    significant: bool | None,
    direction: float | None = None,
    after_correction: bool = False,
    not_tested: str = "",
) -> str:
    """The development from ``first`` to ``last`` in words.

    ``significant`` is the results table's verdict on the change (None: not
    tested, and ``not_tested`` the table's reason, e.g. "Ikke testet: færre end
    tre år med svar, der kan vises."); ``direction`` the sign of the tested
    change (a trend's slope), when it differs from last - first;
    ``after_correction`` when the change is significant on its own (its
    interval excludes 0) but not after the correction for multiple testing.
    """
    d = _decimals(share)
    a, b = format_number(first.value, d), format_number(last.value, d)
    decimals = None
    if a == b and (significant or after_correction):
        decimals = d + 1  # a change the interval shows that whole numbers would hide
    x, y = _shown(first.value, share, decimals), _shown(last.value, share, decimals)
    head = _comma(subject_text, share)
    moved = last.value - first.value
    verb = "faldt" if moved < 0 else "steg"
    span = f"fra {x} i {first.year} til {y} i {last.year}"
    if significant is None:
        why = re.sub(r"^Ikke testet:\s*", "", not_tested).rstrip(".")
        if not why:
            why = "Udviklingen er ikke testet"
        elif not why.startswith("Kan ikke"):
            why = f"Udviklingen er ikke testet: {why}"
        return f"{head} var {x} i {first.year} og {y} i {last.year}. {why}."
    if significant:
        if direction is not None and direction * moved <= 0:
            trend = "faldende" if direction < 0 else "stigende"
            return (
                f"{head} var {x} i {first.year} og {y} i {last.year}; "
                f"over alle årene er udviklingen {trend}."
            )
        return f"{head} {verb} {span}."
    if after_correction:
        if direction is not None and direction * moved <= 0:
            return (
                f"{head} var {x} i {first.year} og {y} i {last.year}; udviklingen over alle årene ligger inden for, "
                f"hvad tilfældigheder kan give, {AFTER_CORRECTION}."
            )
        noun = "faldet" if moved < 0 else "stigningen"
        return f"{head} {verb} {span}, men {noun} ligger inden for, hvad tilfældigheder kan give, {AFTER_CORRECTION}."
    units = abs(round(last.value, d) - round(first.value, d)) * 10**d
    if units <= _SMALL_UNITS + 1e-9:
        return f"{head} er uændret inden for den statistiske usikkerhed: {x} i {first.year} og {y} i {last.year}."
    noun = "faldet" if moved < 0 else "stigningen"
    return f"{head} {verb} {span}, men {noun} ligger inden for, hvad tilfældigheder kan give."


def target_words(op: str, value: float, share: bool, year: int | None) -> str:
    """``højst 25 % i 2020`` (``mindst 75 %`` without a year)."""
    word = {"<=": "højst", "<": "under", ">=": "mindst", ">": "over"}[op]
    return f"{word} {value_text(value, share)}" + (f" i {year}" if year else "")


_THEN = {
    "met": "målet blev nået",
    "not_met": "målet blev ikke nået",
    "uncertain": "det kan ikke afgøres, om målet blev nået (intervallet omfatter målet)",
}


def _now(key: str, *, still: bool = False, early: bool = False) -> str:
    """The verb phrase after "I 2026 …"."""
    if key == "uncertain":
        return "kan det ikke afgøres, om målet er nået (intervallet omfatter målet)"
    if key == "not_met" and early:
        return "er målet endnu ikke nået"
    return f"er målet{' stadig' if still else ''}{' ikke' if key == 'not_met' else ''} nået"


def _value(value: float, share: bool, target: float) -> str:
    """The value with as many decimals as it takes not to print as the target when it is not."""
    return _shown(value, share, display_decimals((value,), _decimals(share), against=target))


def _at(estimate: Estimate, share: bool, target: float) -> str:
    interval = interval_words(estimate.low, estimate.high, share, against=target)
    return f"{_value(estimate.value, share, target)} ({interval})"


def target_sentences(
    op: str,
    value: float,
    share: bool,
    target_year: int | None,
    latest: int,
    *,
    now: Verdict | None,
    then: Verdict | None = None,
) -> tuple[str, ...]:
    """The target in words: for a target year that has passed, whether it was met in that
    year (or in ``then.estimate.year``, the nearest year with data, saying so) and where
    it stands in ``latest``; otherwise where it stands now."""
    if target_year is None or target_year >= latest:
        goal = f"Målet er {target_words(op, value, share, target_year)}."
        if now is None:
            return (goal, f"Der er ikke noget tal at holde målet op imod i {latest}.")
        early = target_year is not None and target_year > latest
        return (goal, f"I {latest} {_now(now.key, early=early)}.")
    out = [f"Målet var {target_words(op, value, share, target_year)}."]
    if then is None:
        out.append(f"Der er ingen måling fra {target_year} eller årene omkring.")
    elif then.estimate.year == target_year:
        out.append(f"I {target_year} var tallet {_at(then.estimate, share, value)}: {_THEN[then.key]}.")
    else:
        out.append(
            f"Der er ingen måling fra {target_year}. I {then.estimate.year}, den nærmeste måling, var tallet "
            f"{_at(then.estimate, share, value)}: {_THEN[then.key]}."
        )
    if now is not None and (then is None or now.estimate.year != then.estimate.year):
        still = then is not None and then.key == now.key
        out.append(f"I {latest} {_now(now.key, still=still)}: {_value(now.estimate.value, share, value)}.")
    return tuple(out)


def _difference_decimals(low: float, high: float, share: bool) -> int:
    """Whole points for shares, one decimal for means, more when a limit would print as 0 or across it."""
    return display_decimals((low, high), _decimals(share))


def difference_words(diff: float, low: float, high: float, share: bool) -> str:
    """``forskel 4 procentpoint, mellem 1 og 7`` (whole points for shares, one decimal for means;
    more where an interval that excludes 0 would print 0)."""
    d = _difference_decimals(low, high, share)
    unit = "procentpoint" if share else "point"
    return f"forskel {format_number(diff, d)} {unit}, mellem {format_number(low, d)} og {format_number(high, d)}"


def difference_cell(diff: float, low: float, high: float, share: bool) -> str:
    """A difference and its interval for a table column headed "Forskel (95 % CI)": ``−1 (−7 til 6)``."""
    d = _difference_decimals(low, high, share)
    return f"{format_number(diff, d)} ({format_number(low, d)} til {format_number(high, d)})"


def reference_sentence(
    source: str,
    year: int,
    value: float,
    share: bool,
    *,
    diff: float | None,
    low: float | None,
    high: float | None,
    significant: bool | None,
    ours: int,
    after_correction: bool = False,
) -> str:
    """The published figure named by source and year, and whether the municipality differs from it
    (``after_correction`` as in :func:`change_sentence`)."""
    head = f"{source} {year}: {value_text(value, share)}."
    if diff is None or low is None or high is None or significant is None:
        return head
    words = difference_words(diff, low, high, share)
    if significant and diff != 0:
        where = "højere" if diff > 0 else "lavere"
        text = f"{head} Kommunen ligger i {ours} signifikant {where} ({words})."
    else:
        after = f", {AFTER_CORRECTION}" if after_correction else ""
        text = f"{head} Forskellen til kommunen i {ours} ligger inden for, hvad tilfældigheder kan give{after} ({words})."
    return text

