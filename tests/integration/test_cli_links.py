"""The real ``trivsel`` CLI: schools, classes, waves, events and links."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from surveys.answering.links import LinkSigner
from tests.conftest import TEST_KEY


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("cli")
    env = {
        **os.environ,
        "TRIVSEL_DATABASE_URL": f"sqlite:///{directory / 'cli.sqlite'}",
        "TRIVSEL_SECRET_KEYS": TEST_KEY,
        "TRIVSEL_BASE_URL": "https://trivsel.example.dk",
        "TRIVSEL_DATA_DIR": str(directory),
    }

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "server.cli", *args], env=env, capture_output=True, text=True, timeout=60)
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    run("db", "upgrade")
    run("schools", "add", "Nordskolen")
    run("classes", "add", "--school", "Nordskolen", "--name", "7.a", "--grade", "7")
    run.directory = directory  # type: ignore[attr-defined]
    return run


def test_wave_and_pupil_links_printed(cli) -> None:
    wave_id = cli("wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel 2026",
                  "--opens", "2026-01-01", "--closes", "2030-12-31").stdout.strip()
    assert wave_id.isdigit()
    out = cli("links", "create", "--wave", wave_id, "--school", "Nordskolen", "--class", "7.a", "--count", "5").stdout
    urls = out.split()
    assert len(urls) == 5 and len(set(urls)) == 5
    signer = LinkSigner((TEST_KEY,))
    for url in urls:
        assert url.startswith("https://trivsel.example.dk/s/")
        token = url.rsplit("/", 1)[1]
        assert len(token) <= 40
        signer.verify(token, "pupil")


def test_event_staff_links_to_csv(cli) -> None:
    event_id = cli("event", "create", "--instrument", "temadag-evaluering", "--name", "Temadag", "--date", "2026-03-01").stdout.strip()
    assert event_id.isdigit()
    target: Path = cli.directory / "staff.csv"
    cli("links", "create", "--event", event_id, "--count", "3", "--csv", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 3
    assert {"url", "code"} <= set(rows[0])
    signer = LinkSigner((TEST_KEY,))
    for row in rows:
        signer.verify(row["url"].rsplit("/", 1)[1], "staff")
        assert len(row["code"].replace("-", "")) == 8


@pytest.mark.parametrize(
    "args",
    [
        ("links", "create", "--count", "3"),
        ("links", "create", "--wave", "999", "--school", "Nordskolen", "--count", "3"),
        ("links", "create", "--wave", "1", "--school", "Ingen Skole", "--count", "3"),
        ("links", "create", "--event", "1", "--wave", "1", "--count", "3"),
        ("links", "create", "--event", "999", "--count", "3"),
        ("links", "create", "--event", "1", "--count", "0"),
        ("wave", "create", "--instrument", "nope", "--year", "2026", "--name", "X"),
        ("wave", "create", "--instrument", "temadag-evaluering", "--year", "2026", "--name", "X"),
        ("wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "X", "--opens", "01-02-2026"),
        ("event", "create", "--instrument", "temadag-evaluering", "--name", "X", "--date", "i morgen"),
        ("schools", "add", "Nordskolen"),
        ("classes", "add", "--school", "Ingen Skole", "--name", "1.a", "--grade", "1"),
        ("classes", "add", "--school", "Nordskolen", "--name", "1.a", "--grade", "42"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(cli, args) -> None:
    result = cli(*args, ok=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith(("trivsel:", "Error:"))]
    assert len(errors) == 1, result.stderr  # one line saying what is wrong (click adds its usage hint)
