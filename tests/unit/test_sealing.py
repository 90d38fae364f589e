"""Sealed drafts and held answers: what a database reader gets is opaque, one size, and opens
only with the right secret (drafts) or a server key (held answers, across a key rotation)."""

from __future__ import annotations

import pytest

from surveys.answering.store.sealing import PAD, Sealer, draft_key, open_draft, seal_draft

KEY_OLD = "old-key-" + "a" * 40
KEY_NEW = "new-key-" + "b" * 40


def test_a_draft_opens_only_with_its_secret_and_its_key_is_not_the_links_hash() -> None:
    from surveys.hashing import hash_id

    sealed = seal_draft("secret-one", {"answers": {"besked": "hemmelig"}, "page": 2})
    assert b"hemmelig" not in sealed
    assert open_draft("secret-one", sealed) == {"answers": {"besked": "hemmelig"}, "page": 2}
    assert open_draft("secret-two", sealed) is None
    assert open_draft("secret-one", sealed[:-1] + bytes([sealed[-1] ^ 1])) is None  # tampered
    assert draft_key("secret-one") != hash_id("secret-one") and len(draft_key("secret-one")) == 64


def test_every_sealed_row_has_one_size_whatever_was_written() -> None:
    sizes = {len(seal_draft("s", {"answers": {"besked": "x" * n}})) for n in (0, 1, 20, 300, 900)}
    assert len(sizes) == 1 and sizes.pop() == 12 + PAD + 16
    sealer = Sealer((KEY_NEW,))
    assert len({len(sealer.seal(["row", "x" * n])) for n in (0, 500, 900)}) == 1


def test_held_answers_open_with_any_server_key_after_a_rotation() -> None:
    before = Sealer((KEY_OLD,)).seal([1, 2, "svar"])
    rotated = Sealer((KEY_OLD, KEY_NEW))
    assert rotated.open(before) == [1, 2, "svar"]
    assert rotated.open(rotated.seal(["ny"])) == ["ny"]
    with pytest.raises(ValueError):
        Sealer((KEY_NEW,)).open(before)
