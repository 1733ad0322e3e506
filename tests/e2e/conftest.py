"""Browser tests: Playwright drives Debian's chromium (no ``playwright install``: it downloads).

Screenshots go to ``test-artifacts/screenshots`` so a person can look at them. With
BAOMI_REQUIRE_BROWSER=1 (CI) a missing browser fails instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import pytest

# One request at a time: on SQLite the test database is in memory and the live server shares the
# test's one connection between its threads. A page that fetches while it loads (the inbox count
# in the header) sent two requests down that connection at once and hung the worker. Django's
# single-threaded server answers them in turn (and closes each connection, so the browser's
# parallel connections queue rather than block).
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class SerialWSGIServer(WSGIServer):
    """Django's server without threads; the live-server thread installs the shared connections."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = os.environ.get("BAOMI_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]  # fmt: skip


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("BAOMI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser required but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-US")
    p = context.new_page()
    p.set_default_timeout(15000)
    p.base_url = live_server.url  # type: ignore[attr-defined]
    yield p
    # Let the page's own late requests (the header's inbox count) finish before the database is
    # flushed: the live server shares the test's in-memory connection.
    from playwright.sync_api import TimeoutError as PageTimeout

    with contextlib.suppress(PageTimeout):  # a page that never settles is closed anyway
        p.wait_for_load_state("networkidle", timeout=5000)
    context.close()


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str, *, second_factor: bool = True) -> None:
    """Sign in; for people cleared for 机密 and above also pass the second factor like a person
    would (enrol with the key shown on the page, or type the current code)."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # The click returns once the next page starts loading; callers read it at once.
    page.wait_for_load_state()
    if second_factor:
        pass_second_factor(page, username)


def pass_second_factor(page, username: str) -> None:
    from baomi.accounts import totp
    from baomi.accounts.models import User

    page.wait_for_load_state()
    if "/accounts/login/enrol/" in page.url:
        secret = page.get_attribute("[data-totp-secret]", "data-totp-secret")
        page.fill("input[name=code]", totp.code_for(secret, totp.current_step()))
        page.click("button[type=submit]")
        page.click("text=继续")
    elif "/accounts/login/code/" in page.url:
        user = User.objects.get(username=username)
        step = totp.current_step()
        if user.totp_last_step is not None and user.totp_last_step >= step:
            step = user.totp_last_step + 1  # the current code was used: the next one is accepted
        while step > totp.current_step() + totp.DRIFT_STEPS:  # a third login within one step: wait
            time.sleep(1)
        page.fill("input[name=code]", totp.code_for(totp.unseal(user.totp_secret, user.pk), step))
        page.click("button[type=submit]")


def pick(page, name: str, typed: str, choose: str, within: str = "") -> None:
    """Pick a person (or department) in the shared picker (kit/pickers.py) like a person does:
    type a few characters into the field's search box, click the suggestion containing
    ``choose``. ``within``: a selector of the form, where a page has two with the field."""
    field = f"{within} autocomplete-select:has(select[name={name}])".strip()
    box = page.locator(f"{field} input.picker-input")
    box.click()
    box.fill("")
    box.press_sequentially(typed)
    suggestion = page.locator(
        f".autocomplete-light-box:not([hidden]) [data-value]:has-text('{choose}')"
    ).first
    suggestion.wait_for()
    suggestion.click()
    page.wait_for_selector(f"{field} [slot=deck] [data-value]")
