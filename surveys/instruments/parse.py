"""Build sections and questions from a parsed instrument file, reporting every problem."""

from __future__ import annotations

from typing import Any

from surveys.instruments.model import (
    DECLINE_CODE,
    OPTION_TYPES,
    QUESTION_TYPES,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_DEFAULT_LENGTH,
    TEXT_MAX_LENGTH,
    Condition,
    Item,
    Option,
    Question,
    Section,
    Text,
)
from surveys.instruments.reader import Reader

__all__ = ["QUESTION_KEYS", "parse_option_sets", "parse_sections"]

_COMMON = ("id", "type", "text", "help", "required", "sensitive", "show_if")
QUESTION_KEYS: dict[str, tuple[str, ...]] = {
    "single": (*_COMMON, "options", "skip_implies", "known_from"),
    "likert": (*_COMMON, "options", "skip_implies"),
    "multi": (*_COMMON, "options", "max_choices"),
    "matrix": (*_COMMON, "options", "items"),
    "scale": (*_COMMON, "min_label", "max_label"),
    "number": (*_COMMON, "min", "max"),
    "text": (*_COMMON, "max_length"),
}
_ALL_KEYS = frozenset(key for keys in QUESTION_KEYS.values() for key in keys)

OptionSets = dict[str, tuple[Option, ...]]


def parse_option_sets(r: Reader, value: object) -> OptionSets:
    """The named option lists of ``[option_sets]``."""
    if value is None:
        return {}
    table = r.table(value, None, "option_sets")
    sets: OptionSets = {}
    for name, options in (table or {}).items():
        if r.ident(name, name, "option set"):
            sets[name] = _options(r, options, name, f"option set {name!r}")
    return sets


def parse_sections(r: Reader, value: object, sets: OptionSets) -> tuple[Section, ...]:
    """All ``[[sections]]`` with their questions."""
    tables = r.tables(value, None, "sections")
    if not tables:
        r.problem(None, "the instrument has no sections")
    return tuple(_section(r, t, i, sets) for i, t in enumerate(tables, 1))


def _section(r: Reader, t: dict[str, Any], number: int, sets: OptionSets) -> Section:
    sid = r.ident(
        t.get("id"),
        None if t.get("id") is None else str(t.get("id")),
        f"section {number}",
    )
    where = sid or f"section {number}"
    r.keys(t, ("id", "title", "intro", "questions"), where, "section")
    title = r.text(t, "title", where)
    intro = r.text(t, "intro", where, required=False)
    tables = r.tables(t.get("questions"), where, "questions")
    if not tables:
        r.problem(where, "section has no questions")
    questions = [
        _question(r, q, f"question {i} in section {where!r}", sets)
        for i, q in enumerate(tables, 1)
    ]
    # A broken section is kept (with placeholders) so later checks still see its good questions.
    placeholder = Text.of(dict.fromkeys(r.languages, where))
    return Section(
        sid or where,
        title or placeholder,
        intro,
        tuple(q for q in questions if q is not None),
    )


def _skip(r: Reader, t: dict[str, Any]) -> None:
    """Remember the ids of a broken question so references to it are not reported again."""
    r.skipped.add(str(t.get("id")))
    for item in t.get("items") or ():
        if isinstance(item, dict):
            r.skipped.add(str(item.get("id")))


def _question(
    r: Reader, t: dict[str, Any], position: str, sets: OptionSets
) -> Question | None:
    raw_id = t.get("id")
    qid = r.ident(raw_id, position if raw_id is None else str(raw_id), "question")
    where = qid or (position if raw_id is None else str(raw_id))
    before = len(r.problems)
    qtype = t.get("type")
    if qtype not in QUESTION_TYPES:
        r.problem(
            where,
            f"unknown question type {qtype!r} (one of {', '.join(QUESTION_TYPES)})",
        )
        _skip(r, t)
        return None
    for key in t:
        if key in _ALL_KEYS and key not in QUESTION_KEYS[qtype]:
            r.problem(where, f"key {key!r} is not allowed on a {qtype} question")
    r.keys(
        {k: v for k, v in t.items() if k not in _ALL_KEYS},
        QUESTION_KEYS[qtype],
        where,
        "question",
    )
    sensitive = r.boolean(t, "sensitive", where)
    if sensitive and qtype not in OPTION_TYPES:
        r.problem(
            where,
            "sensitive is only allowed on single, multi, likert and matrix questions",
        )
    fields: dict[str, Any] = {
        "text": r.text(t, "text", where),
        "help": r.text(t, "help", where, required=False),
        "required": r.boolean(t, "required", where),
        "sensitive": sensitive,
        "show_if": _condition(r, t.get("show_if"), where),
    }
    if qtype in OPTION_TYPES:
        fields["options"] = _question_options(
            r, t.get("options"), where, sets, sensitive
        )
    if qtype in ("single", "likert"):
        fields.update(_asked(r, t, where, fields))
    if qtype == "multi":
        fields["max_choices"] = _max_choices(r, t, where, fields["options"])
    if qtype == "matrix":
        fields["items"] = _items(r, t.get("items"), where)
    if qtype == "scale":
        fields.update(min=SCALE_MIN, max=SCALE_MAX)
        fields["min_label"] = r.text(t, "min_label", where, required=False)
        fields["max_label"] = r.text(t, "max_label", where, required=False)
    if qtype == "number":
        fields.update(_number_range(r, t, where))
    if qtype == "text":
        fields["max_length"] = _max_length(r, t, where)
    if len(r.problems) > before or qid is None:
        _skip(r, t)
        return None
    return Question(id=qid, type=qtype, **fields)


