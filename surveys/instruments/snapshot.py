"""JSON-able snapshots of instruments (the database keeps one per version).

The snapshot has exactly the structure of the TOML file, so a snapshot is read
back through the same validation as a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.instruments.loader import build_instrument
from surveys.instruments.model import (
    DECLINE_CODE,
    OPTION_TYPES,
    Indicator,
    Instrument,
    Question,
    Text,
)

__all__ = ["instrument_from_dict", "instrument_to_dict"]


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """The instrument as plain dicts, lists, strings and numbers (file structure)."""
    return {
        "id": instrument.id,
        "version": instrument.version,
        "audience": instrument.audience,
        "languages": {
            lang: "draft" if instrument.is_draft(lang) else "validated" for lang in instrument.languages
        },
        **({"decline_label": _text(instrument.decline_label)} if instrument.decline_label else {}),
        "title": _text(instrument.title),
        "intro": _text(instrument.intro),
        "sections": [
            {
                "id": section.id,
                "title": _text(section.title),
                **({"intro": _text(section.intro)} if section.intro else {}),
                "questions": [_question(q) for q in section.questions],
            }
            for section in instrument.sections
        ],
        "indicators": [_indicator(indicator) for indicator in instrument.indicators],
        **({"changes": [{"version": c.version, "text": _text(c.text)} for c in instrument.changes]}
           if instrument.changes else {}),
    }


def instrument_from_dict(data: Mapping[str, Any]) -> Instrument:
    """Rebuild (and re-validate) an instrument from ``instrument_to_dict`` output."""
    source = f"<snapshot {data.get('id')!s} v{data.get('version')!s}>"
    return build_instrument(data, source)


def _text(text: Text) -> dict[str, str]:
    return text.as_dict()


def _question(q: Question) -> dict[str, Any]:
    d: dict[str, Any] = {"id": q.id, "type": q.type, "text": _text(q.text)}
    if q.help is not None:
        d["help"] = _text(q.help)
    if q.required:
        d["required"] = True
    if q.sensitive:
        d["sensitive"] = True
    if q.show_if is not None:
        d["show_if"] = {"question": q.show_if.question, "in": list(q.show_if.in_)}
    if q.skip_implies is not None:
        d["skip_implies"] = q.skip_implies
    if q.known_from is not None:
        d["known_from"] = q.known_from
    if q.type in OPTION_TYPES:
        d["options"] = [
            {"code": o.code, **_text(o.label)}
            for o in q.options
            if not (q.sensitive and o.code == DECLINE_CODE)
        ]
    if q.items:
        d["items"] = [{"id": item.id, **_text(item.text)} for item in q.items]
    if q.max_choices is not None:
        d["max_choices"] = q.max_choices
    for key in ("min_label", "max_label"):
        label = getattr(q, key)
        if label is not None:
            d[key] = _text(label)
    if q.type == "number":
        d.update(min=q.min, max=q.max)
    if q.type == "text":
        d["max_length"] = q.max_length
    return d


def _indicator(indicator: Indicator) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": indicator.id,
        "kind": indicator.kind,
        "label": _text(indicator.label),
    }
    if indicator.kind == "share":
        d.update(variable=indicator.variable, yes=list(indicator.yes))
    else:
        d.update(items=list(indicator.items), min_answered=indicator.min_answered)
        if indicator.reverse:
            d["reverse"] = list(indicator.reverse)
    if indicator.population is not None:
        d["population"] = _text(indicator.population)
    if indicator.goal:
        d["goal"] = True
    target = indicator.target
    if target is not None:
        value = (
            round(target.value * 100, 10) if indicator.kind == "share" else target.value
        )
        d["target"] = {"op": target.op, "value": value}
        if target.year is not None:
            d["target"]["year"] = target.year
        if target.text is not None:
            d["target"]["text"] = _text(target.text)
    return d
