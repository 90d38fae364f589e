"""A whole school at 9:00 with faults: many pupils at once, double taps, dropped replies, and a
server that is killed mid-way.

    .venv/bin/python benchmarks/burst.py [--pupils 1000] [--classes 10] [--databases sqlite,postgres]

For each database: a fresh database with one link per pupil (spread over classes), a real
``trivsel serve`` process, and every pupil answering at once over HTTP (aiohttp): the welcome
page, every page saved as a draft, the review, the final submit. One pupil in ten sends the final
submit twice at the same moment (a double tap); one in ten sends it, drops the connection before
the reply and sends it again (a train going into a tunnel). When 40 % of the pupils have been
thanked, the server process gets SIGKILL and is started again on the same port; pupils whose
requests failed try again, as a phone does.

Afterwards, counting rows: every pupil thanked has a used link; responses equal used links in
every class and in total (so no response without a used link and none twice); no draft is left
for a used link. ``tests/integration/test_burst.py`` runs the short form in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.conftest import pg_admin, pg_url  # noqa: E402  (after the path is set)

PAGES = [
    {"koen": "2"},  # the grade comes from the class (8)
    {"livstilfredshed": "7", "glad_for_skolen": "4", "ensom": "2", "mobbet": "1"},
    {"alkohol_nogensinde": "2", "hash_nogensinde": "1", "andre_stoffer": "7"},
    {"ved_hvor_hjaelp": "1", "kender_tilbud": ["1", "2"], "besked": "Godt skema"},
]
KILL_AT = 0.4  # share of pupils thanked when the server is killed


@dataclass
class Outcome:
    """What the pupils saw, and what the database holds afterwards."""

    pupils: int
    thanked: int = 0
    double_taps: int = 0
    dropped_replies: int = 0
    retries: int = 0
    kills: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        c = self.counts
        found = []
        if self.thanked != self.pupils:
            found.append(f"{self.pupils - self.thanked} pupils never thanked")
        if c["thanked_unused"]:
            found.append(f"{c['thanked_unused']} thanked pupils whose link is not used")
        if c["responses"] != c["used_links"]:
            found.append(f"{c['responses']} responses for {c['used_links']} used links")
        if c["classes_off"]:
            found.append(f"{c['classes_off']} classes where responses != used links")
        if c["orphan_drafts"]:
            found.append(f"{c['orphan_drafts']} drafts of used links")
        if c["duplicate_ids"]:
            found.append(f"{c['duplicate_ids']} duplicate response ids")
        return found

    def report(self, kind: str) -> str:
        c = self.counts
        return (
            f"{kind}: {self.pupils} pupils in {self.seconds:.1f} s, {self.kills} SIGKILL + restart, "
            f"{self.double_taps} double taps, {self.dropped_replies} dropped replies, {self.retries} retries\n"
            f"  thanked {self.thanked}; links used {c['used_links']} of {c['links']}; responses {c['responses']} (held {c.get('held', 0)}) "
            f"({c['classes']} classes, {c['classes_off']} off); thanked but link unused {c['thanked_unused']}; "
            f"drafts left {c['drafts']} (of used links {c['orphan_drafts']}); duplicate ids {c['duplicate_ids']}\n"
            f"  {'OK: every acknowledged submission stored exactly once' if not self.problems else 'FAILED: ' + '; '.join(self.problems)}"
        )


# ---------------------------------------------------------------- the database
async def seed(database_url: str, pupils: int, classes: int, key: str) -> list[str]:
    """One open wave; ``pupils`` links spread over ``classes`` classes; their tokens."""
    from surveys.instruments.catalog import sync_instruments
    from surveys.db.engine import migrate, opened_database
    from surveys.answering.issuing import issue_links
    from surveys.answering.links import LinkSigner
    from surveys.organisation.municipality import get_organisation
    from surveys.organisation.schools import add_class, add_school
    from surveys.instruments import PUPIL_INSTRUMENT
    from surveys.organisation.waves import create_wave

    async with opened_database(database_url, pool_size=4) as engine:
        await migrate(engine)
        await sync_instruments()
        await get_organisation("Burst Kommune")
        school = await add_school("Burst Skole")
        wave = await create_wave(PUPIL_INSTRUMENT, year=2026, name="Burst")
        signer, tokens = LinkSigner((key,)), []
        for number in range(classes):
            klass = await add_class("Burst Skole", f"{number + 7}.{number}", grade=8)
            count = pupils // classes + (1 if number < pupils % classes else 0)
            links = await issue_links(signer, "http://x", "pupil", count, wave=wave.id, school=school.id,
                                      school_class=klass.id) if count else []
            tokens.extend(link.token for link in links)
        return tokens


async def count_rows(database_url: str, thanked_tokens: list[str], key: str) -> dict[str, int]:
    from surveys.db.engine import opened_database
    from surveys.answering.links import LinkSigner
    from surveys.answering.store.sealing import draft_key
    from surveys.db.tables import Draft, HeldResponse, Link, Response

    async with opened_database(database_url, pool_size=2):
        links = await Link.select(Link.id, Link.id_hash, Link.uses, Link.school_class)
        # Stored answers: released into response, or held (sealed) until k of the class go together.
        responses = await Response.select(Response.id, Response.school_class)
        held = await HeldResponse.select(HeldResponse.id, HeldResponse.school_class)
        drafts = await Draft.select(Draft.key)
    signer = LinkSigner((key,))
    thanked_keys = {draft_key(token.split(".")[0]) for token in thanked_tokens}
    used_hashes = {row["id_hash"] for row in links if row["uses"]}
    used_ids = {row["id"] for row in links if row["uses"]}
    per_class: dict[int, list[int]] = {}
    for row in links:
        per_class.setdefault(row["school_class"], [0, 0])[0] += bool(row["uses"])
    for row in [*responses, *held]:
        per_class.setdefault(row["school_class"], [0, 0])[1] += 1
    return {
        "links": len(links),
        "used_links": len(used_ids),
        "responses": len(responses) + len(held),
        "held": len(held),
        "duplicate_ids": len(responses) - len({row["id"] for row in responses}),
        "classes": len(per_class),
        "classes_off": sum(1 for used, answered in per_class.values() if used != answered),
        "thanked_unused": sum(1 for token in thanked_tokens if signer.verify(token, "pupil") not in used_hashes),
        "drafts": len(drafts),
        "orphan_drafts": sum(1 for row in drafts if row["key"] in thanked_keys),
    }


# ---------------------------------------------------------------- the pupils
class Burst:
    def __init__(self, url: str, tokens: list[str], restart) -> None:
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.tokens = tokens
        self.restart = restart
        self.outcome = Outcome(pupils=len(tokens))
        self.thanked: list[str] = []
        self.killed = asyncio.Event()

    async def run(self) -> Outcome:
        import aiohttp

        started = time.perf_counter()
        connector = aiohttp.TCPConnector(limit=len(self.tokens), force_close=False)
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            killer = asyncio.create_task(self._kill_midway())
            await asyncio.gather(*(self._pupil(session, number, token) for number, token in enumerate(self.tokens)))
            if self.outcome.kills:
                await killer  # the pupils may finish on the new server before the restart has returned
            else:
                killer.cancel()
        self.outcome.seconds = time.perf_counter() - started
        self.outcome.thanked = len(self.thanked)
        return self.outcome

    async def _kill_midway(self) -> None:
        while len(self.thanked) < KILL_AT * len(self.tokens):
            await asyncio.sleep(0.01)
        self.outcome.kills += 1
        await asyncio.to_thread(self.restart)
        self.killed.set()

    async def _request(self, session, method: str, path: str, data=None):
        """One request, tried again (as a phone would) while the server is down or restarting."""
        import aiohttp

        for attempt in range(200):
            try:
                async with session.request(method, self.url + path, data=data, allow_redirects=False) as response:
                    await response.read()
                    if response.status >= 500:
                        raise RuntimeError(f"{method} {path.split('/')[-1]}: {response.status}")
                    return response.status, response.headers.get("location", "")
            except (aiohttp.ClientConnectionError, asyncio.TimeoutError):
                self.outcome.retries += 1
                await asyncio.sleep(0.05 + 0.05 * min(attempt, 10))
        raise RuntimeError(f"{method} {path}: the server never came back")

    async def _pupil(self, session, number: int, token: str) -> None:
        import aiohttp

        base = f"/s/{token}"
        await self._request(session, "GET", base)
        for page, answers in enumerate(PAGES, start=1):
            form = aiohttp.FormData([(k, v) for k, vs in answers.items() for v in (vs if isinstance(vs, list) else [vs])])
            status, _ = await self._request(session, "POST", f"{base}/p/{page}", form)
            if status != 303:
                raise RuntimeError(f"page {page}: {status}")
        await self._request(session, "GET", f"{base}/review")
        if number % 10 == 0:  # a double tap: two submits at the same moment
            self.outcome.double_taps += 1
            replies = await asyncio.gather(*(self._request(session, "POST", f"{base}/submit") for _ in range(2)))
        else:
            if number % 10 == 5:  # the reply is lost: the request goes out, the connection drops
                self.outcome.dropped_replies += 1
                await self._send_and_drop(f"{base}/submit")
            replies = [await self._request(session, "POST", f"{base}/submit")]
        if all(status == 303 and location.endswith(f"{base}/tak") for status, location in replies):
            self.thanked.append(token)
        else:
            raise RuntimeError(f"submit answered {replies}")

    async def _send_and_drop(self, path: str) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return  # the server is down: nothing was sent
        request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n")
        writer.write(request.encode())
        try:
            await writer.drain()
        except OSError:
            pass
        writer.transport.abort()  # gone before the reply


# ---------------------------------------------------------------- one run
def run_burst(database_url: str, pupils: int, work_dir: Path, *, classes: int = 10) -> Outcome:
    """Seed ``database_url`` (empty, or new), run the burst against a real server, count the rows."""
    from tests.conftest import TEST_KEY
    from tests.e2e.conftest import start_server, stop_server

    tokens = asyncio.run(seed(database_url, pupils, classes, TEST_KEY))
    server = start_server(database_url, work_dir)
    port = int(server.url.rsplit(":", 1)[1])

    def kill_and_restart() -> None:
        nonlocal server
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        server = start_server(database_url, work_dir, port=port)

    burst = Burst(server.url, tokens, kill_and_restart)
    try:
        outcome = asyncio.run(burst.run())
    finally:
        stop_server(server)
    outcome.counts = asyncio.run(count_rows(database_url, burst.thanked, TEST_KEY))
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=1000, help="pupils answering at once (one link each)")
    parser.add_argument("--classes", type=int, default=10, help="classes the links are spread over")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    ok = True
    for kind in args.databases.split(","):
        work_dir = Path(tempfile.mkdtemp(prefix="trivsel-burst-"))
        cleanup = None
        if kind == "sqlite":
            url = f"sqlite:///{work_dir / 'burst.sqlite'}"
        else:
            name = f"trivsel_burst_{secrets.token_hex(3)}"
            asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
            url = pg_url(name)
            cleanup = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        try:
            outcome = run_burst(url, args.pupils, work_dir, classes=args.classes)
        finally:
            if cleanup:
                asyncio.run(pg_admin(cleanup))
        print(outcome.report(kind), flush=True)
        ok = ok and not outcome.problems
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
