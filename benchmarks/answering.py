"""Answering under load: simulated pupils against a real server process over HTTP.

    .venv/bin/python benchmarks/answering.py [--pupils 200] [--links 3000] [--workers 1] [--clients 2]

For SQLite and PostgreSQL in turn: a fresh database, a wave with LINKS links,
then a real ``trivsel serve`` process and CLIENTS load-generator processes
(aiohttp) holding PUPILS concurrent pupils between them.

* Phase A: every pupil does the whole flow (welcome, each page POSTed and saved
  as a draft, review).
* Phase B: every pupil sends the final submit; submissions/s and p50/p99 latency.
* Targets: submits ≥ 1,000/s with p99 ≤ 250 ms; the whole flow p99 ≤ 300 ms.
* Check: responses == links, every link used, no drafts left, no errors.

A bare Litestar endpoint (POST → 303, no database) under the same server and
client setup is measured in the same run as the ceiling of this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import pg_admin, pg_url  # noqa: E402  (after the path is set)

KEY = "benchmark-key-" + "k" * 40
PAGES = [
    {"koen": "2"},  # the grade comes from the class (8)
    {"livstilfredshed": "7", "glad_for_skolen": "4", "glad_for_klassen": "4", "tryg_i_skolen": "5", "ensom": "2", "mobbet": "1"},
    {"alkohol_nogensinde": "2", "hash_nogensinde": "1", "andre_stoffer": "7", "tilbudt_stoffer": "1"},
    {"ved_hvor_hjaelp": "1", "kender_tilbud": ["1", "2"], "besked": "Godt skema"},
]


# ---------------------------------------------------------------- the bare ceiling app
def bare_app():
    """The ceiling: the same kind of request (POST → 303) with no database and no templates."""
    from litestar import Litestar, Request, post
    from litestar.response import Redirect

    async def submit(request: Request) -> Redirect:
        return Redirect(f"/s/{request.path_params['token']}/tak", status_code=303)

    submit.__annotations__ = {"request": Request, "return": Redirect}
    return Litestar([post("/s/{token:str}/submit")(submit)], openapi_config=None)


# ---------------------------------------------------------------- setup
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def seed(database_url: str, count: int) -> list[str]:
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
        await get_organisation("Bench Kommune")
        school = await add_school("Bench Skole")
        klass = await add_class("Bench Skole", "8.a", grade=8)
        wave = await create_wave(PUPIL_INSTRUMENT, year=2026, name="Bench")
        signer = LinkSigner((KEY,))
        tokens: list[str] = []
        while len(tokens) < count:
            batch = await issue_links(signer, "http://x", "pupil", min(2000, count - len(tokens)), wave=wave.id,
                                      school=school.id, school_class=klass.id)
            tokens.extend(link.token for link in batch)
        return tokens


async def verify(database_url: str) -> dict[str, int]:
    from surveys.db.engine import opened_database
    from surveys.db.tables import Draft, HeldResponse, Link, Response

    async with opened_database(database_url, pool_size=2):
        return {
            # released into response, or held (sealed) until k of the class can be released together
            "responses": await Response.count() + await HeldResponse.count(),
            "distinct_ids": len({r["id"] for r in await Response.select(Response.id)}) + await HeldResponse.count(),
            "used": await Link.count().where(Link.uses == 1),
            "drafts": await Draft.count(),
        }


def start_server(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# ---------------------------------------------------------------- load generator (child processes)
async def _pupils(url: str, tokens: list[str], concurrency: int, phase: str, barrier, out) -> None:
    import aiohttp

    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    async def call(session, method: str, path: str, expect: int, data=None) -> None:
        started = time.perf_counter()
        try:
            async with session.request(method, url + path, data=data, allow_redirects=False) as response:
                await response.read()
                if response.status != expect:
                    error(f"{method} {path.split('/', 3)[-1][:12]} → {response.status}")
        except Exception as exc:  # noqa: BLE001 - counted, reported
            error(type(exc).__name__)
        latencies.append(time.perf_counter() - started)

    async def pupil(session) -> None:
        while not queue.empty():
            base = f"/s/{queue.get_nowait()}"
            if phase == "flow":
                await call(session, "GET", base, 200)
                for number, page in enumerate(PAGES, start=1):
                    form = aiohttp.FormData([(k, v) for k, vs in page.items() for v in (vs if isinstance(vs, list) else [vs])])
                    await call(session, "POST", f"{base}/p/{number}", 303, form)
                await call(session, "GET", f"{base}/review", 200)
            else:
                await call(session, "POST", f"{base}/submit", 303)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await call(session, "GET", "/healthz" if phase != "bare" else "/nope", 200 if phase != "bare" else 404)
        latencies.clear()
        errors.clear()
        await asyncio.to_thread(barrier.wait)
        started = time.perf_counter()
        await asyncio.gather(*(pupil(session) for _ in range(concurrency)))
        ended = time.perf_counter()
    out.put((started, ended, latencies, errors))


def _child(url, tokens, concurrency, phase, barrier, out) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_pupils(url, tokens, concurrency, phase, barrier, out))


def load(url: str, tokens: list[str], pupils: int, clients: int, phase: str) -> dict[str, object]:
    context = mp.get_context("spawn")
    barrier, out = context.Barrier(clients), context.Queue()
    slices = [tokens[i::clients] for i in range(clients)]
    children = [context.Process(target=_child, args=(url, s, pupils // clients, phase, barrier, out)) for s in slices]
    for child in children:
        child.start()
    results = [out.get() for _ in children]
    for child in children:
        child.join()
    start = min(r[0] for r in results)
    end = max(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    errors: dict[str, int] = {}
    for r in results:
        for kind, n in r[3].items():
            errors[kind] = errors.get(kind, 0) + n
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "seconds": end - start, "rate": len(latencies) / (end - start),
            "p50": pick(0.50), "p99": pick(0.99), "errors": errors}


# ---------------------------------------------------------------- runs
def run_database(kind: str, args) -> dict[str, object]:
    directory = Path(tempfile.mkdtemp(prefix="trivsel-bench-"))
    if kind == "sqlite":
        url = f"sqlite:///{directory / 'bench.sqlite'}"
        cleanup = None
    else:
        name = f"trivsel_bench_{secrets.token_hex(3)}"
        asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
        url = pg_url(name)
        cleanup = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    try:
        tokens = asyncio.run(seed(url, args.links))
        port = free_port()
        env = {**os.environ, "TRIVSEL_DATABASE_URL": url, "TRIVSEL_SECRET_KEYS": KEY, "TRIVSEL_DATA_DIR": str(directory),
               "TRIVSEL_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
        server = start_server(command, env, port)
        try:
            flow = load(f"http://127.0.0.1:{port}", tokens, args.pupils, args.clients, "flow")
            submit = load(f"http://127.0.0.1:{port}", tokens, args.pupils, args.clients, "submit")
        finally:
            stop_server(server)
        counts = asyncio.run(verify(url))
    finally:
        if cleanup:
            asyncio.run(pg_admin(cleanup))
    return {"flow": flow, "submit": submit, "counts": counts, "links": len(tokens)}


def run_bare(args) -> dict[str, object]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(ROOT / "benchmarks"), "answering:bare_app", "--factory",
               "--port", str(port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"]
    server = start_server(command, {**os.environ}, port)
    try:
        tokens = [secrets.token_urlsafe(24) for _ in range(args.links)]
        return load(f"http://127.0.0.1:{port}", tokens, args.pupils, args.clients, "bare")
    finally:
        stop_server(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=200, help="concurrent simulated pupils")
    parser.add_argument("--links", type=int, default=3000, help="links (pupils in all) per database")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--clients", type=int, default=2, help="load-generator processes")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; {args.pupils} concurrent pupils, {args.links} links per database, "
          f"{args.workers} server worker(s), {args.clients} client process(es)\n")
    ok = True
    bare = run_bare(args)
    print(f"{'run':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  errors")
    print(f"{'bare Litestar POST':<22}{bare['requests']:>9}{bare['rate']:>9.0f}{bare['p50']:>9.1f}{bare['p99']:>9.1f}  {bare['errors'] or 0}")
    for kind in args.databases.split(","):
        result = run_database(kind, args)
        flow, submit, counts = result["flow"], result["submit"], result["counts"]
        print(f"{kind + ' A: whole flow':<22}{flow['requests']:>9}{flow['rate']:>9.0f}{flow['p50']:>9.1f}{flow['p99']:>9.1f}  {flow['errors'] or 0}")
        print(f"{kind + ' B: submits':<22}{submit['requests']:>9}{submit['rate']:>9.0f}{submit['p50']:>9.1f}{submit['p99']:>9.1f}  {submit['errors'] or 0}")
        links = result["links"]
        duplicates = counts["responses"] - counts["distinct_ids"] + max(0, counts["responses"] - links)
        lost = max(0, links - counts["responses"])
        print(f"{'':<22}check: {counts['responses']} responses for {links} links, {counts['used']} used, "
              f"{counts['drafts']} drafts left, {duplicates} duplicates, {lost} lost")
        met = submit["rate"] >= 1000 and submit["p99"] <= 250 and flow["p99"] <= 300 and not submit["errors"] \
            and not flow["errors"] and duplicates == 0 and lost == 0 and counts["drafts"] == 0
        gap = "" if met else (f" (targets: submits ≥ 1000/s with p99 ≤ 250 ms, whole flow p99 ≤ 300 ms; "
                              f"{submit['rate'] / 1000:.0%} of the rate)")
        print(f"{'':<22}{'target met' if met else 'TARGET MISSED'}{gap}")
        ok = ok and met
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
