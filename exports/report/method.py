"""The method appendix, written for readers who are not statisticians."""

from __future__ import annotations

from typing import Any

from analysis.power import minimum_detectable_difference
from analysis.wording import format_number

from .story import comparability_sentence

__all__ = ["METHOD", "detectable", "questionnaire_changes"]


def detectable(rows: Any, indicators: Any, year: int) -> tuple[str, ...]:
    """Per school in ``year``: n, design effect and the smallest difference from the rest of the
    municipality a share test would find (80 % power, a share near 20 %); ``rows`` indexes the
    results table (``get`` and ``group_names`` as :class:`exports.report.rows.Rows`)."""
    shares = [ind for ind in indicators if ind.kind == "share"]
    totals = [rows.get(ind.id, "municipality", "Kommunen", year, "estimate") for ind in shares]
    total = max((r.n for r in totals if r is not None and not r.suppressed and r.n is not None), default=0)
    lines = []
    joined = getattr(rows, "joined", set())
    for school in sorted({g for ind in shares for g in rows.group_names(ind.id, "school", year)} - joined):
        found = [rows.get(ind.id, "school", school, year, "estimate") for ind in shares]
        found = [r for r in found if r is not None and not r.suppressed and r.n is not None and r.deff is not None]
        if not found or total <= max(r.n for r in found):
            continue
        n = max(r.n for r in found)
        deff = max(1.0, sorted(r.deff for r in found)[len(found) // 2])
        df = sorted(r.df or 1.0 for r in found)[len(found) // 2]
        mdd = minimum_detectable_difference(n, total - n, deff, df)
        lines.append(
            f"{school}: n = {n}, designeffekt {format_number(deff, 1)} – mindste forskel, der kan påvises: "
            f"ca. {format_number(mdd, 0)} procentpoint."
        )
    return tuple(lines)


def questionnaire_changes(ctx: Any, indicators: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """An appendix section naming each indicator whose question was asked differently from a year
    inside the report (such years are not compared across the change), when there is one."""
    lines = []
    for ind in indicators:
        sentence = comparability_sentence(ctx, ind)
        if sentence:
            lines.append(f"{ind.labelled('da')}: {sentence[:1].lower()}{sentence[1:]}")
    if not lines:
        return ()
    return (("Ændringer i spørgeskemaet", (
        "Når et spørgsmål stilles anderledes end før – fx når »Vil ikke svare« bliver en svarmulighed – kan "
        "andelen ændre sig alene af den grund. Derfor sammenligner vi ikke årene før og efter ændringen for "
        "disse indikatorer; de øvrige indikatorer er stillet ens og sammenlignes over alle årene.",
        *lines,
    )),)


def _tests(summary: Any | None) -> tuple[str, ...]:
    """How many tests the report holds and what chance alone would give."""
    if summary is None or summary.tests == 0:
        return ()
    chance = format_number(summary.expected_by_chance, 0)
    tests, raw, adjusted = (format_number(v, 0) for v in (summary.tests, summary.significant_raw, summary.significant_adjusted))
    how = (
        "korrektionen for hele rapporten under ét (Benjamini-Hochbergs metode over alle test)"
        if summary.correction == "report"
        else "korrektionerne ovenfor"
    )
    return (
        f"Rapporten bygger på {tests} test. Hvis der slet ingen forskelle var, ville omkring "
        f"{chance} af dem alligevel se signifikante ud ved et tilfælde, hvis man ikke korrigerede "
        f"(5 % af {tests}). Uden korrektion er {raw} signifikante; efter {how} er {adjusted} signifikante.",
        "Når en forskel var signifikant før, men ikke efter korrektionen, skriver vi \"efter korrektion for "
        "mange sammenligninger\": intervallet udelukker 0, men blandt så mange test kan én sådan forskel "
        "let skyldes tilfældigheder.",
    )


def METHOD(  # noqa: N802 - reads as a constant
    threshold: int,
    summary: Any | None = None,
    detectable: tuple[str, ...] = (),
    more: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Headings and paragraphs of the appendix; ``threshold`` is the suppression limit,
    ``summary`` an :class:`analysis.table.TestSummary`, ``detectable`` one line per school
    with its minimum detectable difference, ``more`` further sections (before the last,
    on anonymity)."""
    return (
        ("Tal og sikkerhedsintervaller", (
            "En andel er den del af eleverne, der har svaret på spørgsmålet, som har svaret \"ja\" "
            "(fx har prøvet at ryge hash). Elever, der har sprunget spørgsmålet over eller valgt "
            "\"Vil ikke svare\", tæller ikke med. En skala (fx skoletrivsel 1–5) er elevernes gennemsnit.",
            "Ved hvert tal står et 95 % sikkerhedsinterval (CI). Det er det område, det sande tal for "
            "eleverne med stor sandsynlighed ligger i. Jo færre svar og jo færre klasser, jo bredere interval. "
            "Andele bruger Wilsons interval på det effektive antal svar (Korn og Graubards metode), "
            "gennemsnit et t-interval. Svarer alle i en gruppe ens, er der ingen variation at beregne et "
            "interval ud fra, og det står der så.",
        )),
        ("Elever i samme klasse ligner hinanden", (
            "Elever i samme klasse svarer ofte mere ens end elever, der er trukket tilfældigt. Derfor "
            "indeholder 1.000 svar fra 40 klasser mindre information end 1.000 tilfældige elever. Vi "
            "beregner usikkerheden for hvert tal ud fra, hvor meget klasserne faktisk afviger fra hinanden "
            "(klasser som klynger, skoler som lag hvert år – samme metode som statistikprogrammet R's "
            "survey-pakke). Designeffekten fortæller, hvor meget større usikkerheden er end ved tilfældigt "
            "udvalgte elever: 1,5 betyder, at 1.500 svar tæller som 1.000 uafhængige. Vi regner aldrig med "
            "mindre usikkerhed end ved tilfældigt udvalgte elever.",
            "En skole har ofte kun 4–8 klasser om året. Så bygger skolens usikkerhed på få klasser, og "
            "intervaller og test tager højde for det (frihedsgrader efter antal klasser). Derfor kan en "
            "lille skoles tal ændre sig en del, uden at det er signifikant.",
            *((
                "Hvor stor skal en forskel mellem en skole og resten af kommunen være, før vi kan påvise "
                "den (med 80 % sandsynlighed, for en andel omkring 20 %)?",
                *detectable,
            ) if detectable else ()),
        )),
        ("Sammenligninger og test", (
            "Vi sammenligner først alle skoler samlet (er der overhovedet forskel mellem skolerne?), derefter "
            "hver skole med resten af kommunen, hvert år med året før og med basisåret, og vi ser på "
            "udviklingen over alle de valgte år. En test svarer på spørgsmålet: Kunne forskellen let være "
            "opstået ved tilfældigheder? Er svaret nej, kalder vi forskellen signifikant.",
            "Forskelle og udvikling testes med et t-test, der tager højde for klasserne; alle skoler samlet "
            "med et Rao-Scott-korrigeret χ²-test (andele) eller F-test (gennemsnit). Har en gruppe under 30 "
            "svar, sammenlignes andele med Fishers eksakte test. Kan en sammenligning ikke laves (fx fordi "
            "der ikke er svar i det ene år), står det ved sammenligningen.",
            "Når en forskel ikke er signifikant, skriver vi \"forskellen ligger inden for, hvad "
            "tilfældigheder kan give\". Det betyder ikke, at der ingen forskel er – kun at tallene ikke "
            "kan vise den.",
        )),
        ("Mange sammenligninger på én gang", (
            "Når man laver mange test, vil nogle af dem ved et tilfælde se signifikante ud. Derfor "
            "justerer vi p-værdierne. For strategiens målindikatorer bruger vi Holms metode, som er "
            "streng. For de øvrige indikatorer og for sammenligningen af skoler bruger vi "
            "Benjamini-Hochbergs metode, der holder andelen af falske fund lav. Konklusionerne bygger "
            "på de justerede p-værdier; en forskel kaldes signifikant, når den justerede p-værdi er "
            "under 0,05.",
            *_tests(summary),
        )),
        ("Mål", (
            "Et mål er nået, når hele sikkerhedsintervallet ligger på den rigtige side af målet, og ikke "
            "nået, når hele intervallet ligger på den forkerte side. Ligger målet inde i intervallet, "
            "kan tallene ikke afgøre det, og vi skriver \"kan ikke afgøres\". Intervallets grænser vises med så "
            "mange decimaler, at de aldrig ser ud til at ramme målet, når de ikke gør det.",
        )),
        *more,
        ("Anonymitet: små grupper vises ikke", (
            f"Grupper med færre end {threshold} svar vises aldrig med tal; der står \"færre end "
            f"{threshold} svar\". Elever uden oplyst køn eller klassetrin tælles som en gruppe for sig. "
            "Hvis en skjult gruppe ville kunne regnes ud af de viste tal (fx kommunens tal minus de "
            "viste skoler), lægges de små grupper sammen med den mindste af de andre, til de har mindst "
            f"{threshold} svar, og vises samlet som fx \"Øvrige skoler (2)\"; den gruppe, der er lagt til, "
            "står som \"skjult for at beskytte en lille gruppe\". Det kontrolleres for hvert tal, at "
            "ingen skjult gruppe kan regnes ud af alt det viste tilsammen. Sammenligninger, der "
            "involverer en skjult gruppe, vises heller ikke. Fritekst vises kun "
            f"for grupper med mindst {threshold} svar.",
        )),
    )
