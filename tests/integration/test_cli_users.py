"""``trivsel users create``: a one-time password printed, or one typed; roles and schools checked."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from surveys.accounts.users import verify_password
from surveys.db.engine import opened_database
from surveys.db.tables import StaffUser, StaffUserSchool
from tests.conftest import TEST_KEY


@pytest.fixture
def cli(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    env = {**os.environ, "TRIVSEL_DATABASE_URL": url, "TRIVSEL_SECRET_KEYS": TEST_KEY, "TRIVSEL_DATA_DIR": str(tmp_path)}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "server.cli", *args], env=env, capture_output=True, text=True, timeout=60, input=stdin
        )

    assert run("db", "upgrade").returncode == 0
    assert run("schools", "add", "Nordskolen").returncode == 0
    run.url = url  # type: ignore[attr-defined]
    return run


def _user(url: str, email: str) -> tuple[dict | None, list]:
    async def read():
        async with opened_database(url):
            user = await StaffUser.select().where(StaffUser.email == email).first()
            schools = await StaffUserSchool.select().where(StaffUserSchool.user == user["id"]) if user else []
            return user, schools

    return asyncio.run(read())


def test_create_prints_a_one_time_password(cli) -> None:
    result = cli("users", "create", "--email", "Koord@Kommune.dk", "--role", "coordinator", "--school", "Nordskolen")
    assert result.returncode == 0, result.stderr
    password = result.stdout.split("one-time password:")[1].split()[0]
    user, schools = _user(cli.url, "koord@kommune.dk")
    assert user["role"] == "coordinator" and user["must_change_password"]
    assert user["password_hash"].startswith("$argon2id$")
    assert verify_password(user["password_hash"], password)
    assert len(schools) == 1


def test_create_asks_for_a_password(cli) -> None:
    result = cli("users", "create", "--email", "a@kommune.dk", "--role", "analyst", "--ask-password",
                 stdin="a-long-enough-secret\na-long-enough-secret\n")
    assert result.returncode == 0, result.stderr
    assert "one-time password" not in result.stdout
    user, _ = _user(cli.url, "a@kommune.dk")
    assert verify_password(user["password_hash"], "a-long-enough-secret") and not user["must_change_password"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--email", "t@k.dk", "--role", "teacher"], "mindst én skole"),
        (["--email", "t@k.dk", "--role", "teacher", "--school", "Ukendt"], "findes ikke"),
        (["--email", "t@k.dk", "--role", "boss"], "Invalid value"),
        (["--email", "not-an-email", "--role", "admin"], "ikke gyldig"),
    ],
)
def test_bad_input_is_one_clear_line(cli, args, message) -> None:
    result = cli("users", "create", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_duplicate_email_is_refused(cli) -> None:
    assert cli("users", "create", "--email", "x@k.dk", "--role", "admin").returncode == 0
    again = cli("users", "create", "--email", "x@k.dk", "--role", "admin")
    assert again.returncode != 0 and "findes allerede" in again.stderr
