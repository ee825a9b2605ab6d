"""Real-browser tests: the dashboard served by `streamlit run`, driven with Debian's chromium.

Never `playwright install` (it downloads a browser, and fails offline): pytest-playwright's fixtures
launch /usr/bin/chromium instead (`make browser` provisions it). Missing chromium skips these tests on a
developer's machine and fails them in CI (``$CI`` set), where a skipped suite would hide a broken setup.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's `browser` fixture, on Debian's chromium."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1000}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dashboard:
    url: str  # where the browser goes
    db: str  # the store's SQLite file: open a Store on it to see what the page wrote


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"streamlit did not answer on {url} within {START_TIMEOUT_S} s:\n"
                f"{log.read_text(errors='replace')}")


PASSWORD = "a long enough password"
ACCOUNTS = {"alice": "analyst", "bob": "analyst", "rita": "reviewer", "root": "admin"}


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory, seed_record, hostile_record,
              browser_type_launch_args) -> Iterator[Dashboard]:
    """`streamlit run app.py` on a free port, its store a temporary SQLite file holding the annotated
    seed (and, for the XSS test, a hostile article); stopped at the end of the session."""
    from annotator.store import Store

    folder = tmp_path_factory.mktemp("dashboard")
    db = folder / "store.sqlite"
    with Store(str(db)) as store:
        store.ingest(seed_record)
        store.ingest(hostile_record)
        for name, role in ACCOUNTS.items():
            store.accounts.add(name, PASSWORD, role)
    port = free_port()
    url = f"http://localhost:{port}"
    log = folder / "streamlit.log"
    env = {**os.environ, "ANNOTATOR_DB": str(db), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "localhost",
             "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, process, log)
        yield Dashboard(url=url, db=str(db))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