def _options(r: Reader, value: object, where: str, what: str) -> tuple[Option, ...]:
    tables = r.tables(value, where, f"{what} options")
    options: list[Option] = []
    seen: set[int] = set()
    for number, t in enumerate(tables, 1):
        r.text_keys(t, ("code",), where, f"option {number}")
        code = t.get("code")
        named = f"option {code}" if isinstance(code, int) and not isinstance(code, bool) else f"option {number}"
        label = r.flat_text(t, where, named, ("code",))
        if not isinstance(code, int) or isinstance(code, bool):
            r.problem(where, f"option {number}: code must be an integer, not {code!r}")
        elif code == DECLINE_CODE:
            r.problem(
                where,
                f"option code {DECLINE_CODE} is reserved for 'Vil ikke svare' (set sensitive = true)",
            )
        elif code in seen:
            r.problem(where, f"option code {code} is used more than once")
        elif label is not None:
            seen.add(code)
            options.append(Option(code, label))
    if len(tables) < 2:
        r.problem(where, f"{what} needs at least two options")
    return tuple(options)


def _question_options(
    r: Reader, value: object, where: str, sets: OptionSets, sensitive: bool
) -> tuple[Option, ...]:
    if isinstance(value, str):
        if value not in sets:
            r.problem(where, f"unknown option set {value!r}")
        options = sets.get(value, ())
    else:
        options = _options(r, value, where, "question")
    return (*options, Option(DECLINE_CODE, r.decline_label)) if sensitive else options


def _items(r: Reader, value: object, where: str) -> tuple[Item, ...]:
    tables = r.tables(value, where, "items")
    if not tables:
        r.problem(where, "a matrix question needs items")
    items = []
    for number, t in enumerate(tables, 1):
        r.text_keys(t, ("id",), where, f"item {number}")
        iid = r.ident(t.get("id"), where, f"item {number}")
        text = r.flat_text(t, where, f"item {iid or number}", ("id",))
        if iid is not None and text is not None:
            items.append(Item(iid, text))
    return tuple(items)


def _condition(r: Reader, value: object, where: str) -> Condition | None:
    if value is None:
        return None
    t = r.table(value, where, "show_if")
    if t is None:
        return None
    r.keys(t, ("question", "in"), where, "show_if")
    question = t.get("question")
    codes = r.codes(t.get("in"), where, "show_if.in")
    if not isinstance(question, str):
        r.problem(where, "show_if.question must be a question id")
        return None
    return Condition(question, codes) if codes is not None else None


def _asked(r: Reader, t: dict[str, Any], where: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``skip_implies`` (the answer when an earlier answer skips the question) and ``known_from``."""
    implied = r.integer(t, "skip_implies", where, "skip_implies")
    codes = {o.code for o in fields.get("options", ()) if o.code != DECLINE_CODE}
    if implied is not None:
        if fields.get("show_if") is None:
            r.problem(where, "skip_implies needs show_if (it is the answer when the condition skips the question)")
        if implied not in codes:
            r.problem(where, f"skip_implies {implied} is not an option code of the question")
    known = t.get("known_from")
    if known is not None:
        if known != "class":
            r.problem(where, f"known_from must be 'class', not {known!r}")
        if fields.get("show_if") is not None or fields.get("sensitive"):
            r.problem(where, "a question with known_from cannot have show_if or be sensitive")
    return {"skip_implies": implied, "known_from": known if known == "class" else None}


def _max_choices(
    r: Reader, t: dict[str, Any], where: str, options: tuple[Option, ...]
) -> int | None:
    value = r.integer(t, "max_choices", where, "max_choices")
    choosable = len([o for o in options if o.code != DECLINE_CODE])
    if value is not None and not 1 <= value <= choosable:
        r.problem(where, f"max_choices must be between 1 and {choosable}, not {value}")
    return value


def _number_range(r: Reader, t: dict[str, Any], where: str) -> dict[str, int | None]:
    low = r.integer(t, "min", where, "min")
    high = r.integer(t, "max", where, "max")
    if "min" not in t or "max" not in t:
        r.problem(where, "a number question needs min and max")
    elif low is not None and high is not None and low > high:
        r.problem(where, f"min ({low}) is greater than max ({high})")
    return {"min": low, "max": high}


def _max_length(r: Reader, t: dict[str, Any], where: str) -> int:
    value = r.integer(t, "max_length", where, "max_length")
    if value is None:
        return TEXT_DEFAULT_LENGTH
    if not 1 <= value <= TEXT_MAX_LENGTH:
        r.problem(
            where, f"max_length must be between 1 and {TEXT_MAX_LENGTH}, not {value}"
        )
    return value
