"""Version 2 of the shipped instruments (issue 14): skip logic, "Vil ikke svare" on every
sensitive question, the grade from the class, sub-population indicators, the wording said
once, the change notes, and which indicators stay comparable with version 1."""

from __future__ import annotations

import pytest

from exports.codebook import codebook_rows, variable_note
from surveys.instruments import (
    DECLINE_CODE,
    InstrumentError,
    builtin_instruments,
    builtin_versions,
    instrument_from_dict,
    instrument_to_dict,
    load_instrument_text,
)
from surveys.instruments.versions import changed_indicators

PUPIL = builtin_instruments()["ung-trivsel-rusmidler"]
STAFF = builtin_instruments()["temadag-evaluering"]
VERSIONS = {(i.id, i.version): i for i in builtin_versions()}
SENSITIVE = ("alkohol_nogensinde", "fuld_seneste_maaned", "nikotin", "hash_nogensinde", "hash_seneste_maaned",
             "andre_stoffer", "tilbudt_stoffer")


def test_both_instruments_are_version_2_and_version_1_is_still_shipped() -> None:
    assert PUPIL.version == 2 and STAFF.version == 2
    assert set(VERSIONS) == {("ung-trivsel-rusmidler", 1), ("ung-trivsel-rusmidler", 2),
                             ("temadag-evaluering", 1), ("temadag-evaluering", 2)}
    for instrument in VERSIONS.values():  # every stored snapshot reads back as it was
        assert instrument_from_dict(instrument_to_dict(instrument)) == instrument


@pytest.mark.parametrize("qid", SENSITIVE)
def test_every_substance_question_offers_vil_ikke_svare(qid: str) -> None:
    question = PUPIL.question(qid)
    assert question.sensitive and question.codes[-1] == DECLINE_CODE
    assert question.options[-1].label.da == "Vil ikke svare"


def test_declining_counts_as_missing_in_every_substance_indicator() -> None:
    for ind_id in ("drukket_sig_fuld_seneste_maaned", "ryger_dagligt", "bruger_e_cigaret", "bruger_snus",
                   "er_blevet_tilbudt_stoffer", "har_proevet_hash"):
        ind = PUPIL.indicator(ind_id)
        assert ind.value({ind.variable: DECLINE_CODE}) is None
    andre = PUPIL.indicator("har_proevet_andre_stoffer")
    assert andre.value({"andre_stoffer_98": 1, "andre_stoffer_7": 0}) is None


def test_drunk_is_skipped_after_no_to_alcohol_and_stored_as_not_at_all() -> None:
    fuld = PUPIL.question("fuld_seneste_maaned")
    assert not PUPIL.visible(fuld, {"alkohol_nogensinde": 1})
    assert PUPIL.visible(fuld, {"alkohol_nogensinde": 2})
    drunk = PUPIL.indicator("drukket_sig_fuld_seneste_maaned")
    never = PUPIL.complete({"alkohol_nogensinde": 1, "fuld_seneste_maaned": 3})  # a stale answer is dropped
    assert never["fuld_seneste_maaned"] == 1 and drunk.value(never) == 0.0  # still in the denominator
    assert PUPIL.complete({"alkohol_nogensinde": 2, "fuld_seneste_maaned": 3})["fuld_seneste_maaned"] == 3
    for unknown in ({"alkohol_nogensinde": DECLINE_CODE}, {}):  # declined or skipped: nothing implied
        assert "fuld_seneste_maaned" not in PUPIL.complete(unknown)
        assert drunk.value(PUPIL.complete(unknown)) is None
    # the draft (clean) never holds an implied answer: going back to "Ja" shows an empty question
    assert "fuld_seneste_maaned" not in PUPIL.clean({"alkohol_nogensinde": 1})


def test_grade_comes_from_the_class_and_keeps_the_8th_grade_condition_working() -> None:
    assert PUPIL.known_answers(7) == {"klassetrin": 7}
    assert PUPIL.known_answers(None) == {} and PUPIL.known_answers(5) == {}  # asked then
    assert PUPIL.known_answers(12) == {"klassetrin": 11}  # 2.g: "Ungdomsuddannelse", the open-ended top code
    seventh = PUPIL.with_known(PUPIL.known_answers(7))
    assert "klassetrin" not in [q.id for q in seventh.questions()]
    assert [q.id for q in seventh.sections[0].questions] == ["koen"]
    assert seventh.clean({"andre_stoffer_1": 1, "koen": 2}) == {"klassetrin": 7, "koen": 2}
    assert not seventh.visible("andre_stoffer", seventh.clean({}))
    ninth = PUPIL.with_known(PUPIL.known_answers(9))
    assert ninth.visible("andre_stoffer", ninth.clean({}))
    assert ninth.complete({"andre_stoffer_7": 1})["klassetrin"] == 9
    # without a class the question is asked, and the condition reads the pupil's own answer
    assert "klassetrin" in [q.id for q in PUPIL.questions()]
    assert PUPIL.visible("andre_stoffer", {"klassetrin": 8}) and not PUPIL.visible("andre_stoffer", {"klassetrin": 7})


