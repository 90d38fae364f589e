"""A SELECT-only database reader trying to tie responses to links (the attack of issue 12).

The reader knows nothing of trivsel's code: it lists every table it may read, polls all of
them every 50 ms and remembers every row version it ever saw (with ``xmin``/``ctid`` on
PostgreSQL, ``rowid`` on SQLite). On SQLite it also gets a copy of the database file and its
``-wal`` after every request, opens each copy as a database (the state the WAL replays) and
greps the raw WAL bytes. :func:`link_responses` then tries every linkage it knows.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Attack", "Observed", "Poller", "Snapshots", "spearman"]

POLL_S = 0.05


@dataclass
class Observed:
    """Every distinct row version a reader saw, with the first observation index it was seen in."""

    first_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    polls: int = 0

    def see(self, table: str, row: dict[str, Any]) -> None:
        key = (table, json.dumps(row, sort_keys=True, default=str))
        if key not in self.first_seen:
            self.first_seen[key] = self.polls
            self.rows[key] = row

    def versions(self, table: str) -> list[tuple[int, dict[str, Any]]]:
        return sorted(((self.first_seen[key], row) for key, row in self.rows.items() if key[0] == table),
                      key=lambda item: item[0])


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    names = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in names]


def read_sqlite(connection: sqlite3.Connection, observed: Observed) -> None:
    """One poll of every table through a read-only SQLite connection."""
    connection.execute("BEGIN")
    try:
        for table in _sqlite_tables(connection):
            if table in ("instrument", "migration"):
                continue
            cursor = connection.execute(f'SELECT rowid AS _pos, * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                observed.see(table, {n: (v.hex() if isinstance(v, bytes) else v) for n, v in zip(names, values)})
    finally:
        connection.execute("COMMIT")
    observed.polls += 1


class Poller:
    """Polls every table every 50 ms in a thread of its own, as the SELECT-only ``dsn`` (PostgreSQL)
    or through a read-only connection to ``sqlite_path``."""

    def __init__(self, *, sqlite_path: str | None = None, dsn: str | None = None) -> None:
        self.observed = Observed()
        self._sqlite_path = sqlite_path
        self._dsn = dsn
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.errors: list[BaseException] = []

    def __enter__(self) -> Poller:
        self._thread.start()
        time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.2)
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        try:
            if self._sqlite_path is not None:
                connection = sqlite3.connect(f"file:{self._sqlite_path}?mode=ro", uri=True, isolation_level=None)
                while not self._stop.is_set():
                    read_sqlite(connection, self.observed)
                    time.sleep(POLL_S)
                connection.close()
            else:
                asyncio.run(self._run_pg())
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            self.errors.append(exc)

    async def _run_pg(self) -> None:
        import asyncpg

        connection = await asyncpg.connect(self._dsn)
        try:
            tables = [r[0] for r in await connection.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE'")]
            while not self._stop.is_set():
                async with connection.transaction(isolation="repeatable_read", readonly=True):
                    for table in tables:
                        if table in ("instrument", "migration"):
                            continue
                        rows = await connection.fetch(
                            f'SELECT ctid::text AS _pos, xmin::text AS _xmin, * FROM "{table}"')
                        for row in rows:
                            self.observed.see(table, {k: (v.hex() if isinstance(v, bytes) else
                                                          (str(v) if not isinstance(v, (int, str, float, type(None))) else v))
                                                      for k, v in dict(row).items()})
                self.observed.polls += 1
                await asyncio.sleep(POLL_S)
        finally:
            await connection.close()


class Snapshots:
    """SQLite only: copies of the database file and its ``-wal`` after every request, each opened
    as a database (what the WAL replays), plus the raw WAL bytes."""

    def __init__(self, path: str, workdir: Path) -> None:
        self.path = path
        self.workdir = workdir
        self.observed = Observed()
        self.wal_bytes: list[bytes] = []

    def take(self) -> None:
        index = len(self.wal_bytes)
        target = self.workdir / f"copy{index}.sqlite"
        wal = Path(self.path + "-wal")
        raw = wal.read_bytes() if wal.exists() else b""
        shutil.copy(self.path, target)
        if raw:
            Path(str(target) + "-wal").write_bytes(raw)
        self.wal_bytes.append(raw)
        connection = sqlite3.connect(str(target), isolation_level=None)
        try:
            read_sqlite(connection, self.observed)
        finally:
            connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (no ties expected)."""
    n = len(xs)
    if n < 2:
        return 0.0
    rank_x = {v: i for i, v in enumerate(sorted(xs))}
    rank_y = {v: i for i, v in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _answers(value: Any) -> dict | None:
    if isinstance(value, str) and value.startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return value if isinstance(value, dict) else None


def _pos_key(pos: Any) -> tuple:
    if isinstance(pos, str) and pos.startswith("("):
        block, offset = pos.strip("()").split(",")
        return (int(block), int(offset))
    return (int(pos),)


@dataclass
class Attack:
    """What the reader concluded: per response, the links it could belong to and a best guess."""

    candidates: dict[int, set[int]]
    guesses: dict[int, int]
    physical: list[int]  # response ids in the order a reader sees them (ctid, rowid)
    leaks_before_release: int  # free texts found in clear in the raw WAL before their response existed
    alone: dict[str, list[set[int]]] = field(default_factory=dict)  # each linker's sets, to report

    def singled_out(self, truth: dict[int, int]) -> dict[str, int]:
        """Per linker: responses it alone narrowed to exactly their own link."""
        return {name: sum(1 for found in sets for rid, links in found.items() if links == {truth.get(rid)})
                for name, sets in self.alone.items()}

    def correct(self, truth: dict[int, int]) -> int:
        return sum(1 for response, link in self.guesses.items() if truth.get(response) == link)

    def smallest_set(self) -> int:
        return min((len(s) for s in self.candidates.values()), default=0)


def _timing(observed: Observed) -> tuple[dict[int, int], dict[int, dict], dict[int, set[str]]]:
    """When each link was first seen used, the first version of each response, xmins of each link."""
    used_at: dict[int, int] = {}
    link_xmins: dict[int, set[str]] = {}
    for index, row in observed.versions("link"):
        link_xmins.setdefault(row["id"], set()).add(str(row.get("_xmin")))
        if row.get("uses") and row["id"] not in used_at:
            used_at[row["id"]] = index
    responses: dict[int, dict] = {}
    for index, row in observed.versions("response"):
        if row["id"] not in responses:
            responses[row["id"]] = {**row, "_seen": index}
    return used_at, responses, link_xmins


def _by_time(used_at: dict[int, int], responses: dict[int, dict]) -> dict[int, set[int]]:
    """A response appears at some observation; its link became used after the previous appearance
    of responses and no later than this one."""
    events = sorted({r["_seen"] for r in responses.values()})
    out: dict[int, set[int]] = {}
    for rid, row in responses.items():
        seen = row["_seen"]
        before = max((e for e in events if e < seen), default=-1)
        out[rid] = {link for link, at in used_at.items() if before < at <= seen}
    return out


def _by_content(observed: Observed, responses: dict[int, dict], texts: Callable[[dict], str]) -> dict[int, set[int]]:
    """Rows elsewhere that hold a response's answers (or its free text) in clear, and name a link."""
    out: dict[int, set[int]] = {}
    wanted = {rid: (_answers(row.get("answers")), texts(_answers(row.get("answers")) or {})) for rid, row in responses.items()}
    for (table, _), row in observed.rows.items():
        if table in ("response", "link"):
            continue
        link = row.get("link")
        if link is None:
            continue
        for rid, (answers, text) in wanted.items():
            for value in row.values():
                if (answers and _answers(value) == answers) or (text and isinstance(value, str) and text in value):
                    out.setdefault(rid, set()).add(link)
    return out


def _consistent(found: dict[int, set[int]]) -> dict[int, set[int]]:
    """A set of links named for more responses than it holds cannot say which is which: the reader
    widens it to the union of the sets of all responses sharing it (what it really knows)."""
    sharing: dict[frozenset[int], list[int]] = {}
    for rid, links in found.items():
        sharing.setdefault(frozenset(links), []).append(rid)
    out = dict(found)
    for links, rids in sharing.items():
        if links and len(links) < len(rids):
            for rid in rids:
                out[rid] = set()  # no information for these responses
    return out


def link_responses(
    observations: list[Observed], *, texts: Callable[[dict], str], wal: list[bytes] | None = None
) -> Attack:
    """Every linkage the reader knows, on every sequence of observations, intersected."""
    candidates: dict[int, set[int]] = {}
    alone: dict[str, list] = {}
    positions: dict[int, tuple] = {}
    used_order: dict[int, int] = {}
    for observed in observations:
        used_at, responses, link_xmins = _timing(observed)
        for link, at in used_at.items():
            used_order.setdefault(link, at)
        sets = [_by_time(used_at, responses), _by_content(observed, responses, texts)]
        xmin_sets: dict[int, set[int]] = {}
        for rid, row in responses.items():
            if row.get("_xmin") is not None:
                xmin_sets[rid] = {link for link, xmins in link_xmins.items() if str(row["_xmin"]) in xmins}
            positions.setdefault(rid, (_pos_key(row["_pos"]), rid))
        sets.append(xmin_sets)
        sets = [_consistent(found) for found in sets]
        for name, found in zip(("same appearance", "answers in another table", "xmin"), sets):
            alone.setdefault(name, []).append(found)
        for found in sets:
            for rid, links in found.items():
                if not links:
                    continue
                current = candidates.get(rid)
                narrowed = links if current is None else (current & links or (links if len(links) < len(current) else current))
                candidates[rid] = narrowed
    leaks = 0
    if wal is not None:
        first_response_copy: dict[str, int] = {}
        observed = observations[-1]
        for index, row in observed.versions("response"):
            text = texts(_answers(row.get("answers")) or {})
            first_response_copy.setdefault(text, index)
        for text, index in first_response_copy.items():
            if text and any(text.encode() in raw for raw in wal[:index]):
                leaks += 1
    ordered_links = sorted(used_order, key=lambda link: used_order[link])
    rank_of_link = {link: i for i, link in enumerate(ordered_links)}
    physical = sorted(positions, key=lambda rid: positions[rid])
    guesses: dict[int, int] = {}
    taken: set[int] = set()
    for rid in physical:
        pool = sorted(candidates.get(rid) or set(ordered_links), key=lambda link: rank_of_link.get(link, 0))
        free = [link for link in pool if link not in taken] or pool
        if free:
            guesses[rid] = free[0]
            taken.add(free[0])
    return Attack(candidates, guesses, physical, leaks, alone)
