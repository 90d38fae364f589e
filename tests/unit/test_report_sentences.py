"""The report's plain sentences (exports.report.sentences)."""

from __future__ import annotations

import pytest

from exports.report.sentences import (
    Estimate,
    Verdict,
    change_sentence,
    interval_words,
    reference_sentence,
    subject,
    target_sentences,
)

NB = "\u00a0"


def test_interval_and_subject_in_plain_words() -> None:
    assert interval_words(20.4, 26.2, True) == f"mellem 20 og 26{NB}%"
    assert interval_words(3.44, 3.61, False) == "mellem 3,4 og 3,6"
    assert subject("Har prøvet at ryge hash", True) == "Andelen, der har prøvet at ryge hash"
    assert subject("Skoletrivsel (gennemsnit, 1–5)", False) == "Gennemsnittet for skoletrivsel"
    assert subject("Kender UNG RUS' anonyme rådgivning", True) == "Andelen, der kender UNG RUS' anonyme rådgivning"


def test_a_significant_change_falls_or_rises_with_both_years() -> None:
    s = subject("Har været fuld inden for de seneste 30 dage", True)
    text = change_sentence(s, True, Estimate(2022, 29.4, 27, 32), Estimate(2026, 19.6, 18, 22), significant=True)
    assert text == f"Andelen, der har været fuld inden for de seneste 30 dage, faldt fra 29{NB}% i 2022 til 20{NB}% i 2026."
    up = change_sentence("Gennemsnittet for skoletrivsel", False, Estimate(2022, 3.41, 3.3, 3.5), Estimate(2026, 3.72, 3.6, 3.8),
                         significant=True)
    assert up == "Gennemsnittet for skoletrivsel steg fra 3,4 i 2022 til 3,7 i 2026."
    # whole numbers that would hide a significant change get a decimal
    tiny = change_sentence("Andelen, der x", True, Estimate(2022, 21.4, 21, 22), Estimate(2026, 20.6, 20, 21), significant=True)
    assert f"fra 21,4{NB}% i 2022 til 20,6{NB}% i 2026" in tiny


def test_no_significant_change_is_never_called_a_fall() -> None:
    same = change_sentence("Andelen, der x", True, Estimate(2022, 21.2, 19, 23), Estimate(2026, 22.3, 20, 24), significant=False)
    assert same == f"Andelen, der x, er uændret inden for den statistiske usikkerhed: 21{NB}% i 2022 og 22{NB}% i 2026."
    big = change_sentence("Andelen, der x", True, Estimate(2022, 29, 20, 38), Estimate(2026, 20, 12, 28), significant=False)
    assert big == (f"Andelen, der x, faldt fra 29{NB}% i 2022 til 20{NB}% i 2026, men faldet ligger inden for, "
                   "hvad tilfældigheder kan give.")
    untested = change_sentence("Andelen, der x", True, Estimate(2022, 29, 20, 38), Estimate(2026, 20, 12, 28), significant=None)
    assert "ikke testet" in untested and "faldt" not in untested
    # a significant falling trend whose last year is above the first says so, without "steg"
    odd = change_sentence("Andelen, der x", True, Estimate(2022, 20, 18, 22), Estimate(2026, 22, 20, 24), significant=True,
                          direction=-1.0)
    assert "steg" not in odd and "faldt" not in odd and "faldende" in odd


def test_a_target_whose_year_has_passed_is_judged_then_and_now() -> None:
    then = Verdict("met", Estimate(2022, 21.0, 19.2, 23.1))
    now = Verdict("met", Estimate(2026, 22.0, 20.1, 24.0))
    text = " ".join(target_sentences("<=", 25, True, 2020, 2026, now=now, then=then))
    assert text == (
        f"Målet var højst 25{NB}% i 2020. Der er ingen måling fra 2020. I 2022, den nærmeste måling, var tallet "
        f"21{NB}% (mellem 19 og 23{NB}%): målet blev nået. I 2026 er målet stadig nået: 22{NB}%."
    )
    in_year = " ".join(target_sentences("<=", 25, True, 2020, 2026, now=Verdict("not_met", Estimate(2026, 29, 27, 31)),
                                        then=Verdict("uncertain", Estimate(2020, 25, 23, 27))))
    assert "I 2020 var tallet 25" in in_year and "det kan ikke afgøres, om målet blev nået" in in_year
    assert in_year.endswith(f"I 2026 er målet ikke nået: 29{NB}%.")
    assert "Usikkert" not in in_year and "endnu" not in in_year


def test_a_target_still_ahead_is_judged_now() -> None:
    ahead = target_sentences(">=", 75, True, 2028, 2026, now=Verdict("not_met", Estimate(2026, 60, 58, 62)))
    assert ahead == (f"Målet er mindst 75{NB}% i 2028.", "I 2026 er målet endnu ikke nået.")
    due = target_sentences("<=", 20, True, 2026, 2026, now=Verdict("uncertain", Estimate(2026, 20, 18, 22)))
    assert due[1] == "I 2026 kan det ikke afgøres, om målet er nået (intervallet omfatter målet)."


def test_reference_sentence_names_source_and_year() -> None:
    text = reference_sentence("Skolebørnsundersøgelsen", 2022, 18.0, True, diff=4.2, low=1.1, high=7.3, significant=True, ours=2026)
    assert text == (f"Skolebørnsundersøgelsen 2022: 18{NB}%. Kommunen ligger i 2026 signifikant højere "
                    "(forskel 4 procentpoint, mellem 1 og 7).")
    same = reference_sentence("Ungeprofilen", 2026, 3.6, False, diff=-0.04, low=-0.2, high=0.1, significant=False, ours=2026)
    assert same == ("Ungeprofilen 2026: 3,6. Forskellen til kommunen i 2026 ligger inden for, hvad tilfældigheder "
                    "kan give (forskel 0,0 point, mellem −0,2 og 0,1).")
