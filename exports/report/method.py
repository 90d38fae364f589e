"""The method appendix, written for readers who are not statisticians."""

from __future__ import annotations

__all__ = ["METHOD"]


def METHOD(threshold: int) -> tuple[tuple[str, tuple[str, ...]], ...]:  # noqa: N802 - reads as a constant
    """Headings and paragraphs of the appendix; ``threshold`` is the suppression limit."""
    return (
        ("Tal og sikkerhedsintervaller", (
            "En andel er den del af eleverne, der har svaret på spørgsmålet, som har svaret \"ja\" "
            "(fx har prøvet at ryge hash). Elever, der har sprunget spørgsmålet over eller valgt "
            "\"Vil ikke svare\", tæller ikke med. En skala (fx skoletrivsel 1–5) er elevernes gennemsnit.",
            "Ved hvert tal står et 95 % sikkerhedsinterval (CI). Det er det område, det sande tal for "
            "eleverne med stor sandsynlighed ligger i. Jo færre svar, jo bredere interval. Andele bruger "
            "Wilsons interval, gennemsnit et t-interval.",
        )),
        ("Elever i samme klasse ligner hinanden (designeffekt)", (
            "Elever i samme klasse svarer ofte mere ens end elever, der er trukket tilfældigt. Derfor "
            "indeholder 1.000 svar fra 40 klasser mindre information end 1.000 tilfældige elever. Vi "
            "måler, hvor meget klasserne ligner sig selv (designeffekten), og gør alle intervaller og "
            "test tilsvarende forsigtigere. En designeffekt på 1,5 betyder, at 1.500 svar tæller som "
            "1.000 uafhængige.",
        )),
        ("Sammenligninger og test", (
            "Vi sammenligner hver skole med resten af kommunen, hvert år med året før og med basisåret, "
            "og vi ser på udviklingen over alle de valgte år. En test svarer på spørgsmålet: Kunne "
            "forskellen let være opstået ved tilfældigheder? Er svaret nej, kalder vi forskellen "
            "signifikant.",
            "Testen vælges efter data: andele sammenlignes med et χ²-test, eller Fishers eksakte test, "
            "når der er få svar; forskellen får et Newcombe-interval. Enkeltspørgsmål på en skala "
            "(fx 0–10) sammenlignes med et Mann-Whitney-test, gennemsnit af flere spørgsmål med Welchs "
            "t-test. Udviklingen over årene testes med Cochran-Armitage-testet for andele og en lineær "
            "tendens for gennemsnit. Grupper med under 30 svar testes ikke.",
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
        )),
        ("Mål", (
            "Et mål er nået, når hele sikkerhedsintervallet ligger på den rigtige side af målet, og ikke "
            "nået, når hele intervallet ligger på den forkerte side. Ligger målet inde i intervallet, "
            "kan tallene ikke afgøre det, og vi skriver \"kan ikke afgøres\".",
        )),
        ("Anonymitet: små grupper vises ikke", (
            f"Grupper med færre end {threshold} svar vises aldrig med tal; der står \"færre end "
            f"{threshold} svar\". Hvis en skjult gruppe ville kunne regnes ud ved at trække de viste "
            "tal fra kommunens tal, skjules også den næstmindste gruppe (sekundær skjulning) – den "
            f"står også som \"færre end {threshold} svar\", selv om den kan have flere svar. "
            "Sammenligninger, der involverer en skjult gruppe, vises heller ikke. Fritekst vises kun "
            f"for grupper med mindst {threshold} svar.",
        )),
    )
