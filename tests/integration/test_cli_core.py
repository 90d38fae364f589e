"""The real `trivsel` command: help, demo, db upgrade, serve, instruments validate, settings errors."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import click
import pytest

from server.cli import main
from tests.conftest import PG_ADMIN_URL, TEST_KEY, pg_admin, pg_url

BUILTIN = Path(__file__).resolve().parents[2] / "surveys" / "instruments" / "builtin"
MIGRATIONS = len(list((Path(__file__).resolve().parents[2] / "surveys" / "db" / "piccolo_migrations").glob("surveys_*.py")))


def trivsel(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=env.get("TRIVSEL_DATA_DIR", "."),
    )


def _all_command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            paths += _all_command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


@pytest.mark.parametrize("path", _all_command_paths(main), ids=lambda p: " ".join(p) or "trivsel")
def test_every_command_has_help(path: tuple[str, ...], tmp_path: Path) -> None:
    result = trivsel(*path, "--help", env={"TRIVSEL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_demo_creates_the_database_key_and_links(tmp_path: Path) -> None:
    result = trivsel("demo", "--no-serve", env={"TRIVSEL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "admin@demo.trivsel.dk" in out
    assert out.count("http://127.0.0.1:8000/s/") >= 6
    key_file = tmp_path / "secret_keys"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "trivsel.sqlite").exists()
    again = trivsel("demo", "--no-serve", env={"TRIVSEL_DATA_DIR": str(tmp_path)})
    assert again.returncode == 0, again.stderr
    assert key_file.read_text() in (tmp_path / "secret_keys").read_text()


def test_db_upgrade_on_an_empty_sqlite_file_then_up_to_date(tmp_path: Path) -> None:
    env = {"TRIVSEL_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite", "TRIVSEL_DATA_DIR": str(tmp_path)}
    first = trivsel("db", "upgrade", env=env)
    assert first.returncode == 0, first.stderr
    assert MIGRATIONS >= 3 and f"applied {MIGRATIONS} migration(s)" in first.stdout
    second = trivsel("db", "upgrade", env=env)
    assert "up to date" in second.stdout


@pytest.mark.postgres
def test_db_upgrade_on_postgresql(tmp_path: Path) -> None:
    name = f"trivsel_cli_{secrets.token_hex(4)}"
    try:
        asyncio.run(pg_admin(f'CREATE DATABASE "{name}"'))
    except OSError as exc:  # pragma: no cover - reported as failure in CI by the fixture tests
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {exc}")
    try:
        env = {"TRIVSEL_DATABASE_URL": pg_url(name), "TRIVSEL_DATA_DIR": str(tmp_path)}
        result = trivsel("db", "upgrade", env=env)
        assert result.returncode == 0, result.stderr
        assert f"applied {MIGRATIONS} migration(s)" in result.stdout
    finally:
        asyncio.run(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TRIVSEL_DATABASE_URL": "mysql://nope"}, "TRIVSEL_DATABASE_URL"),
        ({"TRIVSEL_BASE_URL": "not a url"}, "TRIVSEL_BASE_URL"),
        ({"TRIVSEL_SECRET_KEYS": "too-short"}, "TRIVSEL_SECRET_KEYS"),
        ({}, "TRIVSEL_SECRET_KEYS"),
    ],
)
def test_serve_with_a_wrong_setting_prints_one_line_naming_it(
    tmp_path: Path, env: dict[str, str], variable: str
) -> None:
    base = {"TRIVSEL_DATA_DIR": str(tmp_path)}
    if variable != "TRIVSEL_SECRET_KEYS" or env:
        base["TRIVSEL_SECRET_KEYS"] = TEST_KEY
    result = trivsel("serve", env={**base, **env}, timeout=30)
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_postgresql_is_a_one_line_error(tmp_path: Path) -> None:
    env = {
        "TRIVSEL_DATA_DIR": str(tmp_path),
        "TRIVSEL_SECRET_KEYS": TEST_KEY,
        "TRIVSEL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = trivsel("db", "upgrade", env=env, timeout=30)
    assert result.returncode == 1
    assert "TRIVSEL_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_migrates_an_empty_database_and_answers(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    env.update({"TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": TEST_KEY})
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert 'action="/k"' in body
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Traceback" not in output
    assert "GET / 200" in output
    assert "127.0.0.1:" not in output.split("Uvicorn running")[-1].split("\n", 1)[-1]


def test_validate_accepts_the_builtin_instruments(tmp_path: Path) -> None:
    paths = sorted(str(p) for p in BUILTIN.glob("*.toml"))
    result = trivsel("instruments", "validate", *paths, env={"TRIVSEL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert f"{len(paths)} file(s) OK" in result.stdout


def test_validate_reports_file_question_and_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    text = (BUILTIN / "ung-trivsel-rusmidler.toml").read_text()
    broken.write_text(text.replace('id = "ung-trivsel-rusmidler"', 'id = "ung-trivsel-rusmidler"\nbogus_key = 1', 1))
    result = trivsel("instruments", "validate", str(broken), env={"TRIVSEL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "broken.toml" in result.stderr
    assert "bogus_key" in result.stderr


def _serve(tmp_path: Path, port: int, **extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    env.update({"TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": TEST_KEY, **extra})
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(process.communicate()[0])


def _wrong_code_from(port: int, forwarded_for: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/k", data=b"code=ZZZZ-ZZZZ", method="POST",
        headers={"X-Forwarded-For": forwarded_for, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


@pytest.mark.parametrize(("trusted", "buckets"), [("127.0.0.1", 2), ("", 1)])
def test_rate_limits_see_the_forwarded_address_only_behind_a_trusted_proxy(tmp_path: Path, trusted: str, buckets: int) -> None:
    import sqlite3

    port = _free_port()
    process = _serve(tmp_path, port, TRIVSEL_TRUSTED_PROXIES=trusted)
    try:
        # Two schools behind the proxy each mistype a code; a client outside cannot pick its own bucket.
        assert _wrong_code_from(port, "203.0.113.7") == 404
        assert _wrong_code_from(port, "198.51.100.23") == 404
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    with sqlite3.connect(tmp_path / "trivsel.sqlite") as db:
        keys = [k for (k,) in db.execute("SELECT key FROM throttle WHERE key LIKE 'code:addr:%'")]
    assert len(keys) == buckets
    assert "203.0.113.7" not in output and "198.51.100.23" not in output
    assert all("203.0.113.7" not in k for k in keys)
