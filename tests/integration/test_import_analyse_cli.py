"""The real `trivsel` command on SQLite and PostgreSQL: demo-data -> analyse (JSON and CSV),
importing a CSV (good, bad, unknown schools, a 2010 baseline) all-or-nothing."""

from __future__ import annotations

import asyncio
import csv
import json
import sqlite3
from pathlib import Path

import pytest

from analysis.table import FIELDS
from tests.conftest import TEST_KEY
from tests.integration.test_cli_core import trivsel

INSTRUMENT = "ung-trivsel-rusmidler"


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TRIVSEL_DATABASE_URL": database_url, "TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": TEST_KEY}


def _count(database_url: str) -> int:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url[len("sqlite:///") :]) as connection:
            return connection.execute("SELECT count(*) FROM response").fetchone()[0]

    async def count() -> int:
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            return await connection.fetchval("SELECT count(*) FROM response")
        finally:
            await connection.close()

    return asyncio.run(count())


@pytest.fixture(scope="module")
def baseline_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2010 baseline in the import format, written by `demo-data --csv` (no database)."""
    path = tmp_path_factory.mktemp("csv") / "baseline-2010.csv"
    result = trivsel(
        "demo-data", "--schools", "4", "--years", "2010", "--pupils", "40", "--seed", "9", "--csv", str(path),
        env={"TRIVSEL_DATA_DIR": str(path.parent)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "wrote 160 responses" in result.stdout
    return path


def test_demo_data_then_analyse_finds_the_planted_effects_and_a_2010_baseline(
    database_url: str, tmp_path: Path, baseline_csv: Path
) -> None:
    env = _env(database_url, tmp_path)
    made = trivsel("demo-data", "--schools", "4", "--years", "2022-2026", "--pupils", "300", "--seed", "2", env=env)
    assert made.returncode == 0, made.stderr
    assert "inserted 6000 responses" in made.stdout
    assert _count(database_url) == 6000
    out = tmp_path / "results.json"
    result = trivsel("analyse", "--years", "2022", "2023", "2024", "2025", "2026", "--by", "school", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    assert rows and list(rows[0]) == list(FIELDS)
    hash_rest = [
        r for r in rows
        if r["indicator"] == "har_proevet_hash" and r["comparison"] == "vs_rest" and r["group"] == "Skole 01"
    ]  # fmt: skip
    assert sum(r["p_adjusted"] < 0.05 and r["diff"] > 0 for r in hash_rest) >= 3
    (trend,) = [
        r for r in rows
        if r["indicator"] == "drukket_sig_fuld_seneste_maaned" and r["comparison"] == "trend" and r["group"] == "Kommunen"
    ]  # fmt: skip
    assert trend["p_adjusted"] < 0.05 and trend["conclusion"].startswith("signifikant faldende tendens")
    assert all("ingen forskel" not in r["conclusion"] for r in rows)
    tested = [r for r in rows if r["p"] is not None]
    assert f"{len(tested)} tests" in result.stdout and "chance alone would give about" in result.stdout

    whole = tmp_path / "whole.json"
    result = trivsel("analyse", "--years", "2024-2026", "--correction", "report", "--out", str(whole), env=env)
    assert result.returncode == 0, result.stderr
    assert "Benjamini-Hochberg over the whole report" in result.stdout
    tested = [r for r in json.loads(whole.read_text()) if r["p"] is not None]
    assert tested and {r["family"] for r in tested} == {"Benjamini-Hochberg: hele rapporten"}

    imported = trivsel("import", "responses", str(baseline_csv), "--instrument", INSTRUMENT, env=env)
    assert imported.returncode == 0, imported.stderr
    assert "imported 160 responses (years 2010)" in imported.stdout
    as_csv = tmp_path / "results.csv"
    result = trivsel(
        "analyse", "--years", "2025", "2026", "--baseline", "2010", "--by", "gender", "--out", str(as_csv), env=env
    )
    assert result.returncode == 0, result.stderr
    with as_csv.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(FIELDS)
    assert {r["dimension"] for r in table} == {"municipality", "gender"}
    genders = [r for r in table if r["dimension"] == "gender"]
    assert {r["group"] for r in genders if not r["group"].startswith("Øvrige")} == {"Dreng", "Pige", "Andet"}
    # pupils who declined are a group of their own: where they are few, they are shown together with
    # the smallest gender (analysis.disclosure), never as the municipality minus the shown genders
    joined = [r for r in genders if r["group"].startswith("Øvrige (køn) (")]
    assert all(r["comparison"] == "estimate" and int(r["n"]) >= 5 and "ikke oplyst" in r["reference"] for r in joined)
    assert {r["year"] for r in table if r["comparison"] == "estimate" and r["dimension"] == "gender"} == {"2010", "2025", "2026"}
    # the hash target was due in 2020: the nearest year with answers (2022) is judged for the municipality too
    due = {(r["indicator"], r["comparison"]) for r in table if r["year"] == "2022"}
    assert due == {("har_proevet_hash", "estimate"), ("har_proevet_hash", "target")}
    vs_baseline = [r for r in table if r["comparison"] == "vs_baseline" and r["group"] == "Kommunen"]
    assert {(r["year"], r["reference"]) for r in vs_baseline} == {("2025", "2010"), ("2026", "2010")}
    assert all(r["p"] and r["family"] and r["conclusion"] for r in vs_baseline)


def test_import_is_all_or_nothing(database_url: str, tmp_path: Path, baseline_csv: Path) -> None:
    env = _env(database_url, tmp_path)
    lines = baseline_csv.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("hash_nogensinde")
    broken = lines[2].split(",")
    broken[column] = "7"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([lines[0], lines[1], ",".join(broken), *lines[3:]]) + "\n", encoding="utf-8")
    result = trivsel("import", "responses", str(bad), "--instrument", INSTRUMENT, "--create-schools", env=env)
    assert result.returncode == 1
    assert "linje 3, kolonne hash_nogensinde: koden 7 findes ikke (gyldige: 1, 2, 3, 98)" in result.stderr
    assert "Traceback" not in result.stderr
    assert _count(database_url) == 0

    refused = trivsel("import", "responses", str(baseline_csv), "--instrument", INSTRUMENT, env=env)
    assert refused.returncode == 1
    assert "linje 2, kolonne school: skolen 'Skole 01' findes ikke (brug --create-schools" in refused.stderr
    assert _count(database_url) == 0

    good = trivsel("import", "responses", str(baseline_csv), "--instrument", INSTRUMENT, "--create-schools", env=env)
    assert good.returncode == 0, good.stderr
    assert "imported 160 responses (years 2010)" in good.stdout
    assert "created 4 school(s): Skole 01, Skole 02, Skole 03, Skole 04" in good.stdout
    assert _count(database_url) == 160
