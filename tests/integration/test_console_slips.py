"""QR slips: every QR code in the PDF decodes to a working pupil link; print view; staff CSV; CLI --pdf."""

from __future__ import annotations

import re

import csv
import io
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp

from surveys.answering.links import LinkSigner
from surveys.db.tables import Link
from tests.conftest import TEST_KEY
from tests.integration.console_world import World, client, login_as, post_form, world  # noqa: F401

pytestmark = pytest.mark.anyio


def decode_pdf(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """The texts of all QR codes on each page, rendered as a printer would (150 dpi)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        pages.append([result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode])
    document.close()
    return pages


async def test_slip_pdf_qr_codes_all_open_working_links(client, world: World) -> None:
    await login_as(client, world, "teacher_a")
    response = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "23", "format": "pdf"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pages = decode_pdf(response.content)
    assert [len(page) for page in pages] == [21, 2]  # 3 × 7 per A4 page
    urls = [url for page in pages for url in page]
    assert len(set(urls)) == 23
    assert await Link.count().where(Link.school_class == world.class_a) == 23
    signer = LinkSigner((TEST_KEY,))
    for url in urls:
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == "http://testserver.local"
        token = parts.path.removeprefix("/s/")
        signer.verify(token, "pupil")
        opened = await client.get(parts.path)
        assert opened.status_code == 200, url
        assert "anonym" in opened.text.lower()


async def test_slip_pdf_survives_a_low_resolution_print(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "21"})
    assert len(decode_pdf(response.content, dpi=100)[0]) == 21


async def test_slip_pdf_carries_code_class_and_typing_address(client, world: World) -> None:
    await login_as(client, world, "admin")
    response = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "2"})
    document = pypdfium2.PdfDocument(response.content)
    text = document[0].get_textpage().get_text_range()
    from surveys.answering.links import CODE_ALPHABET, LinkSigner
    from tests.conftest import TEST_KEY

    printed = set(re.findall(f"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", text))
    stored = {row["code"] for row in await Link.select(Link.code)}
    assert len(printed) == 2 and len(stored) == 2
    # The database keeps only a keyed hash of each printed code, never the code.
    assert {LinkSigner((TEST_KEY,)).stored_code(code.replace("-", "")) for code in printed} == stored
    assert "Alfa Skole 7.a" in text and "testserver.local" in text and "Anonymt" in text
    assert "Trivsel i år" in text


async def test_print_view_shows_every_slip_with_an_inline_qr(client, world: World) -> None:
    await login_as(client, world, "coordinator_a")
    response = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "3", "format": "print"})
    assert response.status_code == 200
    assert response.text.count('class="slip"') == 3
    assert response.text.count("<svg") == 3


async def test_slip_form_rejects_bad_counts_and_closed_waves(client, world: World) -> None:
    await login_as(client, world, "admin")
    too_many = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "9999"})
    assert too_many.status_code == 422 and "mellem 1 og 200" in too_many.text
    not_theirs = await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave_b), "count": "2"})
    assert not_theirs.status_code == 422
    assert await Link.count() == 0


async def test_staff_links_csv_for_a_mail_merge(client, world: World) -> None:
    await login_as(client, world, "coordinator_b")
    response = await post_form(client, f"/console/events/{world.event}/links.csv", {"count": "4"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["nr", "arrangement", "link", "kode"]
    assert len(rows) == 5
    signer = LinkSigner((TEST_KEY,))
    for row in rows[1:]:
        signer.verify(row[2].rsplit("/", 1)[1], "staff")
        assert (await client.get(urlsplit(row[2]).path)).status_code == 200


async def test_analyst_cannot_issue_links(client, world: World) -> None:
    await login_as(client, world, "analyst")
    assert (await post_form(client, f"/console/classes/{world.class_a}/slips", {"wave": str(world.wave), "count": "2"})).status_code == 403
    assert (await post_form(client, f"/console/events/{world.event}/links.csv", {"count": "2"})).status_code == 403
    assert await Link.count() == 0


def test_cli_links_create_writes_a_slip_pdf(tmp_path) -> None:
    env = {
        **os.environ,
        "TRIVSEL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "TRIVSEL_SECRET_KEYS": TEST_KEY,
        "TRIVSEL_BASE_URL": "https://trivsel.example.dk",
        "TRIVSEL_DATA_DIR": str(tmp_path),
    }

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "server.cli", *args], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("db", "upgrade")
    run("schools", "add", "Nordskolen")
    run("classes", "add", "--school", "Nordskolen", "--name", "7.a", "--grade", "7")
    wave = run("wave", "create", "--instrument", "ung-trivsel-rusmidler", "--year", "2026", "--name", "Trivsel 2026").strip()
    target = tmp_path / "slips.pdf"
    run("links", "create", "--wave", wave, "--school", "Nordskolen", "--class", "7.a", "--count", "5", "--pdf", str(target))
    [urls] = decode_pdf(target.read_bytes())
    assert len(set(urls)) == 5
    signer = LinkSigner((TEST_KEY,))
    for url in urls:
        assert url.startswith("https://trivsel.example.dk/s/")
        signer.verify(url.rsplit("/", 1)[1], "pupil")
