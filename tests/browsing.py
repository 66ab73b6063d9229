"""Headless Chromium for the browser tests (``test_browser_*.py``): one browser for the
whole session, shared by every file (Playwright's sync API allows one per thread, so two
files each launching their own fail), and a checked page per test. A pytest plugin,
registered in conftest.py.

Needs Debian's /usr/bin/chromium (``make browser-deps``; never ``playwright install``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium; see Makefile)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page; fails the test on any dialog, script error or console error (a CSP
    violation shows up as one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("console", lambda m: m.type == "error" and not re.search(
        r"status of 40[04]", m.text) and problems.append(f"console: {m.text}"))
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert not problems, problems
