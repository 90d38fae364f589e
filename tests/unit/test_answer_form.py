"""Reading a page of answers from a form: codes, ranges, unknown fields, required, length."""

from __future__ import annotations

import pytest

from surveys.answering.form import is_answered, missing_required, parse_form
from surveys.instruments import builtin_instruments, load_instrument_text
from tests.integration.answering_support import TEST_INSTRUMENT

INSTRUMENT = load_instrument_text(TEST_INSTRUMENT, "test")
A, B, C = INSTRUMENT.sections


def parse(section, form, earlier=None):
    return parse_form(INSTRUMENT, section, {k: v if isinstance(v, list) else [v] for k, v in form.items()}, earlier or {})


def test_canonical_answers_for_every_type() -> None:
    result = parse(B, {"q4": ["1", "3"], "q5": "0", "q6": "30", "m1": "1", "m2": "3"})
    assert result.problems == {}
    assert result.answers == {"q4_1": 1, "q4_2": 0, "q4_3": 1, "q4_98": 0, "q5": 0, "q6": 30, "m1": 1, "m2": 3}


def test_empty_fields_are_unanswered_not_errors() -> None:
    result = parse(B, {"q4": "", "q5": "", "q6": " ", "m1": ""})
    assert result.answers == {} and result.problems == {}


@pytest.mark.parametrize(
    ("form", "question", "code"),
    [
        ({"q5": "-1"}, "q5", "out_of_range"),
        ({"q5": "11"}, "q5", "out_of_range"),
        ({"q6": "3.5"}, "q6", "not_a_number"),
        ({"q6": "٣"}, "q6", "not_a_number"),
        ({"q6": "9" * 40}, "q6", "not_a_number"),
        ({"q4": ["1", "2", "3"]}, "q4", "too_many"),
        ({"q4": ["98", "1"]}, "q4", "decline_alone"),
        ({"q4": "4"}, "q4", "invalid_choice"),
        ({"m2": "0"}, "q7", "invalid_choice"),
        ({"m2": ["1", "2"]}, "q7", "one_answer"),
    ],
)
def test_rejected_values(form, question, code) -> None:
    assert parse(B, form).problems[question].code == code


def test_unknown_fields_are_a_problem_but_meta_fields_are_not() -> None:
    assert parse(A, {"q1": "1", "nav": "back", "_shown": "q3"}).problems == {}
    assert parse(A, {"q1": "1", "q5": "3"}).problems["_form"].code == "unknown_field"


def test_required_only_when_visible() -> None:
    assert parse(A, {}).problems["q1"].code == "required"
    assert "q3" not in parse(A, {"q1": "1"}).problems
    assert parse(A, {"q1": "2"}).problems["q3"].code == "required"


def test_text_is_trimmed_stripped_of_control_characters_and_capped() -> None:
    assert parse(A, {"q1": "1", "q2": "  hej\x00 du\r\n "}).answers["q2"] == "hej du"
    assert parse(A, {"q1": "1", "q2": "x" * 20}).problems == {}
    assert parse(A, {"q1": "1", "q2": "x" * 21}).problems["q2"].params == {"max": 20}


def test_decline_answers_a_required_sensitive_question() -> None:
    pupil = builtin_instruments()["ung-trivsel-rusmidler"]
    koen = pupil.question("koen")
    assert is_answered(koen, {"koen": 98})
    andre = pupil.question("andre_stoffer")
    assert is_answered(andre, {f"andre_stoffer_{c}": int(c == 98) for c in andre.codes})
    assert not is_answered(andre, {f"andre_stoffer_{c}": 0 for c in andre.codes})


def test_missing_required_follows_conditions() -> None:
    assert [q.id for q in missing_required(INSTRUMENT, {})] == ["q1"]
    assert [q.id for q in missing_required(INSTRUMENT, {"q1": 2})] == ["q3"]
    assert missing_required(INSTRUMENT, {"q1": 2, "q3": 1}) == []