def test_sub_population_indicator_says_whom_the_share_is_of() -> None:
    ind = PUPIL.indicator("har_proevet_andre_stoffer")
    assert ind.labelled("da") == "Har prøvet andre stoffer end hash (andel af 8.–10. klasse og ungdomsuddannelser)"
    assert ind.labelled("en").endswith("(share of grades 8–10 and youth education)")
    assert ind.value({"andre_stoffer_1": 1, "andre_stoffer_7": 0}) == 1.0
    assert ind.value({"andre_stoffer_1": 0, "andre_stoffer_7": 1}) == 0.0
    assert "8.–10. klasse" in variable_note(PUPIL, "andre_stoffer_7")
    assert PUPIL.indicator("har_proevet_hash").labelled("da") == "Har prøvet at ryge hash"


def test_wording_is_said_once() -> None:
    intro = PUPIL.intro.da.lower()
    assert "anonym" not in intro and "spring" not in intro  # the welcome page says both, once
    besked = PUPIL.question("besked")
    assert "navne" not in besked.text.da and besked.help is None  # the page's warning says it once
    prioritet = STAFF.question("prioritet")
    assert "vælg" not in prioritet.text.da.lower() and prioritet.max_choices == 3  # the page says "Vælg højst 3."
    assert STAFF.question("kommentar").help is None


def test_version_2_changes_are_noted_and_match_what_breaks_comparability() -> None:
    (change,) = PUPIL.changes
    assert change.version == 2 and "Vil ikke svare" in change.text.da and change.text.en
    old = VERSIONS[("ung-trivsel-rusmidler", 1)]
    broken = changed_indicators(old, PUPIL)
    assert set(broken) == {"drukket_sig_fuld_seneste_maaned", "ryger_dagligt", "bruger_e_cigaret", "bruger_snus",
                           "er_blevet_tilbudt_stoffer"}
    assert {why.da for why in broken.values()} == {"»Vil ikke svare« er tilføjet"}
    for name in ("har_proevet_hash", "foeler_sig_ofte_ensom", "trivsel_skala", "har_proevet_andre_stoffer"):
        assert name not in broken
    assert "Ikke sammenlignelige med version 1" in change.text.da
    assert changed_indicators(VERSIONS[("temadag-evaluering", 1)], STAFF) == {}
    rows = codebook_rows(PUPIL)
    assert rows[-1].variable == "version_2" and rows[-1].note == change.text.da
    notes = {r.variable: r.note for r in rows if r.note}
    assert notes["klassetrin"].startswith("Udfyldt fra klassens klassetrin")
    assert "ellers gemt som kode 1" in notes["fuld_seneste_maaned"]


MINI = """
id = "mini"
version = 2
audience = "pupil"
title = { da = "M", en = "M" }
intro = { da = "M", en = "M" }
[[sections]]
id = "s"
title = { da = "S", en = "S" }
[[sections.questions]]
id = "grade"
type = "single"
known_from = "class"
text = { da = "Klasse?", en = "Grade?" }
options = [{ code = 7, da = "7", en = "7" }, { code = 8, da = "8", en = "8" }]
[[sections.questions]]
id = "grade2"
type = "single"
known_from = "class"
text = { da = "Klasse?", en = "Grade?" }
options = [{ code = 7, da = "7", en = "7" }, { code = 8, da = "8", en = "8" }]
[[sections.questions]]
id = "grade3"
type = "single"
known_from = "school"
text = { da = "Klasse?", en = "Grade?" }
options = [{ code = 7, da = "7", en = "7" }, { code = 8, da = "8", en = "8" }]
[[sections.questions]]
id = "ever"
type = "single"
skip_implies = 1
text = { da = "Nogensinde?", en = "Ever?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]
[[sections.questions]]
id = "month"
type = "single"
show_if = { question = "ever", in = [2] }
skip_implies = 5
text = { da = "Måned?", en = "Month?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]
[[indicators]]
id = "month_share"
kind = "share"
label = { da = "M", en = "M" }
variable = "month"
yes = [2]
[[changes]]
version = 3
text = { da = "x", en = "x" }
"""


def test_the_new_keys_are_checked() -> None:
    with pytest.raises(InstrumentError) as caught:
        load_instrument_text(MINI, "mini.toml")
    reasons = {(p.question, p.reason) for p in caught.value.problems}
    assert ("grade3", "known_from must be 'class', not 'school'") in reasons
    assert ("grade2", "only one question may have known_from (also 'grade')") in reasons
    assert ("ever", "skip_implies needs show_if (it is the answer when the condition skips the question)") in reasons
    assert ("month", "skip_implies 5 is not an option code of the question") in reasons
    assert ("change 1", "a change's version must be from 2 to the instrument's version, not 3") in reasons
    fixed = MINI.replace('known_from = "school"\n', "").replace("skip_implies = 1\n", "")
    fixed = fixed.replace('id = "grade2"\ntype = "single"\nknown_from = "class"\n', 'id = "grade2"\ntype = "single"\n')
    fixed = fixed.replace("skip_implies = 5\n", "").replace("version = 3", "version = 2")
    with pytest.raises(InstrumentError) as caught:
        load_instrument_text(fixed, "mini.toml")
    (problem,) = caught.value.problems
    assert problem.question == "month_share" and "population" in problem.reason
