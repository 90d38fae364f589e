"""Tests for the instrument format: loading, variables, conditions, indicators, snapshots
(validation: test_instrument_validation.py)."""

from __future__ import annotations

import json

import pytest

from surveys.instruments import (
    DECLINE_CODE,
    Instrument,
    InstrumentError,
    Text,
    builtin_instruments,
    instrument_from_dict,
    instrument_to_dict,
    load_instrument_text,
    main,
    validate_paths,
)
from surveys.instruments.builtin import INSTRUMENT_DIR, builtin_paths
from tests.unit.instrument_texts import MINIMAL



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
