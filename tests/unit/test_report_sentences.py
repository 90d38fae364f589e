"""The report's plain sentences (exports.report.sentences)."""

from __future__ import annotations

import numpy as np
import pytest

from exports.report.sentences import (
    Estimate,
    Verdict,
    change_sentence,
    difference_cell,
    difference_words,
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


def test_only_the_correction_makes_a_change_chance_and_the_sentence_says_so() -> None:
    # issue 17: significant on its own (interval excludes 0), not after the correction for many tests
    text = change_sentence("Andelen, der x", True, Estimate(2022, 24, 22, 26), Estimate(2026, 20, 18, 22), significant=False,
                           after_correction=True)
    assert text == (f"Andelen, der x, faldt fra 24{NB}% i 2022 til 20{NB}% i 2026, men faldet ligger inden for, hvad "
                    "tilfældigheder kan give, efter korrektion for mange sammenligninger.")
    # never "uændret" for a change the interval shows, and never "fra 21 % til 21 %"
    small = change_sentence("Andelen, der x", True, Estimate(2022, 21.3, 20, 23), Estimate(2026, 20.8, 19, 22),
                            significant=False, after_correction=True)
    assert "uændret" not in small and f"fra 21,3{NB}% i 2022 til 20,8{NB}% i 2026" in small
    ref = reference_sentence("Ungeprofilen", 2024, 20.0, True, diff=3.0, low=0.4, high=5.6, significant=False, ours=2026,
                             after_correction=True)
    assert ref.endswith("kan give, efter korrektion for mange sammenligninger (forskel 3,0 procentpoint, mellem 0,4 og 5,6).")


def test_printed_numbers_never_contradict_the_words() -> None:
    # an interval that excludes 0 never prints 0 (issue 17's decimals), for shares and means
    assert difference_words(2.0, 0.3, 3.7, True) == "forskel 2,0 procentpoint, mellem 0,3 og 3,7"
    assert difference_cell(-0.08, -0.18, -0.03, False) == "−0,08 (−0,18 til −0,03)"
    random = np.random.default_rng(7)
    for _ in range(2000):
        low = float(random.uniform(0.0001, 3))
        high = low + float(random.uniform(0.0001, 10))
        for share in (True, False):
            words = difference_words((low + high) / 2, low, high, share)
            lo = words.split("mellem ")[1].split(" og ")[0]
            assert lo.strip("0,") != "", words
    # a limit just above the target never prints as the target; no interval says so
    assert interval_words(18.0, 25.05, True, against=25) == f"mellem 18,0 og 25,1{NB}%"
    text = " ".join(target_sentences("<=", 25, True, 2020, 2026, now=None,
                                     then=Verdict("uncertain", Estimate(2020, 24.96, 18.0, 25.05))))
    assert f"var tallet 24,96{NB}% (mellem 18,0 og 25,1{NB}%): det kan ikke afgøres" in text
    assert interval_words(None, None, False) == "alle svar er ens"


def test_an_untested_change_gives_the_tables_reason() -> None:
    first, last = Estimate(2022, 29, 20, 38), Estimate(2026, 20, 12, 28)
    text = change_sentence("Andelen, der x", True, first, last, significant=None,
                           not_tested="Ikke testet: færre end tre år med svar, der kan vises.")
    assert text.endswith("Udviklingen er ikke testet: færre end tre år med svar, der kan vises.")
    gone = change_sentence("Andelen, der x", True, first, last, significant=None,
                           not_tested="Kan ikke sammenlignes: ingen svar i 2025.")
    assert gone.endswith(". Kan ikke sammenlignes: ingen svar i 2025.")
