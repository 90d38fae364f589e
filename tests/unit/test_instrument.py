"""Tests for the instrument format: loading, variables, conditions, indicators, validation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from surveys.instruments import (
    DECLINE_CODE,
    Instrument,
    InstrumentError,
    Problem,
    Text,
    builtin_instruments,
    instrument_from_dict,
    instrument_to_dict,
    load_instrument,
    load_instrument_text,
    main,
    validate_paths,
)
from surveys.instruments.builtin import INSTRUMENT_DIR, builtin_paths

FIXTURES = Path(__file__).parent / "instrument_fixtures"
FORMAT_DOC = Path(__file__).parents[2] / "docs" / "instrument-format.md"

MINIMAL = """
id = "mini"
version = 3
audience = "pupil"
title = { da = "Mini", en = "Mini" }
intro = { da = "Intro", en = "Intro" }

[option_sets]
enig = [
  { code = 1, da = "Uenig", en = "Disagree" },
  { code = 2, da = "Lidt enig", en = "Somewhat agree" },
  { code = 3, da = "Enig", en = "Agree" },
]

[[sections]]
id = "a"
title = { da = "A", en = "A" }

[[sections.questions]]
id = "hash"
type = "single"
sensitive = true
text = { da = "Hash?", en = "Cannabis?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]

[[sections.questions]]
id = "hash_maaned"
type = "single"
show_if = { question = "hash", in = [2] }
text = { da = "Seneste måned?", en = "Past month?" }
options = [{ code = 1, da = "Nej", en = "No" }, { code = 2, da = "Ja", en = "Yes" }]

[[sections.questions]]
id = "hvor_tit"
type = "number"
min = 0
max = 100
show_if = { question = "hash_maaned", in = [2] }
text = { da = "Hvor mange gange?", en = "How many times?" }

[[sections.questions]]
id = "stoffer"
type = "multi"
sensitive = true
max_choices = 2
text = { da = "Stoffer", en = "Drugs" }
options = [{ code = 1, da = "Kokain", en = "Cocaine" }, { code = 2, da = "Andet", en = "Other" }]

[[sections.questions]]
id = "hvilket"
type = "text"
show_if = { question = "stoffer", in = [2] }
text = { da = "Hvilket?", en = "Which?" }

[[sections.questions]]
id = "skole"
type = "matrix"
text = { da = "Hvor enig?", en = "How much do you agree?" }
options = "enig"
items = [
  { id = "glad", da = "Glad", en = "Happy" },
  { id = "tryg", da = "Tryg", en = "Safe" },
  { id = "kede", da = "Jeg keder mig", en = "I am bored" },
  { id = "ven", da = "Ven", en = "Friend" },
]

[[sections.questions]]
id = "tryg_opfoelgning"
type = "scale"
show_if = { question = "tryg", in = [1] }
text = { da = "Hvor utryg?", en = "How unsafe?" }

[[indicators]]
id = "proevet_hash"
kind = "share"
label = { da = "Har prøvet hash", en = "Tried cannabis" }
variable = "hash"
yes = [2]
goal = true
target = { op = "<=", value = 25, year = 2020 }

[[indicators]]
id = "kokain"
kind = "share"
label = { da = "Kokain", en = "Cocaine" }
variable = "stoffer_1"
yes = [1]

[[indicators]]
id = "skoletrivsel"
kind = "mean"
label = { da = "Skoletrivsel", en = "School wellbeing" }
items = ["glad", "tryg", "kede", "ven"]
reverse = ["kede"]
target = { op = ">=", value = 2.5 }
"""


@pytest.fixture
def mini() -> Instrument:
    return load_instrument_text(MINIMAL, "mini.toml")


# ---------------------------------------------------------------- built-in instruments


def test_builtin_instruments_load() -> None:
    instruments = builtin_instruments()
    assert set(instruments) == {"ung-trivsel-rusmidler", "temadag-evaluering"}
    assert instruments["ung-trivsel-rusmidler"].audience == "pupil"
    assert instruments["temadag-evaluering"].audience == "staff"
    assert validate_paths(builtin_paths()) == []
    assert [path.name for path in builtin_paths()] == [
        f"{i}.toml" for i in sorted(instruments)
    ]
    assert main([str(INSTRUMENT_DIR)]) == 0


def test_pupil_instrument_content() -> None:
    inst = builtin_instruments()["ung-trivsel-rusmidler"]
    assert [s.id for s in inst.sections] == ["om_dig", "trivsel", "rusmidler", "hjaelp"]
    hash_ever = inst.question("hash_nogensinde")
    assert hash_ever.sensitive and hash_ever.codes[-1] == DECLINE_CODE
    assert inst.question("hash_seneste_maaned").show_if is not None
    assert inst.question("besked").max_length == 500
    assert [v.name for v in inst.question("skoletrivsel").variables()][:2] == [
        "glad_for_skolen",
        "glad_for_klassen",
    ]
    goals = {i.id for i in inst.indicators if i.goal}
    assert goals == {
        "har_proevet_hash",
        "foeler_sig_ofte_ensom",
        "drukket_sig_fuld_seneste_maaned",
        "ved_hvor_man_kan_faa_hjaelp",
    }
    target = inst.indicator("har_proevet_hash").target
    assert target is not None and (target.op, target.value, target.year) == (
        "<=",
        0.25,
        2020,
    )
    assert target.met(0.24) and not target.met(0.30)
    assert inst.indicator("trivsel_skala").scale == (1, 5)


def test_staff_instrument_content() -> None:
    inst = builtin_instruments()["temadag-evaluering"]
    priority = inst.question("prioritet")
    assert (
        priority.type == "multi"
        and priority.max_choices == 3
        and len(priority.options) == 15
    )
    assert inst.question("rolle").codes == (1, 2, 3, 4, 5, 6)
    assert {i.id for i in inst.indicators} >= {
        "fandt_dagen_nyttig",
        "ny_viden_om_rusmiddelcentret",
        "tryghed_i_opsporing",
    }


def test_every_text_is_translated() -> None:
    for inst in builtin_instruments().values():
        for variable in inst.variables():
            assert variable.label.da and variable.label.en
            for option in variable.value_labels:
                assert option.label.da and option.label.en


# ---------------------------------------------------------------- variables


def test_variables_expand_multi_and_matrix(mini: Instrument) -> None:
    names = [(v.name, v.kind) for v in mini.variables()]
    assert names == [
        ("hash", "code"),
        ("hash_maaned", "code"),
        ("hvor_tit", "int"),
        ("stoffer_1", "codes01"),
        ("stoffer_2", "codes01"),
        ("stoffer_98", "codes01"),
        ("hvilket", "text"),
        ("glad", "code"),
        ("tryg", "code"),
        ("kede", "code"),
        ("ven", "code"),
        ("tryg_opfoelgning", "int"),
    ]
    hash_var = mini.variables()[0]
    assert [o.code for o in hash_var.value_labels] == [1, 2, DECLINE_CODE]
    assert hash_var.value_labels[-1].label == Text(
        "Vil ikke svare", "Prefer not to say"
    )
    assert mini.variables()[3].label.en == "Drugs: Cocaine"
    assert mini.question("glad").id == "skole"  # item ids find their matrix
    scale = mini.question("tryg_opfoelgning")
    assert (scale.min, scale.max) == (0, 10)


def test_text_falls_back_to_danish() -> None:
    assert Text("Hej", "Hi").get("en") == "Hi"
    assert Text("Hej", "Hi").get("de") == "Hej"
    assert Text("Hej", "").get("en") == "Hej"


# ---------------------------------------------------------------- conditions


def test_condition_on_single_and_multi(mini: Instrument) -> None:
    assert not mini.visible(mini.question("hash_maaned"), {})
    assert not mini.visible(mini.question("hash_maaned"), {"hash": 1})
    assert mini.visible(mini.question("hash_maaned"), {"hash": 2})
    assert mini.visible("hvilket", {"stoffer_1": 0, "stoffer_2": 1, "stoffer_98": 0})
    assert not mini.visible(
        "hvilket", {"stoffer_1": 1, "stoffer_2": 0, "stoffer_98": 0}
    )
    assert mini.visible("tryg_opfoelgning", {"tryg": 1})  # condition on a matrix item


def test_hidden_questions_are_hidden_recursively(mini: Instrument) -> None:
    answers = {"hash": 2, "hash_maaned": 2, "hvor_tit": 5}
    assert mini.visible("hvor_tit", answers)
    answers["hash"] = 1  # the pupil went back and changed the first answer
    assert not mini.visible("hash_maaned", answers)
    assert not mini.visible(
        "hvor_tit", answers
    )  # its own condition still holds, its parent is hidden


def test_clean_drops_hidden_and_unknown_answers(mini: Instrument) -> None:
    answers = {
        "hash": 1,
        "hash_maaned": 2,
        "hvor_tit": 5,
        "stoffer_1": 1,
        "stoffer_2": 0,
        "stoffer_98": 0,
        "hvilket": "svampe",
        "tryg": 3,
        "tryg_opfoelgning": 4,
        "not_a_variable": 1,
    }
    assert mini.clean(answers) == {
        "hash": 1,
        "stoffer_1": 1,
        "stoffer_2": 0,
        "stoffer_98": 0,
        "tryg": 3,
    }


# ---------------------------------------------------------------- indicators


def test_share_indicator_treats_decline_as_missing(mini: Instrument) -> None:
    share = mini.indicator("proevet_hash")
    assert share.value({"hash": 2}) == 1.0
    assert share.value({"hash": 1}) == 0.0
    assert share.value({"hash": DECLINE_CODE}) is None
    assert share.value({}) is None


def test_share_of_a_multi_option_declined(mini: Instrument) -> None:
    share = mini.indicator("kokain")
    assert share.value({"stoffer_1": 1, "stoffer_2": 0, "stoffer_98": 0}) == 1.0
    assert share.value({"stoffer_1": 0, "stoffer_2": 1, "stoffer_98": 0}) == 0.0
    assert share.value({"stoffer_1": 0, "stoffer_2": 0, "stoffer_98": 1}) is None
    assert share.value({}) is None


def test_mean_indicator_reverse_and_half_rule(mini: Instrument) -> None:
    mean = mini.indicator("skoletrivsel")
    assert mean.scale == (1, 3)
    # kede = 1 is reversed to 3: (3 + 2 + 3 + 1) / 4
    assert mean.value({"glad": 3, "tryg": 2, "kede": 1, "ven": 1}) == pytest.approx(
        9 / 4
    )
    assert mean.value({"glad": 3, "tryg": 1}) == pytest.approx(
        2.0
    )  # 2 of 4 answered: counts
    assert mean.value({"glad": 3}) is None  # 1 of 4: below half
    assert (
        mean.value({"glad": 3, "tryg": DECLINE_CODE, "ven": 99}) is None
    )  # decline and junk are missing
    assert mean.target is not None and mean.target.value == 2.5


def test_builtin_indicator_values() -> None:
    inst = builtin_instruments()["ung-trivsel-rusmidler"]
    assert inst.indicator("har_proevet_hash").value({"hash_nogensinde": 3}) == 1.0
    assert (
        inst.indicator("har_proevet_hash").value({"hash_nogensinde": DECLINE_CODE})
        is None
    )
    assert inst.indicator("foeler_sig_ofte_ensom").value({"ensom": 4}) == 1.0
    assert inst.indicator("ryger_dagligt").value({"cigaretter": 3}) == 0.0
    items = {"glad_for_skolen": 5, "glad_for_klassen": 4, "tryg_i_skolen": 3}
    assert inst.indicator("trivsel_skala").value(items) == pytest.approx(4.0)
    assert inst.indicator("livstilfredshed").value({"livstilfredshed": 0}) == 0.0
    assert inst.indicator("livstilfredshed").value({}) is None


# ---------------------------------------------------------------- snapshots


@pytest.mark.parametrize(
    "instrument_id", ["ung-trivsel-rusmidler", "temadag-evaluering"]
)
def test_round_trip_through_json(instrument_id: str) -> None:
    inst = builtin_instruments()[instrument_id]
    snapshot = json.loads(json.dumps(instrument_to_dict(inst)))
    assert instrument_from_dict(snapshot) == inst


def test_round_trip_minimal(mini: Instrument) -> None:
    snapshot = instrument_to_dict(mini)
    assert snapshot["indicators"][0]["target"] == {
        "op": "<=",
        "value": 25.0,
        "year": 2020,
    }
    assert all(
        o["code"] != DECLINE_CODE
        for o in snapshot["sections"][0]["questions"][0]["options"]
    )
    assert instrument_from_dict(json.loads(json.dumps(snapshot))) == mini


def test_broken_snapshot_is_rejected(mini: Instrument) -> None:
    snapshot = instrument_to_dict(mini)
    snapshot["sections"][0]["questions"][0]["type"] = "dropdown"
    with pytest.raises(InstrumentError) as error:
        instrument_from_dict(snapshot)
    assert str(error.value.problems[0]).startswith(
        "<snapshot mini v3>: hash: unknown question type"
    )


# ---------------------------------------------------------------- validation


def problems_of(name: str) -> list[str]:
    path = FIXTURES / name
    with pytest.raises(InstrumentError) as error:
        load_instrument(path)
    assert all(
        isinstance(p, Problem) and p.file == str(path) for p in error.value.problems
    )
    return [str(p) for p in error.value.problems]


BROKEN = {
    "duplicate_ids.toml": [
        ("ensom", "duplicate question id 'ensom'"),
        ("a", "duplicate section id 'a'"),
        ("skole", "duplicate id: item 'ensom' clashes with question 'ensom'"),
        (
            "stoffer",
            "duplicate id: variable 'stoffer_1' of multi question 'stoffer' clashes with question 'stoffer_1'",
        ),
        ("andel", "duplicate indicator id 'andel'"),
    ],
    "unknown_type.toml": [
        (
            "farve",
            "unknown question type 'dropdown' (one of single, multi, likert, scale, number, text, matrix)",
        ),
    ],
    "missing_translation.toml": [
        (None, "title: missing en text"),
        ("ensom", "text: missing en text"),
        ("ensom", "option 2: missing en text"),
        ("skole", "item glad: missing en text"),
    ],
    "bad_options.toml": [
        ("dobbelt", "option code 1 is used more than once"),
        ("tekstkode", "option 1: code must be an integer, not '1'"),
        (
            "reserveret",
            "option code 98 is reserved for 'Vil ikke svare' (set sensitive = true)",
        ),
        ("en_mulighed", "question needs at least two options"),
        ("ukendt_saet", "unknown option set 'enig7'"),
        (
            "foelsom_tal",
            "sensitive is only allowed on single, multi, likert and matrix questions",
        ),
    ],
    "bad_conditions.toml": [
        ("ukendt", "show_if refers to unknown question 'hash_ever'"),
        (
            "fremad",
            "show_if refers to 'senere', which comes later (conditions may only look back)",
        ),
        ("sig_selv", "show_if refers to the question itself"),
        ("forkert_kode", "show_if code 7 is not an option of 'hash'"),
        ("paa_tal", "show_if cannot refer to number question 'alder'"),
        ("paa_tekst", "show_if cannot refer to text question 'kommentar'"),
    ],
    "bad_indicators.toml": [
        ("ukendt_variabel", "indicator refers to unknown variable 'hash_ever'"),
        ("ukendt_kode", "yes code 3 is not a code of 'hash'"),
        ("afvist_som_ja", "yes code 98 ('Vil ikke svare') always counts as missing"),
        ("tekst_andel", "a share cannot count text variable 'kommentar'"),
        ("ikke_numerisk", "mean item 'hash' is not numeric (single question)"),
        (
            "blandet_skala",
            "mean items must share one scale: 'ensom' is 1..2, 'liv' is 0..10",
        ),
        ("forkert_vending", "reverse item 'liv' is not one of the items"),
        ("forkert_maal", "target.op must be '<=' or '>=', not '<'"),
        ("forkert_maal", "target.value of a share is a percentage (0..100), not 125"),
        ("forkert_art", "unknown indicator kind 'median' (share or mean)"),
    ],
    "bad_number_text.toml": [
        ("uden_graenser", "a number question needs min and max"),
        ("omvendt", "min (10) is greater than max (5)"),
        ("lang_tekst", "max_length must be between 1 and 2000, not 5000"),
        ("skala_graenser", "key 'min' is not allowed on a scale question"),
        ("for_mange_valg", "max_choices must be between 1 and 2, not 3"),
        ("valg_paa_single", "key 'max_choices' is not allowed on a single question"),
    ],
    "typos.toml": [
        (None, "unknown key 'titel' in the instrument (did you mean 'title'?)"),
        ("ensom", "unknown key 'requierd' in question (did you mean 'required'?)"),
        ("ensom", "unknown key 'dk' in text"),
        ("ensom", "unknown key 'label' in option 2"),
        ("hash", "unknown key 'not_in' in show_if"),
        ("ensomme", "unknown key 'gaol' in share indicator (did you mean 'goal'?)"),
    ],
    "bad_ids.toml": [
        (None, "instrument id 'Bad_Ids' must match [a-z][a-z0-9-]*"),
        (None, "version must be a positive integer, not 0"),
        (None, "audience must be 'pupil' or 'staff', not 'parents'"),
        ("Koen", "question id 'Koen' must match [a-z][a-z0-9_]*"),
        ("klasse-trin", "question id 'klasse-trin' must match [a-z][a-z0-9_]*"),
        ("tom", "section has no questions"),
    ],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_reports_every_problem(name: str) -> None:
    messages = problems_of(name)
    path = FIXTURES / name
    for question, reason in BROKEN[name]:
        expected = (
            f"{path}: {reason}" if question is None else f"{path}: {question}: {reason}"
        )
        assert expected in messages
    assert len(messages) >= len(BROKEN[name])


def test_required_with_show_if_is_allowed() -> None:
    messages = problems_of("bad_conditions.toml")
    assert not any(": senere:" in message for message in messages)


def test_invalid_toml_and_missing_file() -> None:
    (message,) = problems_of("invalid_toml.toml")
    assert message.startswith(f"{FIXTURES / 'invalid_toml.toml'}: invalid TOML: ")
    with pytest.raises(InstrumentError, match="cannot read file"):
        load_instrument(FIXTURES / "does_not_exist.toml")


def test_validate_paths_collects_all_files_and_clashing_ids(tmp_path: Path) -> None:
    problems = validate_paths([FIXTURES])
    assert {Path(p.file).name for p in problems} == {f"{name}" for name in BROKEN} | {
        "invalid_toml.toml"
    }
    for copy in ("a.toml", "b.toml"):
        (tmp_path / copy).write_text(MINIMAL, encoding="utf-8")
    (problem,) = validate_paths(tmp_path)
    assert (
        str(problem)
        == f"{tmp_path / 'b.toml'}: instrument id 'mini' is also used by {tmp_path / 'a.toml'}"
    )


def test_error_message_lists_problems() -> None:
    with pytest.raises(InstrumentError) as error:
        load_instrument_text(
            MINIMAL.replace('type = "text"', 'type = "essay"'), "x.toml"
        )
    assert (
        str(error.value)
        == "x.toml: hvilket: unknown question type 'essay' (one of single, multi, likert, scale, number, text, matrix)"
    )
    assert isinstance(error.value, ValueError)


def test_documented_example_loads() -> None:
    example = re.search(
        r"```toml\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), re.S
    )
    assert example is not None
    inst = load_instrument_text(example.group(1), "instrument-format.md")
    assert [v.name for v in inst.variables()] == [
        "hash_ever",
        "hash_month",
        "glad_for_skolen",
        "tryg_i_skolen",
    ]
