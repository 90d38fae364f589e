"""Shared fixtures: every database test runs on SQLite (a real file) and on PostgreSQL.

Async tests are marked with ``pytestmark = pytest.mark.anyio`` in their module.
PostgreSQL is the server at ``TRIVSEL_TEST_PG_ADMIN_URL`` (default: the local
trust-auth server); each test session creates its own database there and drops
it afterwards. Unreachable PostgreSQL skips those tests locally and fails them
in CI (``CI=true``).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from server.settings import Settings
from surveys.db.engine import migrate, open_database, opened_database, use_database
from surveys.db.tables import ALL_TABLES
from surveys.db.urls import make_engine

PG_ADMIN_URL = os.environ.get("TRIVSEL_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_KEY = "test-key-" + "x" * 40

DATABASES = ["sqlite", "postgres"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pg_url(database: str) -> str:
    """The URL of ``database`` on the PostgreSQL server the tests (and benchmarks) use."""
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


async def pg_admin(sql: str) -> None:
    """Run one administrative statement (CREATE/DROP DATABASE) on the admin database."""
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session."""
    name = f"trivsel_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, ConnectionError, asyncio.TimeoutError) as exc:
        message = f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    url = pg_url(name)

    async def setup() -> None:
        engine = make_engine(url)
        use_database(engine)
        await migrate(engine)

    asyncio.run(setup())
    yield url
    asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"

    async def setup() -> None:
        engine = make_engine(f"sqlite:///{path}")
        await open_database(engine)
        await migrate(engine)

    asyncio.run(setup())
    return path


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "trivsel.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    asyncio.run(_truncate_all(url))
    return url


async def _truncate_all(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        names = ", ".join(f'"{table._meta.tablename}"' for table in ALL_TABLES)
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_keys=(TEST_KEY,),
        base_url="http://testserver.local",
        data_dir=tmp_path / "data",
    )


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[object]:
    """An open engine bound to every table, in the test's own event loop."""
    async with opened_database(settings.database_url, pool_size=60) as engine:
        yield engine


@pytest.fixture
async def client(settings: Settings, engine: object) -> AsyncIterator[object]:
    """An async client for the real app on the test's database, following redirects.

    The app runs in the test's own event loop (as it runs in the server's one
    loop), so code on the request path may use the tables' engine, whose
    PostgreSQL pool belongs to this loop. (Litestar's AsyncTestClient would run
    the app on a portal thread with a loop of its own.)
    """
    import httpx

    from server.app import create_app

    app = create_app(settings, engine=engine)  # type: ignore[arg-type]
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("testclient", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local", follow_redirects=True) as test_client:
            yield test_client


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs on PostgreSQL ``postgres``, so ``-m "not postgres"`` (``make test-fast``)
    leaves them out: the database tests' PostgreSQL half, and tests marked by hand."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url") == "postgres":
            item.add_marker(pytest.mark.postgres)


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures tests noted (``tests.figures.note``): hostile requests, burst counts."""
    from tests.figures import FIGURES

    for line in FIGURES:
        terminalreporter.write_line(line)
