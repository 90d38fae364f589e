"""PostgreSQL's COPY lines decoded into the frame (``surveys.responses.copied``) and the context
given as arrays (``FrameBuilder.add_keyed``) give the frame of ``add`` row by row, in id order:
whatever the stored answers hold, whatever the class names hold, wherever the chunks are cut."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.frame import MISSING, FrameBuilder, needed_variables
from surveys.instruments import builtin_instruments
from surveys.responses.copied import CopyReader, copied_rows, json_rows
from tests.frames import assert_same_frames

INSTRUMENT = builtin_instruments()["ung-trivsel-rusmidler"]
VARIABLES = needed_variables(INSTRUMENT, "koen", "klassetrin")
SCHOOLS = {3: "Skole A", 5: "Skole B", 8: ""}  # an empty name counts as no school, as in ``add``

stored_value = st.one_of(
    st.none(), st.integers(-3, 12), st.sampled_from([98, 1, 2]), st.integers(2**31 - 2, 2**31 + 2),
    st.integers(-(2**31) - 2, -(2**31) + 2), st.integers(2**62, 2**70), st.booleans(), st.just("2"),
    st.just(2.0), st.just([1, 2]), st.just({"a": 1}), st.just("sk\\ole\t\"x\"\n"),
)
stored_answers = st.one_of(
    st.dictionaries(st.sampled_from([*VARIABLES, "besked"]), stored_value, max_size=12),
    st.sampled_from([[], "tekst", 3, None]),  # not an object: no answers
)
class_name = st.one_of(
    st.sampled_from(["7.a", "8.b", "", "9 æ\tø\\å \"x\"\n"]), st.text(st.characters(exclude_characters="\x00"), max_size=4)
)
row = st.tuples(
    st.integers(-(2**63), 2**63 - 1), st.sampled_from([2024, 2025]), st.sampled_from([3, 5, 8, -1]),
    class_name, st.sampled_from([7, 8, MISSING]), stored_answers, st.booleans(),
)
_COPY_ESCAPES = {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _copy_line(id_, year, school, klass, grade, answers, indented) -> bytes:
    """One line as PostgreSQL's COPY (text format) sends what ``copy_into_reader``'s query selects."""
    stored = json.dumps(answers, indent=1 if indented else None, ensure_ascii=indented)  # stored as typed
    line = f"[{id_},{year},{school},{json.dumps(klass, ensure_ascii=False)},{grade},{stored}],"
    return ("".join(_COPY_ESCAPES.get(c, c) for c in line) + "\n").encode()


def _row_by_row(rows) -> FrameBuilder:
    builder = FrameBuilder(INSTRUMENT)
    for id_, year, school, klass, grade, answers, _ in sorted(rows, key=lambda r: r[0]):
        answers = json.loads(json.dumps(answers))
        builder.add(year, SCHOOLS.get(school), klass, None if grade == MISSING else grade,
                    answers if isinstance(answers, dict) else {})
    return builder


async def _read(chunks: list[bytes]) -> FrameBuilder:
    reader = CopyReader(VARIABLES)
    for chunk in chunks:
        await reader.receive(chunk)
    await reader.finish()
    builder = FrameBuilder(INSTRUMENT)
    reader.add_to(builder, SCHOOLS)
    return builder


@settings(max_examples=200, deadline=None)
@given(st.lists(row, min_size=1, max_size=40, unique_by=lambda r: r[0]), st.lists(st.integers(0, 4000), max_size=6),
       st.integers(1, 3000))
def test_copied_lines_give_the_frame_of_row_by_row(rows, cuts, piece) -> None:
    import surveys.responses.copied as copied

    data = b"".join(_copy_line(*r) for r in rows)
    bounds = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    chunks = [data[a:b] for a, b in zip(bounds, bounds[1:])]
    default, copied.PIECE = copied.PIECE, piece  # small pieces: many cut at a line's end
    try:
        by_copy = asyncio.run(_read(chunks))
    finally:
        copied.PIECE = default
    assert_same_frames(by_copy.build(), _row_by_row(rows).build())


def test_integers_and_nulls_take_the_typed_decoding() -> None:
    lines = b"[9,2025,3,\"7.a\",7,{\"koen\":1,\"klassetrin\":null,\"x\":\"y\"}],\n[4,2025,-1,\"\",-2147483648,{}],\n"
    index: dict[str, int] = {}
    rows = copied_rows(lines, ["koen", "klassetrin"], index)
    assert rows.ids.tolist() == [9, 4] and rows.schools.tolist() == [3, -1] and index == {"7.a": 0, "": 1}
    assert rows.codes.tolist() == [[1, MISSING], [MISSING, MISSING]]  # koen, klassetrin
    assert rows.grades.tolist() == [7, MISSING] and rows.classes.tolist() == [0, 1]


keyed_row = st.tuples(st.sampled_from([2024, 2025]), st.sampled_from([-1, 0, 1, 2]), st.integers(0, 3),
                      st.sampled_from([7, 8, MISSING]), st.sampled_from([7, 9, MISSING, 2**31 - 1]))


@settings(max_examples=150, deadline=None)
@given(st.lists(keyed_row, max_size=40), st.integers(0, 2))
def test_context_as_arrays_gives_the_frame_of_row_by_row(rows, batches) -> None:
    school_names, class_names = ["A", "B", ""], ["7.a", "", "8.b", None]
    by_arrays, by_row = FrameBuilder(INSTRUMENT), FrameBuilder(INSTRUMENT)
    parts = np.array_split(np.arange(len(rows)), batches + 1)
    for part in parts:  # in batches: codes continue from the earlier batches'
        chosen = [rows[i] for i in part]
        years, schools, classes, grades, asked = (np.array(c, dtype=np.int64).reshape(-1) for c in zip(*chosen)) \
            if chosen else (np.zeros(0, dtype=np.int64),) * 5
        by_arrays.add_keyed(years, schools, school_names, classes, class_names, grades,
                            {"klassetrin": asked.astype(np.int32)})
    for year, school, klass, grade, asked in rows:
        by_row.add(year, school_names[school] if school >= 0 else None, class_names[klass],
                   None if grade == MISSING else grade, {"klassetrin": None if asked == MISSING else asked})
    assert_same_frames(by_arrays.build(), by_row.build())


@pytest.mark.parametrize("odd", ['"2"', "2.0", "true", "[1, 2]", '{"a": 1}', str(2**70), str(2**31)])
def test_a_value_that_is_no_int32_code_is_not_answered(odd: str) -> None:
    rows = json_rows(f'[[1,2025,3,"7.a",7,{{"koen":1,"klassetrin":{odd}}}]]', ["koen", "klassetrin"], {})
    assert rows.codes.tolist() == [[1], [MISSING]]
