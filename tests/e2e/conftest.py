"""End-to-end fixtures: a real `trivsel serve` process and headless Chromium (Debian's) via Playwright.

The browser is the system Chromium at ``/usr/bin/chromium`` (``.ci/run`` installs it); nothing
is downloaded at run time. axe-core comes from the npm registry at install (``build/axe``).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TRIVSEL_TEST_CHROMIUM", "/usr/bin/chromium")
AXE_JS = ROOT / "build" / "axe" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class LiveServer:
    url: str
    database_url: str
    env: dict[str, str]
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, tmp_path: Path, *, workers: int = 1, port: int | None = None) -> LiveServer:
    """Start `trivsel serve` on a free port and wait until it answers."""
    port = port or _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIVSEL_")}
    env.update(
        {
            "TRIVSEL_DATABASE_URL": database_url,
            "TRIVSEL_SECRET_KEYS": TEST_KEY,
            "TRIVSEL_BASE_URL": f"http://127.0.0.1:{port}",
            "TRIVSEL_DATA_DIR": str(tmp_path),
        }
    )
    log_path = tmp_path / f"server-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return LiveServer(url, database_url, env, process, log_path)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start: {log_path.read_text()}")


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def run_async(coroutine):
    """Run domain code (seeding, counting) against the live server's database."""
    return asyncio.run(coroutine)


@pytest.fixture(params=["sqlite"])
def database_url(request, sqlite_template, tmp_path: Path) -> str:
    """Browser journeys run on SQLite only: the PostgreSQL half of each flow is in tests/integration."""
    path = tmp_path / "trivsel.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(database_url, tmp_path)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the e2e package; closed (with Playwright's event loop) before other tests run."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (own cookies), JavaScript on."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="da-DK")
    yield context
    context.close()


AXE_CHECKED: set[str] = set()
"""Every distinct page axe found clean in this run (the count is printed at the end of the run)."""


def axe_violations(
    page, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"), *, label: str | None = None
) -> list[dict]:
    """Run axe-core in ``page`` and return its violations at WCAG 2.1 A and AA.

    axe is evaluated through the DevTools protocol, so the page's CSP (no inline
    scripts) stays in force for everything else. ``label`` names the page for the
    count printed at the end of the run (default: the path, tokens elided).
    """
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    if not violations:
        AXE_CHECKED.add(label or _page_label(page.url))
    return violations


def _page_label(url: str) -> str:
    import re
    from urllib.parse import urlsplit

    path = urlsplit(url).path
    return re.sub(r"/(s|k|q)/[^/]+", r"/\1/<token>", path)


def pytest_terminal_summary(terminalreporter) -> None:
    if AXE_CHECKED:
        (ROOT / "build").mkdir(exist_ok=True)
        (ROOT / "build" / "axe-pages.txt").write_text("\n".join(sorted(AXE_CHECKED)) + "\n")
        terminalreporter.write_line(
            f"axe-core (WCAG 2.1 A/AA): {len(AXE_CHECKED)} distinct pages checked with zero violations"
        )
